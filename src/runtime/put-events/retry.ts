/** Which PutEvents failures are worth another attempt, and how long to wait before it. */
import { errorCodeOr, foreignMessage } from './foreign-text';
import { codeForStatus, statusMessage } from './http-errors';

/** Entry error codes EventBridge documents as retryable (PutEventsResultEntry); all others are final. */
const RETRYABLE_ENTRY_CODES: ReadonlySet<string> = new Set(['ThrottlingException', 'InternalFailure']);

/** Error names AWS services use for "slow down", as the SDK's own retry strategy knows them. */
const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** What the SDK calls an error answer it found no code in (`SyntaxError`: a body that is not JSON). */
const CODELESS_NAMES: ReadonlySet<string> = new Set(['', 'Unknown', 'UnknownError', 'SyntaxError']);

const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** Node's codes for a connection that failed or went away: the request may or may not have arrived. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

export function isRetryableEntryCode(code: string): boolean {
  return RETRYABLE_ENTRY_CODES.has(code);
}

/** Why a whole PutEvents request failed, in the terms of a result entry. */
export interface RequestFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** HTTP status of the answer, when there was one. */
  readonly httpStatusCode?: number;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
  $retryable?: unknown;
}

/**
 * Classifies what a {@link PutEventsFunction} rejected with. Retryable: throttling, 5xx, timeouts
 * and dropped connections (a retry may duplicate an event that did arrive, which at-least-once
 * delivery allows; not retrying could lose it). Everything else (validation, access denied,
 * unknown errors) is final, so a bug is reported rather than hammered.
 */
export function classifyRequestError(error: unknown): RequestFailure {
  const e = unwrap(typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) });
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  let name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : '';
  const nodeCode = typeof e.code === 'string' ? e.code : '';
  let message = typeof e.message === 'string' && e.message ? e.message : '';
  // The SDK names an error answer without a code `Unknown`/`UnknownError`: derive one from the
  // status, as the lean transport does, so a 403 or 429 from a proxy keeps its cause.
  if (status !== undefined && status >= 300 && CODELESS_NAMES.has(name)) {
    name = codeForStatus(status);
    message = statusMessage(status);
  }
  const fallback = status !== undefined && status >= 300 ? codeForStatus(status) : 'RequestFailed';
  const code = errorCodeOr(nodeCode || name || 'RequestFailed', fallback);
  if (message === '') message = code;
  return {
    code,
    message: foreignMessage(message),
    retryable: name !== 'AbortError' && isRetryable(e, name, nodeCode, status),
    httpStatusCode: status,
  };
}

/**
 * The SDK replaces an error that is not an `Error` of its own realm (Node's socket errors seen
 * from a vm context such as Jest's) by `new Error('AWS SDK error wrapper for <name>: <message>')`,
 * dropping its code; recover the name and message from the text.
 */
const SDK_WRAPPER = /^AWS SDK error wrapper for (?:(\w+): )?([\s\S]*)$/;

function unwrap(e: ErrorLike): ErrorLike {
  const wrapped = typeof e.message === 'string' ? SDK_WRAPPER.exec(e.message) : null;
  return wrapped ? { ...e, name: wrapped[1] ?? 'Error', message: wrapped[2], $metadata: e.$metadata } : e;
}

/** The codes AWS refuses a request with for its time (the SDK's CLOCK_SKEW_ERROR_CODES). */
const CLOCK_SKEW_CODES = new Set(['AuthFailure', 'InvalidSignatureException', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'SignatureDoesNotMatch']);

function isRetryable(e: ErrorLike, name: string, nodeCode: string, status: number | undefined): boolean {
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  // Signed with a clock the service disagreed with, and corrected since. Only a refusal for the
  // time: the SDK flags every error of a process whose offset is 4 minutes or more and moved at
  // all (it samples each answer's Date), which would make an AccessDenied retryable.
  if (e.$metadata?.clockSkewCorrected === true && CLOCK_SKEW_CODES.has(name)) return true;
  if (status === 429 || (status !== undefined && status >= 500 && status <= 599)) return true;
  if (THROTTLING_NAMES.has(name) || TIMEOUT_NAMES.has(name) || NETWORK_CODES.has(nodeCode)) return true;
  if (e.message === 'socket hang up') return true;
  const cause = e.cause as ErrorLike | undefined;
  if (cause && typeof cause === 'object') {
    const causeCode = typeof cause.code === 'string' ? cause.code : '';
    return NETWORK_CODES.has(causeCode) || cause.message === 'socket hang up';
  }
  return false;
}

/**
 * Exponential backoff with full jitter: before retry `n` (1 for the first retry), a random delay
 * in `[0, min(maxDelayMs, baseDelayMs * 2^(n-1)))`. Jitter spreads out callers that were
 * throttled together, so they do not come back together.
 */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Whether a failure's code is a timeout or a dropped connection: its retry costs the retry
 * budget more (the SDK's `TIMEOUT_RETRY_COST` for transient errors).
 */
export function isTransientCode(code: string): boolean {
  return TIMEOUT_NAMES.has(code) || NETWORK_CODES.has(code) || code === 'RequestFailed';
}
