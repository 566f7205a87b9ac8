/**
 * The options of {@link fromRolesAnywhere} and their validation, done once when the provider is
 * created so that a misconfigured process fails at startup naming the option and its value.
 */
import {
  checkArn,
  checkSameRegion,
  DEFAULT_SESSION_DURATION_SECONDS,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  normalizeCertificateId,
  parseArn,
  regionalEndpoint,
} from '../../contract';
import { InputError } from '../errors';
import { checkKnownKeys, knownKeys } from '../known-keys';
import { ROLE_SESSION_NAME } from '../names';
import type { Logger } from '../types';
import { checkEndpoint, DEFAULT_REQUEST_TIMEOUT_MS, FetchLike, SessionTarget } from './create-session';
import { KeySourceOptions } from './key-sources';
import { ROLES_ANYWHERE_SERVICE } from './x509-signature';

/** The certificate and key (`certificate` and `privateKey`, or `pkcs12`) as {@link KeyMaterialInput} has them, and the session. */
export interface RolesAnywhereOptions extends KeySourceOptions {
  /** `AWS_TrustAnchorARN`. */
  readonly trustAnchorArn: string;
  /** `ProfileARN`; must be in the trust anchor's region and account. */
  readonly profileArn: string;
  /** `RoleARN`. */
  readonly roleArn: string;
  /** @default - the trust anchor ARN's region (any other value is refused) */
  readonly region?: string;
  /** @default - `https://rolesanywhere.<region>.<dns suffix>`; http is allowed on loopback addresses */
  readonly endpoint?: string;
  /** `Duration`. @default 3600 */
  readonly durationSeconds?: number;
  /** `SessionName`; the profile must accept role session names. @default - none */
  readonly roleSessionName?: string;
  /** `AWS_ClientCertificateID`: the SHA-256 fingerprint the certificate must have. @default - any certificate */
  readonly clientCertificateId?: string;
  /** Refresh this long before the session expires (AWS's helper uses 5 minutes). @default 300 */
  readonly refreshBeforeExpirySeconds?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  /** The time used for signing, certificate validity and refreshes. @default - the system clock */
  readonly clock?: () => Date;
  /** @default - the global fetch */
  readonly fetch?: FetchLike;
  /** Hears warnings, such as a certificate accepted within the service's clock tolerance. @default - silent */
  readonly logger?: Logger;
  /**
   * The secondary region's trust anchor and profile of a multi-region connector: a session that
   * cannot be created in the primary region (no answer, a timeout, 5xx or throttling) is created
   * with these; the next refresh tries the primary first again. A function, so it can be learnt
   * after the provider is made (from the secondary region's contract).
   * @default - no fallback
   */
  readonly secondary?: () => SecondarySessionTarget | undefined;
}

/** Where a session is created when the primary region does not answer (see {@link RolesAnywhereOptions.secondary}). */
export interface SecondarySessionTarget {
  /** The secondary region's `AWS_TrustAnchorARN`. */
  readonly trustAnchorArn: string;
  /** The secondary region's `ProfileARN`, in the trust anchor's region. */
  readonly profileArn: string;
  /** @default - `https://rolesanywhere.<trust anchor region>.<dns suffix>` */
  readonly endpoint?: string;
  /** Told of each session created there, with why the primary failed. */
  readonly onFallback?: (fromRegion: string, toRegion: string, reason: string) => void;
}

export const DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS = 300;

/** The options once checked, defaults applied. */
export interface RolesAnywhereSettings extends SessionTarget {
  /** Normalized to 64 lowercase hex digits. */
  readonly clientCertificateId?: string;
  readonly refreshBeforeExpirySeconds: number;
  readonly requestTimeoutMs: number;
  readonly clock: () => Date;
  readonly fetch?: FetchLike;
  readonly secondary?: () => SecondarySessionTarget | undefined;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'number' ? String(value) : `of type ${typeof value}`;
}

function arnOption(name: string, kind: 'trust-anchor' | 'profile' | 'role', value: unknown): string {
  const problem = typeof value === 'string' ? checkArn(kind, value, name) : `invalid ${name} ${show(value)}: expected an ARN string`;
  if (problem) throw new InputError(problem);
  return value as string;
}

function integerOption(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`invalid ${name} ${show(value)}: expected an integer from ${min} to ${max}`);
  }
  return value;
}

function functionOption<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new InputError(`invalid ${name} ${show(value)}: expected a function`);
  return value;
}

const ROLES_ANYWHERE_OPTION_KEYS = knownKeys<RolesAnywhereOptions>({
  certificate: true,
  privateKey: true,
  passphrase: true,
  pkcs12: true,
  pkcs12Password: true,
  intermediates: true,
  inputNames: true,
  signer: true,
  pkcs11Lib: true,
  pkcs11Pin: true,
  pkcs11ReusePin: true,
  pkcs11Hints: true,
  trustAnchorArn: true,
  profileArn: true,
  roleArn: true,
  region: true,
  endpoint: true,
  durationSeconds: true,
  roleSessionName: true,
  clientCertificateId: true,
  refreshBeforeExpirySeconds: true,
  requestTimeoutMs: true,
  clock: true,
  fetch: true,
  logger: true,
  secondary: true,
});

export function resolveRolesAnywhereOptions(options: RolesAnywhereOptions): RolesAnywhereSettings {
  if (!options || typeof options !== 'object') throw new InputError(`invalid options ${show(options)}: expected an object`);
  checkKnownKeys(options, ROLES_ANYWHERE_OPTION_KEYS, 'option');
  const trustAnchorArn = arnOption('trustAnchorArn', 'trust-anchor', options.trustAnchorArn);
  const profileArn = arnOption('profileArn', 'profile', options.profileArn);
  const roleArn = arnOption('roleArn', 'role', options.roleArn);
  const regions = checkSameRegion(trustAnchorArn, profileArn);
  if (regions) throw new InputError(regions);

  const anchorRegion = parseArn(trustAnchorArn)!.region;
  if (options.region !== undefined && options.region !== anchorRegion) {
    throw new InputError(`invalid region ${show(options.region)}: expected the trust anchor's region '${anchorRegion}' (CreateSession goes to the trust anchor's regional endpoint)`);
  }

  let endpoint: string | undefined;
  if (options.endpoint !== undefined) {
    const problem = typeof options.endpoint === 'string' ? checkEndpoint(options.endpoint) : `invalid endpoint ${show(options.endpoint)}: expected a URL string`;
    if (problem) throw new InputError(problem);
    endpoint = options.endpoint;
  } else {
    try {
      regionalEndpoint(ROLES_ANYWHERE_SERVICE, anchorRegion);
    } catch {
      throw new InputError(`unknown region '${anchorRegion}' in trustAnchorArn: expected an AWS region, or an endpoint option`);
    }
  }

  const durationSeconds = integerOption('durationSeconds', options.durationSeconds, MIN_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS, DEFAULT_SESSION_DURATION_SECONDS);
  const refreshBeforeExpirySeconds = integerOption('refreshBeforeExpirySeconds', options.refreshBeforeExpirySeconds, 0, durationSeconds - 1, DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS);
  const requestTimeoutMs = integerOption('requestTimeoutMs', options.requestTimeoutMs, 1, 600_000, DEFAULT_REQUEST_TIMEOUT_MS);

  if (options.roleSessionName !== undefined && (typeof options.roleSessionName !== 'string' || !ROLE_SESSION_NAME.test(options.roleSessionName))) {
    throw new InputError(`invalid roleSessionName ${show(options.roleSessionName)}: expected 2 to 64 characters of letters, digits and + = , . @ _ -`);
  }

  let clientCertificateId: string | undefined;
  if (options.clientCertificateId !== undefined) {
    clientCertificateId = typeof options.clientCertificateId === 'string' ? normalizeCertificateId(options.clientCertificateId) : undefined;
    if (!clientCertificateId) {
      throw new InputError(`invalid clientCertificateId ${show(options.clientCertificateId)}: expected a SHA-256 fingerprint, 64 hex digits with or without ':'`);
    }
  }

  return {
    trustAnchorArn,
    profileArn,
    roleArn,
    region: anchorRegion,
    endpoint,
    durationSeconds,
    roleSessionName: options.roleSessionName,
    clientCertificateId,
    refreshBeforeExpirySeconds,
    requestTimeoutMs,
    clock: functionOption('clock', options.clock) ?? (() => new Date()),
    fetch: functionOption('fetch', options.fetch),
    secondary: functionOption('secondary', options.secondary),
  };
}
