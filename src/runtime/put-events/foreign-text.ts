/**
 * What a server says (error codes and messages, EventIds) is passed to callers and their logs;
 * it is bounded and escaped here so that a hostile or broken endpoint can neither flood a log nor
 * write lines of its own into it.
 */
import { escapeBounded } from '../../contract/quote';

/** Longest error code passed on; AWS's codes are under 64 characters. */
export const MAX_ERROR_CODE_CHARACTERS = 128;
/** Longest error message passed on (then `... (N characters)`); AWS's are under 1,000. */
export const MAX_ERROR_MESSAGE_CHARACTERS = 1024;

const ERROR_CODE = /^[A-Za-z0-9._:-]{1,128}$/;
/** An EventId: 1 to 256 printable ASCII characters (EventBridge's are UUIDs). */
const EVENT_ID = /^[\x20-\x7e]{1,256}$/;

/** `code` when it is code-shaped (1-128 of `A-Za-z0-9._:-`), else `fallback`. */
export function errorCodeOr(code: string, fallback: string): string {
  return ERROR_CODE.test(code) ? code : fallback;
}

/** A message from a server, escaped and bounded to {@link MAX_ERROR_MESSAGE_CHARACTERS}. */
export function foreignMessage(message: string): string {
  return escapeBounded(message, MAX_ERROR_MESSAGE_CHARACTERS);
}

export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID.test(value);
}
