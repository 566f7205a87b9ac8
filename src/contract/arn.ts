/** ARN parsing and checks shared by the constructs and the runtime; partition-aware. */

export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account, e.g. `role/path/name` or `profile/<uuid>`. */
  readonly resource: string;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const ACCOUNT = /^\d{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Splits an ARN into its parts, or returns undefined when the value is not an ARN. */
export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !PARTITION.test(parts[1]) || !parts[2]) return undefined;
  const resource = parts.slice(5).join(':');
  if (!resource) return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource };
}

export function formatArn(parts: ArnParts): string {
  return `arn:${parts.partition}:${parts.service}:${parts.region}:${parts.account}:${parts.resource}`;
}

/** The kinds of ARN the connector takes, with what each must look like. */
export type ConnectorArnKind = 'role' | 'trust-anchor' | 'profile' | 'crl' | 'event-bus' | 'acm-pca' | 'secret';

const EXPECTED: Record<ConnectorArnKind, string> = {
  'role': 'an IAM role ARN such as arn:aws:iam::123456789012:role/name',
  'trust-anchor': 'a Roles Anywhere trust anchor ARN such as arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/<uuid>',
  'profile': 'a Roles Anywhere profile ARN such as arn:aws:rolesanywhere:eu-west-1:123456789012:profile/<uuid>',
  'crl': 'a Roles Anywhere CRL ARN such as arn:aws:rolesanywhere:eu-west-1:123456789012:crl/<uuid>',
  'event-bus': 'an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/name',
  'acm-pca': 'an ACM Private CA ARN such as arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/<uuid>',
  'secret': 'a Secrets Manager secret ARN such as arn:aws:secretsmanager:eu-west-1:123456789012:secret:name-AbCdEf',
};

/**
 * Says what is wrong with an ARN of the given kind, or returns undefined when it is well formed.
 * The message names the value and what was expected.
 */
export function checkArn(kind: ConnectorArnKind, arn: string, what: string = kind): string | undefined {
  const bad = `invalid ${what} '${arn}': expected ${EXPECTED[kind]}`;
  const p = parseArn(arn);
  if (!p || !ACCOUNT.test(p.account)) return bad;
  switch (kind) {
    case 'role':
      return p.service === 'iam' && p.region === '' && /^role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(p.resource) ? undefined : bad;
    case 'trust-anchor':
    case 'profile':
    case 'crl': {
      const [type, id, ...rest] = p.resource.split('/');
      return p.service === 'rolesanywhere' && p.region !== '' && type === kind && UUID.test(id ?? '') && rest.length === 0 ? undefined : bad;
    }
    case 'event-bus':
      return p.service === 'events' && p.region !== '' && /^event-bus\/[\w.\-/]{1,256}$/.test(p.resource) ? undefined : bad;
    case 'acm-pca':
      return p.service === 'acm-pca' && p.region !== '' && /^certificate-authority\/[0-9a-f-]{36}$/.test(p.resource) ? undefined : bad;
    case 'secret':
      return p.service === 'secretsmanager' && p.region !== '' && /^secret:[\w/+=.@-]+$/.test(p.resource) ? undefined : bad;
  }
}

/** The last path segment of an ARN's resource (`role/a/b` gives `b`, `profile/<id>` gives the id). */
export function arnResourceName(arn: string): string | undefined {
  const p = parseArn(arn);
  if (!p) return undefined;
  const segments = p.resource.split(/[/:]/);
  return segments[segments.length - 1] || undefined;
}

/**
 * Trust anchor and profile must be in one region: CreateSession goes to the trust anchor's
 * regional endpoint, which only knows profiles of its own region.
 */
export function checkSameRegion(trustAnchorArn: string, profileArn: string): string | undefined {
  const anchor = parseArn(trustAnchorArn);
  const profile = parseArn(profileArn);
  if (!anchor || !profile) return undefined;
  if (anchor.region !== profile.region) {
    return `trust anchor '${trustAnchorArn}' is in ${anchor.region} but profile '${profileArn}' is in ${profile.region}: expected both in one region`;
  }
  if (anchor.partition !== profile.partition || anchor.account !== profile.account) {
    return `trust anchor '${trustAnchorArn}' and profile '${profileArn}' must be in the same partition and account`;
  }
  return undefined;
}
