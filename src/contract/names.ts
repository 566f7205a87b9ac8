/**
 * Names and defaults both faces must agree on: what the constructs accept at synth, the runtime
 * checks at startup, and what a connection made by the construct or by `registerApp` looks like.
 */

/** An IAM role session name (what `SessionName` and Roles Anywhere's `roleSessionName` take). */
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The header that carries the API key when neither the caller nor the contract names one. */
export const DEFAULT_API_KEY_HEADER = 'x-api-key';

/**
 * Invocations per second of an API destination when nobody says: gentle enough for one
 * application instance; events above the rate wait and are retried, not dropped.
 */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 50;

/**
 * The one rule that turns a connector's construct id into its names: lower-case kebab case,
 * words split where a lower-case letter or digit meets an upper-case one and before the last
 * capital of an acronym that starts a word, every run of other characters one `-`.
 * `Orders` gives `orders`, `OrdersEU` gives `orders-eu`, `HTTPOrders` gives `http-orders`,
 * `orders_v2` gives `orders-v2`. The parameter path is `/eventbridge-connector/<slug>` and the
 * resource name prefix `<slug>.` (see `RESOURCE_NAME_DELIMITER`). Returns '' when the id has no
 * letter or digit.
 */
export function connectorSlug(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** EventBridge connection, API destination and rule names: 1 to 64 characters (CreateConnection, CreateApiDestination, PutRule). */
export const MAX_EVENTBRIDGE_NAME_LENGTH = 64;

/**
 * The longest part a construct adds after the resource name prefix: a receiver's
 * `<receiver id>-conn`, `-dest` or `-rule`, its id cut to fit.
 */
export const GENERATED_NAME_LENGTH = 24;

/**
 * The one limit on a resource name prefix, given or derived from the construct id: every name the
 * constructs generate under it then fits EventBridge's 64 characters.
 */
export const MAX_RESOURCE_NAME_PREFIX_LENGTH = MAX_EVENTBRIDGE_NAME_LENGTH - GENERATED_NAME_LENGTH;
