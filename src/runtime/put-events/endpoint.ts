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
  /** `sigv4a` for a global endpoint (the ruleset's auth scheme then; `signingRegion` is the region set `*`). @default 'sigv4' */
  readonly signingScheme?: 'sigv4' | 'sigv4a';
}

interface AuthScheme {
  readonly name?: string;
  readonly signingRegion?: string;
  readonly signingName?: string;
  readonly signingRegionSet?: readonly string[];
}

/**
 * Resolves the endpoint from an SDK EventBridge client's resolved configuration. The
 * configuration is copied first, as the SDK's endpoint middleware does: resolution records a
 * configured endpoint (environment, config file) on the object it is given.
 * @throws what the SDK throws for the same settings (a FIPS region with a custom endpoint, a
 *   profile naming a `services` section that does not exist, ...)
 */
export async function resolvePutEventsEndpoint(config: { region: () => Promise<string> }, endpointId?: string): Promise<PutEventsEndpoint> {
  const region = await config.region();
  // With an EndpointId the ruleset answers the global endpoint's host (or the configured
  // endpoint URL, as it does for the SDK) and the sigv4a scheme (global-endpoint.ts).
  const input = endpointId === undefined ? { Entries: [] } : { Entries: [], EndpointId: endpointId };
  const resolved = await getEndpointFromInstructions(input, PutEventsCommand, { ...config } as never);
  const schemes = resolved.properties?.authSchemes as AuthScheme[] | undefined;
  const sigv4a = endpointId === undefined ? undefined : schemes?.find((s) => s.name === 'sigv4a');
  const scheme = sigv4a ?? schemes?.find((s) => s.name === 'sigv4');
  const url = resolved.url;
  let path = url.pathname === '' ? '/' : url.pathname;
  if (!path.endsWith('/')) path += '/'; // AwsJsonRpcProtocol.serializeRequest: `http://host/base` is sent to `/base/`
  const port = url.port === '' ? undefined : Number(url.port);
  return {
    https: url.protocol === 'https:',
    hostname: url.hostname,
    port,
    path,
    host: url.host,
    signingRegion: sigv4a ? (sigv4a.signingRegionSet ?? ['*']).join(',') : scheme?.signingRegion ?? region,
    signingName: scheme?.signingName ?? 'events',
    ...(sigv4a && { signingScheme: 'sigv4a' as const }),
  };
}
