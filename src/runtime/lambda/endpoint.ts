/**
 * Where the Lambda entry sends PutEvents: the endpoint an SDK EventBridge client resolves in the
 * same environment, worked out without loading the SDK. The SDK's inputs, read as the SDK reads
 * them: the `endpoint` option; `AWS_ENDPOINT_URL_EVENTBRIDGE`, then `AWS_ENDPOINT_URL` (unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`); `AWS_USE_FIPS_ENDPOINT` and
 * `AWS_USE_DUALSTACK_ENDPOINT`; then the EventBridge endpoint ruleset's branches for a region
 * (the partition's DNS suffix or dual-stack suffix, `events-fips.`, GovCloud's FIPS hosts)
 * over the SDK's partition data (contract/regions.generated.ts). A base path is kept and sent
 * with a trailing `/`, as the SDK's JSON-RPC serializer sends it.
 *
 * The shared config file (`~/.aws/config`: `endpoint_url`, `services` sections,
 * `use_fips_endpoint`, ...) is not read: a Lambda function has none (its configuration is its
 * environment), and reading one would mean the SDK's INI parser and profile rules at every cold
 * start. test/runtime/lambda/endpoint.test.ts holds the result to an SDK client's, setting by
 * setting and over every region of every partition.
 */
import { quote } from '../../contract/quote';
import { partitionOf, PartitionData } from '../../contract/regions';
import { PARTITIONS } from '../../contract/regions.generated';
import { InputError } from '../errors';
import type { PutEventsEndpoint } from '../put-events/endpoint';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A boolean setting as the SDK's config loader reads it from the environment: `true` and
 * `false` exactly; anything else (unset, `TRUE`, `1`, empty) is not taken from the environment,
 * and with no config file to fall back to, the SDK's default, false.
 */
function flag(env: Environment, name: string): boolean {
  return env[name] === 'true';
}

/**
 * The endpoint of PutEvents for `region`.
 * @throws InputError for a configured endpoint that is not an http(s) URL, or FIPS or dual-stack
 *   asked for beside a configured endpoint or in a partition without them (the SDK refuses the
 *   same settings, with the messages quoted)
 */
export function resolveEndpoint(env: Environment, region: string, given?: string): PutEventsEndpoint {
  const fips = flag(env, 'AWS_USE_FIPS_ENDPOINT');
  const dualStack = flag(env, 'AWS_USE_DUALSTACK_ENDPOINT');
  const ignoreConfigured = flag(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  // The SDK takes the first of these that is set and not empty.
  const [name, configured] = given !== undefined ? ['endpoint', given]
    : ignoreConfigured ? [undefined, undefined]
      : env.AWS_ENDPOINT_URL_EVENTBRIDGE ? ['AWS_ENDPOINT_URL_EVENTBRIDGE', env.AWS_ENDPOINT_URL_EVENTBRIDGE]
        : env.AWS_ENDPOINT_URL ? ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL]
          : [undefined, undefined];
  let url: URL;
  if (configured !== undefined) {
    if (fips) throw new InputError(`invalid ${name} ${quote(configured)} with AWS_USE_FIPS_ENDPOINT=true: Invalid Configuration: FIPS and custom endpoint are not supported`);
    if (dualStack) throw new InputError(`invalid ${name} ${quote(configured)} with AWS_USE_DUALSTACK_ENDPOINT=true: Invalid Configuration: Dualstack and custom endpoint are not supported`);
    url = parseEndpoint(name!, configured);
  } else {
    url = new URL(rulesetEndpoint(partitionOf(region) ?? PARTITIONS.find((p) => p.id === 'aws')!, region, fips, dualStack));
  }
  let path = url.pathname === '' ? '/' : url.pathname;
  if (!path.endsWith('/')) path += '/';
  return {
    https: url.protocol === 'https:',
    // `new URL` keeps an IPv6 host in brackets; node:http wants it bare.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port !== '' && { port: Number(url.port) }),
    path,
    host: url.host,
    signingRegion: region,
    signingName: 'events',
  };
}

/** The ruleset's endpoint of a region without a configured one (no multi-region EndpointId: PutEvents of this client has none). */
function rulesetEndpoint(partition: PartitionData, region: string, fips: boolean, dualStack: boolean): string {
  if (fips && dualStack) {
    if (!partition.supportsFIPS || !partition.supportsDualStack) throw refused('FIPS and DualStack are enabled, but this partition does not support one or both', region);
    // GovCloud's dual-stack EventBridge endpoints are FIPS endpoints already.
    if (partition.id === 'aws-us-gov') return `https://events.${region}.${partition.dualStackDnsSuffix}`;
    return `https://events-fips.${region}.${partition.dualStackDnsSuffix}`;
  }
  if (fips) {
    if (!partition.supportsFIPS) throw refused('FIPS is enabled but this partition does not support FIPS', region);
    // GovCloud's regional EventBridge endpoints are FIPS endpoints already.
    if (partition.id === 'aws-us-gov' && (region === 'us-gov-east-1' || region === 'us-gov-west-1')) return `https://events.${region}.amazonaws.com`;
    return `https://events-fips.${region}.${partition.dnsSuffix}`;
  }
  if (dualStack) {
    if (!partition.supportsDualStack) throw refused('DualStack is enabled but this partition does not support DualStack', region);
    return `https://events.${region}.${partition.dualStackDnsSuffix}`;
  }
  return `https://events.${region}.${partition.dnsSuffix}`;
}

function refused(sdkMessage: string, region: string): InputError {
  return new InputError(`invalid endpoint settings for region ${quote(region)}: ${sdkMessage}`);
}

function parseEndpoint(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`invalid ${name} ${quote(value)}: expected an http or https URL such as https://events.eu-west-1.amazonaws.com`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InputError(`invalid ${name} ${quote(value)}: expected an http or https URL without query, fragment or user such as https://events.eu-west-1.amazonaws.com`);
  }
  return url;
}
