/**
 * `fromRolesAnywhere`: an AWS SDK v3 credential provider backed by IAM Roles Anywhere sessions.
 * The AWS SDK for JavaScript has none (AWS ships a Go binary for it); this one signs
 * CreateSession with node:crypto, caches the session, refreshes it before it expires, and keeps
 * one CreateSession in flight however many callers wait.
 */
import { CredentialProvider, AwsCredentials } from '../types';
import { checkValidity } from './checks';
import { createSession } from './create-session';
import { loadSigner } from './key-sources';
import { resolveRolesAnywhereOptions, RolesAnywhereOptions, SecondarySessionTarget } from './roles-anywhere-options';
import { parseArn } from '../../contract';
import { InputError } from '../errors';
import { isRegionOutage } from '../fallback/region-fallbacks';

/**
 * Checks the options, loads the certificate and key and checks them locally (validity, key
 * match, not a CA, `clientCertificateId`, key type) at once, throwing `InputError` or
 * `CertificateError`; the returned provider calls CreateSession on first use and whenever the
 * cached session is within `refreshBeforeExpirySeconds` of expiring. A failed CreateSession
 * rejects with `RolesAnywhereError` every caller waiting on it; the next call tries again.
 */
export function fromRolesAnywhere(options: RolesAnywhereOptions): CredentialProvider {
  const settings = resolveRolesAnywhereOptions(options);
  const onClockTolerance = (message: string) => options.logger?.warn(message);
  const signer = loadSigner(options, { now: settings.clock(), clientCertificateId: settings.clientCertificateId, onClockTolerance });

  const refreshWindowMs = settings.refreshBeforeExpirySeconds * 1000;
  let cached: AwsCredentials | undefined;
  let inFlight: Promise<AwsCredentials> | undefined;

  const isFresh = (credentials: AwsCredentials): boolean =>
    credentials.expiration === undefined || settings.clock().getTime() < credentials.expiration.getTime() - refreshWindowMs;

  const refresh = async (): Promise<AwsCredentials> => {
    const now = settings.clock();
    // A long-running process can outlive its certificate: say so rather than send it.
    checkValidity(signer.certificate, now, onClockTolerance);
    try {
      return await sessionIn(settings, now);
    } catch (error) {
      // A multi-region connector: the primary did not answer, the secondary's trust anchor may.
      const secondary = settings.secondary?.();
      if (secondary === undefined || !isRegionOutage(error)) throw error;
      const target = { ...settings, ...secondarySettings(secondary) };
      const credentials = await sessionIn(target, settings.clock());
      secondary.onFallback?.(settings.region, target.region, (error as Error).message);
      return credentials;
    }
  };

  const sessionIn = (target: Pick<typeof settings, 'trustAnchorArn' | 'profileArn' | 'region' | 'endpoint'>, now: Date) =>
    createSession({
      signer,
      trustAnchorArn: target.trustAnchorArn,
      profileArn: target.profileArn,
      roleArn: settings.roleArn,
      region: target.region,
      endpoint: target.endpoint,
      durationSeconds: settings.durationSeconds,
      roleSessionName: settings.roleSessionName,
      date: now,
      fetch: settings.fetch,
      timeoutMs: settings.requestTimeoutMs,
      // A session inside the refresh window would be stale on arrival and refreshed on every call.
      minValidityMs: refreshWindowMs,
    });

  return () => {
    if (cached && isFresh(cached)) return Promise.resolve(cached);
    if (!inFlight) {
      inFlight = refresh()
        .then((credentials) => {
          cached = credentials;
          return credentials;
        })
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  };
}

/** The secondary target, checked when it is first used (it is learnt after the options were). */
function secondarySettings(secondary: SecondarySessionTarget): { trustAnchorArn: string; profileArn: string; region: string; endpoint?: string } {
  const anchor = parseArn(secondary.trustAnchorArn);
  const profile = parseArn(secondary.profileArn);
  if (!anchor || anchor.service !== 'rolesanywhere' || !profile || profile.region !== anchor.region) {
    throw new InputError(`invalid secondary session target: expected a trust anchor ARN and a profile ARN in the same region, got ${secondary.trustAnchorArn.slice(0, 120)} and ${secondary.profileArn.slice(0, 120)}`);
  }
  const { trustAnchorArn, profileArn, endpoint } = secondary;
  // Spread over the primary's settings: an endpoint left out is the secondary region's own (as
  // documented), not the primary's override, which addresses the other region's service.
  return { trustAnchorArn, profileArn, region: anchor.region, endpoint };
}
