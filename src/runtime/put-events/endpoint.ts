/**
 * Where the lean transport sends PutEvents: the endpoint the SDK client would send a
 * `PutEventsCommand` to, resolved by the SDK's own code (`getEndpointFromInstructions` with the
 * command's endpoint parameters and the client's resolved configuration), once per client. So
 * every setting the SDK reads counts alike for both transports: the client's `endpoint` option,
 * `AWS_ENDPOINT_URL_EVENTBRIDGE`, `AWS_ENDPOINT_URL`, `endpoint_url` in the profile or in its
 * `services` section of the shared config file, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` /
 * `ignore_configured_endpoint_urls`, FIPS and dual-stack, and the endpoint ruleset for the rest.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';

/** A PutEvents endpoint, split as `node:http` takes it. */
export interface PutEventsEndpoint {
  readonly https: boolean;
  readonly hostname: string;
  readonly port?: number;
  /** The request path: the endpoint's base path, ending in `/` as the SDK's JSON-RPC serializer makes it. */
  readonly path: string;
  /** `hostname[:port]`, the `Host` header. */
  readonly host: string;
  readonly signingRegion: string;
  readonly signingName: string;
}

interface AuthScheme {
  readonly name?: string;
  readonly signingRegion?: string;
  readonly signingName?: string;
}

/**
 * Resolves the endpoint from an SDK EventBridge client's resolved configuration. The
 * configuration is copied first, as the SDK's endpoint middleware does: resolution records a
 * configured endpoint (environment, config file) on the object it is given.
 * @throws what the SDK throws for the same settings (a FIPS region with a custom endpoint, a
 *   profile naming a `services` section that does not exist, ...)
 */
export async function resolvePutEventsEndpoint(config: { region: () => Promise<string> }): Promise<PutEventsEndpoint> {
  const region = await config.region();
  const resolved = await getEndpointFromInstructions({ Entries: [] }, PutEventsCommand, { ...config } as never);
  const scheme = (resolved.properties?.authSchemes as AuthScheme[] | undefined)?.find((s) => s.name === 'sigv4');
  const url = resolved.url;
  let path = url.pathname === '' ? '/' : url.pathname;
  if (!path.endsWith('/')) path += '/'; // AwsJsonRpcProtocol.serializeRequest: `http://host/base` is sent to `/base/`
  const port = url.port === '' ? undefined : Number(url.port);
  return {
    https: url.protocol === 'https:',
    hostname: url.hostname,
    ...(port !== undefined && { port }),
    path,
    host: url.host,
    signingRegion: scheme?.signingRegion ?? region,
    signingName: scheme?.signingName ?? 'events',
  };
}
