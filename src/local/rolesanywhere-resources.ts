/**
 * The trust anchors and profiles a loopback Roles Anywhere service knows, checked as
 * CreateTrustAnchor and CreateProfile would check them.
 */
import { X509Certificate } from 'node:crypto';
import { checkArn, MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS, DEFAULT_SESSION_DURATION_SECONDS } from '../contract';
import { describeCertificate, parseCertificates } from '../runtime/credentials/certificates';

export interface TrustAnchorConfig {
  /** `arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor/<uuid>` */
  readonly arn: string;
  /** The CA certificates (PEM; one bundle or several) that client certificates must chain to. */
  readonly certificatesPem: string | readonly string[];
  /** @default true */
  readonly enabled?: boolean;
}

export interface ProfileConfig {
  /** `arn:<partition>:rolesanywhere:<region>:<account>:profile/<uuid>` */
  readonly arn: string;
  /** Roles a session may be created for. */
  readonly roleArns: readonly string[];
  /** Longest session this profile vends, 900 to 43200. @default 3600 */
  readonly durationSeconds?: number;
  /** Whether a request may name the role session. @default false */
  readonly acceptRoleSessionName?: boolean;
  /** @default true */
  readonly enabled?: boolean;
}

export interface TrustAnchor {
  readonly arn: string;
  readonly certificates: readonly X509Certificate[];
  readonly enabled: boolean;
}

export interface Profile {
  readonly arn: string;
  readonly roleArns: readonly string[];
  readonly durationSeconds: number;
  readonly acceptRoleSessionName: boolean;
  readonly enabled: boolean;
}

export function trustAnchorFromConfig(config: TrustAnchorConfig): TrustAnchor {
  fail(checkArn('trust-anchor', config.arn, 'trust anchor ARN'));
  const bundles = typeof config.certificatesPem === 'string' ? [config.certificatesPem] : config.certificatesPem;
  const certificates = bundles.flatMap((pem) => parseCertificates(pem, `certificatesPem of trust anchor '${config.arn}'`));
  if (certificates.length === 0) {
    throw new Error(`trust anchor '${config.arn}' has no certificates: expected PEM CA certificates in certificatesPem`);
  }
  const notCa = certificates.find((c) => !c.ca);
  if (notCa) {
    throw new Error(`trust anchor '${config.arn}' holds '${describeCertificate(notCa)}', which is not a CA certificate: expected basicConstraints CA:true`);
  }
  return { arn: config.arn, certificates, enabled: config.enabled ?? true };
}

export function profileFromConfig(config: ProfileConfig): Profile {
  fail(checkArn('profile', config.arn, 'profile ARN'));
  if (!Array.isArray(config.roleArns) || config.roleArns.length === 0) {
    throw new Error(`profile '${config.arn}' has no roleArns: expected at least one IAM role ARN`);
  }
  for (const role of config.roleArns) fail(checkArn('role', role, `role ARN of profile '${config.arn}'`));
  const duration = config.durationSeconds ?? DEFAULT_SESSION_DURATION_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_SESSION_DURATION_SECONDS || duration > MAX_SESSION_DURATION_SECONDS) {
    throw new Error(`invalid durationSeconds ${duration} of profile '${config.arn}': expected an integer from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`);
  }
  return {
    arn: config.arn,
    roleArns: [...config.roleArns],
    durationSeconds: duration,
    acceptRoleSessionName: config.acceptRoleSessionName ?? false,
    enabled: config.enabled ?? true,
  };
}

function fail(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}
