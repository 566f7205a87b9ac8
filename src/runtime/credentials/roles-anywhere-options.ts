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

export function resolveRolesAnywhereOptions(options: RolesAnywhereOptions): RolesAnywhereSettings {
  if (!options || typeof options !== 'object') throw new InputError(`invalid options ${show(options)}: expected an object`);
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
  };
}
