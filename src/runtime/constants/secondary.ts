/**
 * Startup of a multi-region connector while its primary region is down (issue 22): the
 * secondary region is known without the primary (the `secondaryRegion` option or
 * `EVENTBRIDGE_CONNECTOR_SECONDARY_REGION`, and outside AWS the secondary trust anchor and
 * profile, `EVENTBRIDGE_CONNECTOR_SECONDARY_TRUST_ANCHOR_ARN` and `..._PROFILE_ARN`, the
 * secondary stack's outputs), and the contract is read there when the primary region's SSM does
 * not answer within a bound. The secondary region's contract has no `EndpointId`: a client made
 * from it sends to that region's bus directly.
 */
import { checkArn, checkRegion, checkSameRegion, ParameterKeys, quote } from '../../contract';
import { definedOnly } from '../../contract/defined-only';
import { ConstantsError, InputError } from '../errors';
import { isRegionOutage, RegionFallbacks } from '../fallback/region-fallbacks';
import { ssmModule } from '../sdk-modules';
import type { CredentialsInput } from '../types';
import type { Environment } from './key-sources';
import { loadConstants, LoadConstantsOptions } from './load';
import type { ConnectorConstants } from './types';

export const SecondaryEnvironment = {
  REGION: 'EVENTBRIDGE_CONNECTOR_SECONDARY_REGION',
  TRUST_ANCHOR_ARN: 'EVENTBRIDGE_CONNECTOR_SECONDARY_TRUST_ANCHOR_ARN',
  PROFILE_ARN: 'EVENTBRIDGE_CONNECTOR_SECONDARY_PROFILE_ARN',
} as const;

/** How long the primary region's SSM has to answer at startup before the secondary is read. */
export const DEFAULT_PRIMARY_TIMEOUT_MS = 5_000;

export interface SecondaryStartup {
  readonly region: string;
  /** Outside AWS: the secondary region's trust anchor and profile, for a session while the primary is down. */
  readonly trustAnchorArn?: string;
  readonly profileArn?: string;
}

/**
 * The secondary region of the options or environment, checked; `undefined` for a one-region connector.
 * @throws InputError for a malformed region or ARN, or a trust anchor without its profile
 */
export function readSecondary(option: string | undefined, env: Environment): SecondaryStartup | undefined {
  const region = option ?? (env[SecondaryEnvironment.REGION] || undefined);
  const trustAnchorArn = env[SecondaryEnvironment.TRUST_ANCHOR_ARN] || undefined;
  const profileArn = env[SecondaryEnvironment.PROFILE_ARN] || undefined;
  if (region === undefined) {
    if (trustAnchorArn !== undefined || profileArn !== undefined) {
      throw new InputError(`missing secondary region: ${SecondaryEnvironment.TRUST_ANCHOR_ARN} and ${SecondaryEnvironment.PROFILE_ARN} are set, expected ${SecondaryEnvironment.REGION} or the secondaryRegion option too`);
    }
    return undefined;
  }
  const name = option !== undefined ? 'secondaryRegion' : SecondaryEnvironment.REGION;
  const regionProblem = checkRegion(region);
  if (regionProblem) throw new InputError(`invalid ${name} ${quote(region)}: ${regionProblem}`);
  if ((trustAnchorArn === undefined) !== (profileArn === undefined)) {
    throw new InputError(`invalid secondary session: expected both ${SecondaryEnvironment.TRUST_ANCHOR_ARN} and ${SecondaryEnvironment.PROFILE_ARN}, or neither`);
  }
  if (trustAnchorArn !== undefined && profileArn !== undefined) {
    const problem = checkArn('trust-anchor', trustAnchorArn, SecondaryEnvironment.TRUST_ANCHOR_ARN)
      ?? checkArn('profile', profileArn, SecondaryEnvironment.PROFILE_ARN)
      ?? checkSameRegion(trustAnchorArn, profileArn);
    if (problem) throw new InputError(problem);
    if (!trustAnchorArn.includes(`:${region}:`)) {
      throw new InputError(`invalid ${SecondaryEnvironment.TRUST_ANCHOR_ARN} ${quote(trustAnchorArn)}: expected a trust anchor in the secondary region ${region}`);
    }
  }
  return { region, ...definedOnly({ trustAnchorArn, profileArn }) };
}

export interface FallbackLoadOptions extends LoadConstantsOptions {
  readonly secondary?: SecondaryStartup;
  /** Credentials for the secondary region's SSM. @default - `credentials` */
  readonly secondaryCredentials?: CredentialsInput;
  /** @default 5000 */
  readonly primaryTimeoutMs?: number;
  readonly fallbacks: RegionFallbacks;
}

/**
 * {@link loadConstants} in the primary region, bounded by `primaryTimeoutMs`; when it does not
 * answer (a timeout, no connection, 5xx, throttling) and a secondary region is known, the
 * secondary region's contract instead, which must name the primary as its `PrimaryRegion`.
 * Other failures (access denied, no parameters, a bad contract) are thrown as they are: the
 * secondary region would not fix them.
 */
export async function loadConstantsWithFallback(options: FallbackLoadOptions): Promise<ConnectorConstants> {
  const { secondary, fallbacks, secondaryCredentials, primaryTimeoutMs = DEFAULT_PRIMARY_TIMEOUT_MS, ...load } = options;
  if (secondary === undefined) return loadConstants(load);
  if (load.region !== undefined && load.region === secondary.region) {
    throw new InputError(`invalid secondaryRegion ${quote(secondary.region)}: it is the primary region too; expected the global endpoint's other region`);
  }
  let primaryError: unknown;
  try {
    return await loadConstantsBounded(load, primaryTimeoutMs);
  } catch (error) {
    if (!isRegionOutage(error)) throw error;
    primaryError = error;
  }
  const constants = await loadConstants({ ...load, ssm: undefined, region: secondary.region, credentials: secondaryCredentials ?? load.credentials });
  if (load.region !== undefined && constants.primaryRegion !== undefined && constants.primaryRegion !== load.region) {
    throw new ConstantsError(ParameterKeys.PRIMARY_REGION,
      `the secondary region's contract at ${load.path} names ${quote(constants.primaryRegion)} as PrimaryRegion: expected ${quote(load.region)}, the region the primary contract was read from`);
  }
  fallbacks.record('contract', load.region ?? 'the default region', secondary.region, (primaryError as Error).message);
  return constants;
}

/** {@link loadConstants} with a client of our own that is destroyed when the bound runs out (its sockets go). */
export async function loadConstantsBounded(load: LoadConstantsOptions, timeoutMs: number): Promise<ConnectorConstants> {
  const settings = definedOnly({ region: load.region, credentials: load.credentials, endpoint: load.endpoint });
  const own = load.ssm === undefined ? new (ssmModule().SSMClient)(settings) : undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`SSM in ${load.region ?? 'the default region'} did not answer within ${timeoutMs} ms`);
      error.name = 'RegionTimeout';
      reject(error);
    }, timeoutMs);
  });
  const reading = loadConstants({ ...load, ssm: load.ssm ?? own });
  reading.catch(() => undefined); // settled after the bound: its error is the timeout's
  try {
    return await Promise.race([reading, timeout]);
  } finally {
    clearTimeout(timer);
    own?.destroy();
  }
}
