/**
 * The idempotency key inside an event: a string the producer fixes once per entry and carries in
 * `detail` under {@link IDEMPOTENCY_KEY_FIELD}, so every copy of the event carries the same key: a
 * sender's retry, an outbox's resend after a restart, and the copy a global endpoint replicates to
 * the other region under another `id`. Both sides use this file: the sender splices the key into
 * the detail's JSON text (after the claim check, so a reference carries it too) and counts it in
 * the entry's size; the receivers take it out of `detail`, so handlers see `detail` as it was sent,
 * and deduplicate on it.
 */
import { ConnectorError } from './errors';
import { quote } from '../contract/quote';

/**
 * The key of `detail` that carries the idempotency key, e.g. `"_idempotencyKey": "5f0c...-9a1b"`.
 * Reserved like `_trace` and `_claimCheck`: receivers take it out of every event, whoever sent it.
 */
export const IDEMPOTENCY_KEY_FIELD = '_idempotencyKey';

/** Longest key, in characters (code points): a UUID has 36; a store's key column stays small. */
export const MAX_IDEMPOTENCY_KEY_CHARACTERS = 256;

const QUOTED_FIELD = `"${IDEMPOTENCY_KEY_FIELD}"`;
const EXPECTED = `expected a string of 1 to ${MAX_IDEMPOTENCY_KEY_CHARACTERS} printable characters`;
/** C0 controls, DEL, C1 controls, and UTF-16 halves without their other half (not text in UTF-8). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Thrown (as a delivery's failure) when a received event's key cannot be used: a `keyOf` that
 * throws or answers anything but a valid key, or a `_idempotencyKey` field that is not one.
 * Code `InvalidIdempotencyKey`.
 */
export class IdempotencyKeyError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidIdempotencyKey', message, options);
  }
}

/**
 * What is wrong with `value` as an idempotency key, or undefined: a string of 1 to 256 characters
 * with no control characters and no unpaired UTF-16 surrogate (`name` goes into the message).
 */
export function idempotencyKeyProblem(value: unknown, name = 'idempotencyKey'): string | undefined {
  if (typeof value !== 'string') return `invalid ${name} ${describe(value)}: ${EXPECTED}`;
  const characters = value.length <= MAX_IDEMPOTENCY_KEY_CHARACTERS ? value.length : [...value].length;
  if (characters === 0 || characters > MAX_IDEMPOTENCY_KEY_CHARACTERS) return `invalid ${name} ${quote(value)}: ${EXPECTED}, got ${characters}`;
  const bad = NOT_PRINTABLE.exec(value);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `invalid ${name} ${quote(value)}: ${EXPECTED} (U+${code} at character ${bad.index} is not one)`;
  }
  return undefined;
}

/**
 * Whether a detail's JSON text has its own top-level `_idempotencyKey` field, and its value:
 * parsed only when the text names the field somewhere, spelt as is or with escapes
 * (`"\u005fidempotencyKey"` is the same key: a key spliced beside it was overridden by it, since
 * parsers keep the last), so most details cost two searches. JSON.stringify writes `\u` escapes
 * only for control characters and lone surrogates, so the parse runs for few details.
 */
export function ownKeyField(detail: string): { value: unknown } | undefined {
  if (!detail.includes(QUOTED_FIELD) && !detail.includes('\\u')) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(detail) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(parsed, IDEMPOTENCY_KEY_FIELD) ? { value: parsed[IDEMPOTENCY_KEY_FIELD] } : undefined;
}

/** `detail` (a JSON object's text without the field at its top level) with the key as its first member. */
export function spliceIdempotencyKey(detail: string, key: string): string {
  // The first `{` opens the object: only whitespace may come before it.
  const open = detail.indexOf('{');
  const rest = detail.slice(open + 1);
  return `${detail.slice(0, open + 1)}${QUOTED_FIELD}:${JSON.stringify(key)}${isEmptyObject(rest) ? '' : ','}${rest}`;
}

/** The UTF-8 bytes {@link spliceIdempotencyKey} adds to `detail`: exactly, since they count in the entry's size. */
export function idempotencyKeyBytes(detail: string, key: string): number {
  const rest = detail.slice(detail.indexOf('{') + 1);
  return QUOTED_FIELD.length + 1 + Buffer.byteLength(JSON.stringify(key), 'utf8') + (isEmptyObject(rest) ? 0 : 1);
}

function isEmptyObject(afterBrace: string): boolean {
  return afterBrace.trimStart().startsWith('}');
}

/** Whether a received `detail` has the field at its top level (then {@link takeIdempotencyKey} takes it out). */
export function hasIdempotencyKeyField(detail: Record<string, unknown>): boolean {
  return Object.prototype.hasOwnProperty.call(detail, IDEMPOTENCY_KEY_FIELD);
}

/** Problems of received keys, by event: weak, so an event takes its problem with it. */
const problems = new WeakMap<object, string>();

/**
 * A received `detail` without the field (a copy; the delivered object is left as it was), and the
 * key when the field held a valid one. Whatever else the field held is taken out too (the name is
 * reserved) and its problem remembered for `owner` through {@link rememberKeyProblem}: a receiver
 * that deduplicates then fails the delivery rather than fall back to the event's `id`.
 */
export function takeIdempotencyKey(detail: Record<string, unknown>): { detail: Record<string, unknown>; key?: string; problem?: string } {
  if (!hasIdempotencyKeyField(detail)) return { detail };
  const { [IDEMPOTENCY_KEY_FIELD]: value, ...rest } = detail;
  const problem = idempotencyKeyProblem(value, `detail.${IDEMPOTENCY_KEY_FIELD}`);
  return problem === undefined ? { detail: rest, key: value as string } : { detail: rest, problem };
}

export function rememberKeyProblem(owner: object, problem: string): void {
  problems.set(owner, problem);
}

/** Why the `_idempotencyKey` that arrived with a received event could not be used, if it could not. */
export function keyProblemOf(owner: object): string | undefined {
  return problems.get(owner);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${quote(String(value))} (a ${typeof value})`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
