import { GENERATED_NAME_LENGTH, MAX_EVENTBRIDGE_NAME_LENGTH, MAX_RESOURCE_NAME_PREFIX_LENGTH } from './names';
import { quote } from './quote';

/**
 * What ends every resource name prefix and occurs nowhere else in one.
 *
 * A connector is granted `connection/<prefix>*`, `api-destination/<prefix>*` and the secrets
 * `events!connection/<prefix>*`. Were `orders-` and `orders-eu-` both prefixes, the grant on
 * `orders-*` would reach `orders-eu-conn` and its API key, and synth cannot see a connector of
 * another app deployed to the same account and region. With one `.` ending each prefix and none
 * before it, a name under one prefix starts with another prefix only when the two are equal:
 * `orders.*` never matches `orders-eu.conn`. EventBridge names allow `.`; a slug never has one.
 */
export const RESOURCE_NAME_DELIMITER = '.';

/**
 * A resource name prefix: 1 to 39 letters, digits, `-` or `_`, then the delimiter `.`, at most
 * {@link MAX_RESOURCE_NAME_PREFIX_LENGTH} characters in all.
 */
export const RESOURCE_NAME_PREFIX = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_RESOURCE_NAME_PREFIX_LENGTH - 1}}\\.$`);

/** The prefix derived from a connector's slug (see `connectorSlug`): `orders` gives `orders.`. */
export function resourceNamePrefixOf(slug: string): string {
  return `${slug}${RESOURCE_NAME_DELIMITER}`;
}

/**
 * Why `prefix` is not a resource name prefix, or undefined when it is: `invalid resourceNamePrefix
 * 'orders-': expected ... such as 'orders.' ...`. Both faces run it: the constructs on their
 * props, the runtime on the contract's `ResourceNamePrefix`.
 */
export function checkResourceNamePrefix(prefix: string): string | undefined {
  if (RESOURCE_NAME_PREFIX.test(prefix)) return undefined;
  const suggestion = suggestPrefix(prefix);
  const length = prefix.length > MAX_RESOURCE_NAME_PREFIX_LENGTH ? ` (it has ${prefix.length})` : '';
  return `invalid resourceNamePrefix ${quote(prefix)}: expected 1 to ${MAX_RESOURCE_NAME_PREFIX_LENGTH - 1} letters, digits, '-' or '_' ended by one '.'` +
    `${suggestion === undefined ? '' : `, such as ${quote(suggestion)}`} ` +
    '(\'.\' is the delimiter no prefix contains elsewhere, so one connector\'s names never start with another\'s prefix), ' +
    `at most ${MAX_RESOURCE_NAME_PREFIX_LENGTH} characters${length} so that the ${GENERATED_NAME_LENGTH} a receiver generates after it fit EventBridge's ${MAX_EVENTBRIDGE_NAME_LENGTH}`;
}

/**
 * The rule of contracts of SchemaVersion 1, written before the delimiter: 1 to 64 of the
 * characters EventBridge names allow. Read, never written.
 */
const LEGACY_RESOURCE_NAME_PREFIX = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * {@link checkResourceNamePrefix} for a contract of `schemaVersion`: a version 1 contract predates
 * the delimiter, so its prefix (such as `orders-`) is read by the rule it was written by.
 */
export function checkContractResourceNamePrefix(prefix: string, schemaVersion: string | undefined): string | undefined {
  if (schemaVersion !== '1') return checkResourceNamePrefix(prefix);
  if (LEGACY_RESOURCE_NAME_PREFIX.test(prefix)) return undefined;
  return `invalid resourceNamePrefix ${quote(prefix)}: expected 1 to 64 letters, digits, '.', '-' or '_' ` +
    '(the rule of SchemaVersion 1 contracts; deploying the stack again writes SchemaVersion 2)';
}

/** The nearest valid prefix: other characters as `-`, leading and trailing `-` and `_` dropped, `.` added. */
function suggestPrefix(prefix: string): string | undefined {
  const body = prefix.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  const suggestion = resourceNamePrefixOf(body);
  return RESOURCE_NAME_PREFIX.test(suggestion) ? suggestion : undefined;
}
