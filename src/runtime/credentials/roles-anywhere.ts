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
import { resolveRolesAnywhereOptions, RolesAnywhereOptions } from './roles-anywhere-options';

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
    return createSession({
      signer,
      trustAnchorArn: settings.trustAnchorArn,
      profileArn: settings.profileArn,
      roleArn: settings.roleArn,
      region: settings.region,
      endpoint: settings.endpoint,
      durationSeconds: settings.durationSeconds,
      roleSessionName: settings.roleSessionName,
      date: now,
      fetch: settings.fetch,
      timeoutMs: settings.requestTimeoutMs,
      // A session inside the refresh window would be stale on arrival and refreshed on every call.
      minValidityMs: refreshWindowMs,
    });
  };

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
