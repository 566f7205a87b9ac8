// What startGlobalEndpoint and startRegionOutageProxy are given (the stand-in's options are declared
// here, so that the check and the stand-in do not import each other), checked before a port is opened:
// a stand-in started on a wrong value would answer anyway (a failover to the same region, requests
// to a URL that cannot be reached), and the test built on it would pass or fail for the wrong reason.
import { checkRegionCode, quote } from '../contract';
import { endpointIdProblem } from '../runtime/put-events/endpoint-id';

export interface GlobalEndpointRegion {
  /** The region code, e.g. `us-east-1`. */
  readonly region: string;
  /** That region's EventBridge: moto's URL (it serves every region) or a loopback endpoint's. */
  readonly endpoint: string;
}

export interface GlobalEndpointOptions {
  /** The endpoint's `EndpointId`, which requests must carry. @default 'local.test' */
  readonly endpointId?: string;
  readonly primary: GlobalEndpointRegion;
  readonly secondary: GlobalEndpointRegion;
  /** The secret of each access key id the endpoint accepts (moto's are any: list the test's own). */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** Send what one region accepted to the other as well. @default true */
  readonly replication?: boolean;
  /** @default - a free port */
  readonly port?: number;
  /** The service's clock, for the signature's 5-minute window. @default () => new Date() */
  readonly clock?: () => Date;
}

/** The problem with a loopback service's URL, or undefined when it is an http(s) URL. */
function urlProblem(name: string, value: unknown, protocols: readonly string[]): string | undefined {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !protocols.includes(url.protocol)) {
    return `invalid ${name} ${quote(value)}: expected the URL of moto or a loopback service, such as http://127.0.0.1:5000`;
  }
  return undefined;
}

/** Throws naming the first bad option of a global endpoint stand-in. */
export function checkGlobalEndpointOptions(options: GlobalEndpointOptions): void {
  const problems = [endpointIdProblem(options.endpointId, 'endpointId')];
  for (const side of ['primary', 'secondary'] as const) {
    const region = options[side]?.region;
    const regionProblem = checkRegionCode(region);
    problems.push(regionProblem && `invalid ${side}.region ${quote(region)}: expected a region code such as eu-west-1`);
    problems.push(urlProblem(`${side}.endpoint`, options[side]?.endpoint, ['http:', 'https:']));
  }
  if (options.primary?.region === options.secondary?.region) {
    problems.push(`invalid secondary.region ${quote(options.secondary?.region)}: it is the primary region too, expected another region (the endpoint fails over from one region to another)`);
  }
  if (typeof options.secretFor !== 'function') {
    problems.push(`invalid secretFor ${quote(typeof options.secretFor)}: expected a function from access key id to secret key (the stand-in verifies SigV4a with it)`);
  }
  const problem = problems.find((p) => p !== undefined);
  if (problem) throw new Error(problem);
}

/** Throws when a region outage proxy's target is not an http URL (the proxy speaks plain HTTP to it). */
export function checkOutageProxyTarget(target: unknown): void {
  const problem = urlProblem('target', target, ['http:']);
  if (problem) throw new Error(problem);
}
