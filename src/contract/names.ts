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
