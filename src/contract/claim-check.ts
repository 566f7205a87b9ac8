import { quote } from './quote';

/**
 * What both faces agree on about the claim-check store (issue 21): the rules for its key prefix
 * and bucket name, which the constructs check at synth and the runtime at startup, so a prefix
 * that would widen an IAM grant fails before anything is deployed.
 */

/**
 * Longest key prefix accepted: S3 keys are at most 1,024 bytes, and the runtime appends a date
 * and an id (about 50 bytes, see `runtime/claim-check/keys.ts`) after the prefix.
 */
export const MAX_CLAIM_CHECK_PREFIX_LENGTH = 512;

/** One segment of a key prefix: S3's "safe characters" less `*`, `'`, `(` and `)`. */
const PREFIX_SEGMENT = /^[A-Za-z0-9_.!-]+$/;

/**
 * Says what is wrong with a claim-check key prefix, or returns undefined when it is valid: one
 * or more segments of letters, digits, `-`, `_`, `.` or `!`, each ended by `/` (`payloads/`,
 * `payloads/orders/`), no `.` or `..` segment, at most {@link MAX_CLAIM_CHECK_PREFIX_LENGTH}
 * characters. The closing `/` is the delimiter: a grant on `payloads/orders/*` never reaches
 * `payloads/orders-eu/...`. `*` and `?` are IAM wildcards, so a prefix holding one would grant
 * more than it names; S3 also advises against the other characters left out.
 *
 * @param name the prop or key named in the message, e.g. `keyPrefix`
 */
export function checkClaimCheckKeyPrefix(prefix: string, name = 'claim-check key prefix'): string | undefined {
  const expected = 'expected segments of letters, digits, \'-\', \'_\', \'.\' or \'!\', each ended by \'/\', such as payloads/orders/';
  if (typeof prefix !== 'string' || prefix.length === 0 || !prefix.endsWith('/')) return `invalid ${name} ${quote(prefix)}: ${expected}`;
  if (prefix.length > MAX_CLAIM_CHECK_PREFIX_LENGTH) {
    return `invalid ${name} ${quote(prefix)}: ${prefix.length} characters, expected at most ${MAX_CLAIM_CHECK_PREFIX_LENGTH} (S3 keys have 1,024 bytes, and the runtime adds a date and an id)`;
  }
  const segments = prefix.slice(0, -1).split('/');
  if (segments.some((s) => !PREFIX_SEGMENT.test(s))) return `invalid ${name} ${quote(prefix)}: ${expected}`;
  if (segments.some((s) => s === '.' || s === '..')) return `invalid ${name} ${quote(prefix)}: '.' and '..' segments are not allowed (S3 consoles and SDKs read them as paths)`;
  return undefined;
}

/** S3 general purpose bucket names: 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Says what is wrong with an S3 bucket name (the rules of general purpose buckets), or undefined. */
export function checkBucketName(bucketName: string, name = 'bucket name'): string | undefined {
  const ok = typeof bucketName === 'string' && BUCKET_NAME.test(bucketName) && !bucketName.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(bucketName);
  return ok ? undefined : `invalid ${name} ${quote(bucketName)}: expected 3 to 63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit (S3 bucket naming rules)`;
}
