// Checks a ClaimCheckStore's props (and a connector's claimCheck option) before any construct
// exists, and applies their defaults.
import { Duration, RemovalPolicy, Token, Tokenization } from 'aws-cdk-lib';
import type { ClaimCheckBucketOptions, ClaimCheckStoreProps } from './claim-check-store-props';
import { checkBucketName, checkClaimCheckKeyPrefix, MAX_CLAIM_CHECK_PREFIX_LENGTH, quote } from '../contract';

/** The store's prefix when none is given. */
export const DEFAULT_CLAIM_CHECK_KEY_PREFIX = 'payloads/';

/**
 * 15 days: an SQS message lives at most 14 days from its first send (MessageRetentionPeriod's
 * maximum, and a dead-letter queue keeps the original enqueue time), EventBridge retries an API
 * destination for at most 24 hours; a day more covers S3 expiring at the next midnight UTC.
 */
export const DEFAULT_CLAIM_CHECK_RETENTION = Duration.days(15);

/** S3 lifecycle expirations count whole days, at least 1. */
const MIN_RETENTION_DAYS = 1;

export interface NormalizedClaimCheckStoreProps {
  readonly keyPrefix: string;
  readonly retention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Checks a store's props and returns them with their defaults. Unresolved tokens pass where
 * CloudFormation or S3 checks them at deployment; a key prefix with tokens must still end with a
 * literal `/` and hold no wildcard. Throws `invalid <prop> '<value>': expected ...`.
 */
export function validateClaimCheckStoreProps(props: ClaimCheckStoreProps): NormalizedClaimCheckStoreProps {
  const keyPrefix = props.keyPrefix ?? DEFAULT_CLAIM_CHECK_KEY_PREFIX;
  const problem =
    keyPrefixProblem(keyPrefix, 'keyPrefix') ??
    checkRetention(props.retention) ??
    (props.bucketName === undefined || Token.isUnresolved(props.bucketName) ? undefined : checkBucketName(props.bucketName, 'bucketName')) ??
    checkLogsPrefix(props);
  if (problem) throw new Error(problem);
  return { keyPrefix, retention: props.retention ?? DEFAULT_CLAIM_CHECK_RETENTION, removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN };
}

/**
 * Why a key prefix breaks the rule of {@link checkClaimCheckKeyPrefix}, or undefined. With tokens,
 * the literal rest must fit whatever they become: it holds no `*`, `?` or other character the
 * rule refuses, and it ends with `/`, so the grant on `<prefix>*` stays below a delimiter.
 */
export function keyPrefixProblem(prefix: string, name: string): string | undefined {
  if (typeof prefix !== 'string') return `invalid ${name} ${quote(prefix)}: expected a string such as payloads/orders/`;
  if (!Token.isUnresolved(prefix)) return checkClaimCheckKeyPrefix(prefix, name);
  const literal = Tokenization.reverseString(prefix).mapTokens({ mapToken: () => TOKEN_STANDIN }).join({ join: (l, r) => `${l}${r}` });
  if (/^[A-Za-z0-9_.!/\0-]*\/$/.test(literal) && literal.length <= MAX_CLAIM_CHECK_PREFIX_LENGTH) return undefined;
  return `invalid ${name} ${quote(prefix)}: expected letters, digits, '-', '_', '.', '!' or '/' around its tokens and a literal '/' at its end, whatever the tokens become ` +
    '(\'/\' ends the prefix a grant is scoped to, and \'*\' or \'?\' would widen it)';
}

/** What a token counts as when the literal rest of a prefix is checked. */
const TOKEN_STANDIN = '\0';

export function checkRetention(retention: Duration | undefined, name = 'retention'): string | undefined {
  if (retention === undefined || retention.isUnresolved()) return undefined;
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) {
    return `invalid ${name} ${quote(retention.toHumanString())}: expected a whole number of days, at least ${MIN_RETENTION_DAYS} (S3 lifecycle expiration); ` +
      `longer than any event that points at a payload may wait: ${DEFAULT_CLAIM_CHECK_RETENTION.toDays()} days covers a queue's 14`;
  }
  return undefined;
}

export function checkLogsPrefix(options: ClaimCheckBucketOptions, name = 'serverAccessLogsPrefix'): string | undefined {
  if (options.serverAccessLogsPrefix === undefined) return undefined;
  if (options.serverAccessLogsBucket === undefined) {
    return `invalid ${name} ${quote(options.serverAccessLogsPrefix)}: no serverAccessLogsBucket is given, expected both or neither`;
  }
  return undefined;
}
