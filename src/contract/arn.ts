/** ARN parsing and checks shared by the constructs and the runtime; partition-aware. */

export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account, e.g. `role/path/name` or `profile/<uuid>`. */
  readonly resource: string;
}

import { quote } from './quote';
import { PARTITIONS } from './regions.generated';

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
  const bad = `invalid ${what} ${quote(arn)}: expected ${EXPECTED[kind]}`;
  const p = parseArn(arn);
  if (!p || !ACCOUNT.test(p.account)) return bad;
  const partition = PARTITIONS.find((known) => known.id === p.partition);
  if (!partition) {
    return `invalid ${what} ${quote(arn)}: unknown partition ${quote(p.partition)}, expected one of ${PARTITIONS.map((known) => known.id).join(', ')}`;
  }
  if (p.region !== '' && !Object.prototype.hasOwnProperty.call(partition.regions, p.region) && !new RegExp(partition.regionRegex).test(p.region)) {
    return `invalid ${what} ${quote(arn)}: ${quote(p.region)} is not a region of partition ${p.partition}, expected one such as ${Object.keys(partition.regions)[0]}`;
  }
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
 * Trust anchor and profile must be in one region and account: CreateSession goes to the trust
 * anchor's regional endpoint, which only knows the profiles of its own region and account.
 */
export function checkSameRegion(trustAnchorArn: string, profileArn: string): string | undefined {
  const anchor = parseArn(trustAnchorArn);
  const profile = parseArn(profileArn);
  if (!anchor || !profile) return undefined;
  if (anchor.region !== profile.region) {
    return `trust anchor ${quote(trustAnchorArn)} is in ${anchor.region} but profile ${quote(profileArn)} is in ${profile.region}: expected both in one region`;
  }
  if (anchor.partition !== profile.partition || anchor.account !== profile.account) {
    return `trust anchor ${quote(trustAnchorArn)} and profile ${quote(profileArn)} are in different accounts: expected both in one partition and account`;
  }
  return undefined;
}

/**
 * The role must be in the account of the trust anchor and profile: a Roles Anywhere profile only
 * lists roles of its own account (CreateProfile refuses others).
 */
export function checkSameAccount(roleArn: string, profileArn: string): string | undefined {
  const role = parseArn(roleArn);
  const profile = parseArn(profileArn);
  if (!role || !profile) return undefined;
  if (role.partition !== profile.partition || role.account !== profile.account) {
    return `role ${quote(roleArn)} is in account ${quote(role.account)} but profile ${quote(profileArn)} is in ${quote(profile.account)}: expected the role in the profile's account`;
  }
  return undefined;
}

/** Where a resource is, as far as synthesis knows it: undefined fields are not compared. */
export interface Placement {
  readonly account?: string;
  readonly region?: string;
}

/**
 * Says why a resource at `arn` cannot be used from `expected` (a stack's account and region), or
 * undefined when it can or when the ARN does not say. `what` names the resource in the message.
 */
export function checkPlacement(what: string, arn: string, expected: Placement, why: string): string | undefined {
  const p = parseArn(arn);
  if (!p) return undefined;
  const accountDiffers = expected.account !== undefined && p.account !== '' && p.account !== expected.account;
  const regionDiffers = expected.region !== undefined && p.region !== '' && p.region !== expected.region;
  if (!accountDiffers && !regionDiffers) return undefined;
  const where = [expected.account && `account ${expected.account}`, expected.region && `region ${expected.region}`].filter(Boolean).join(', ');
  return `invalid ${what} ${quote(arn)}: it is in ${[accountDiffers && `account ${p.account}`, regionDiffers && `region ${p.region}`].filter(Boolean).join(', ')}, expected ${where} (${why})`;
}
