/** Options of the coalescing `putEvent` front and of the quota controls, checked once. */
import { quote } from '../../contract/quote';
import { InputError } from '../errors';
import { checkKnownKeys, knownKeys } from '../known-keys';

/** What `putEvent` does when the buffer is full. */
export type BackpressurePolicy = 'wait' | 'reject';

export interface ProducerOptions {
  /**
   * Longest a lone event waits for company before its request goes out, in milliseconds. A full
   * batch (10 entries or `maxRequestBytes`) goes at once; under load, batches fill well before.
   * @default 5
   */
  readonly flushWindowMs?: number;
  /**
   * Most events waiting in the buffer (not yet in a request) before backpressure applies.
   * @default 10000
   */
  readonly maxBufferedEvents?: number;
  /**
   * Most bytes (as EventBridge counts them) waiting in the buffer before backpressure applies.
   * @default 16777216 (16 MiB)
   */
  readonly maxBufferedBytes?: number;
  /**
   * `wait`: `putEvent` waits for room (at most `maxBufferWaitMs`); `reject`: it rejects at once
   * with a `PutEventError` whose code is `BufferFull`.
   * @default 'wait'
   */
  readonly backpressure?: BackpressurePolicy;
  /**
   * Longest `putEvent` waits for room in a full buffer, in milliseconds; then it rejects with
   * `BufferFull`.
   * @default 60000
   */
  readonly maxBufferWaitMs?: number;
  /**
   * Most `putEvent` calls waiting for room in a full buffer (backpressure `wait`); past it a new
   * call is refused at once with `BufferFull`, so callers that do not await their calls cannot
   * grow memory without bound while the endpoint does not keep up.
   * @default 10000
   */
  readonly maxBufferWaiters?: number;
}

/** How the client's requests share their retries and rate, named after the AWS SDKs' retry modes. */
export type RetryMode = 'standard' | 'adaptive';

export interface QuotaOptions {
  /**
   * `adaptive`: retries are paid from a retry budget shared by all the client's requests (below),
   * and after the first throttled answer every request (first attempts too) waits for a send rate
   * in entries per second that CUBIC adapts to the throttling (the SDKs' `adaptive` mode,
   * `DefaultRateLimiter`, counting entries rather than requests), so the client converges on a
   * quota it does not know and sends little while everything is throttled: measured in a storm
   * (every request throttled for 8 s), a few percent of the request rate before (2.5% in one
   * run), and back to full within 10 s after. Until the first throttle it limits nothing.
   * `standard`: the budget alone (the SDKs' `standard` mode, `StandardRetryStrategy`: 500 tokens,
   * 5 per retry, 10 per retry after a timeout, refilled by successes); once it is spent, a
   * retryable failure is final and says so, but first attempts go on at the callers' pace, so a
   * storm still sees over 40% of the request rate before.
   *
   * The default differs from the AWS SDK's (`standard`): an SDK client makes a caller's one
   * request, while this client sends for many callers at once into a PutEvents quota it is not
   * told, shared with other producers of the account; a producer that does not know its quota
   * must converge on it rather than keep loading a service that is refusing. Choose `standard`
   * for no client-side rate at all, or `rateLimit` when you know the quota.
   * @default 'adaptive'
   */
  readonly retryMode?: RetryMode;
  /**
   * Tokens in the shared retry budget (see `retryMode`); 0 turns retries off.
   * @default 500 (the SDKs' INITIAL_RETRY_TOKENS)
   */
  readonly retryTokens?: number;
  /**
   * Client-side rate limit in events per second over every PutEvents request of the client
   * (`putEvents`, `putEvent`, outboxes), retries included. Set it below your account's PutEvents
   * quota for the region (Service Quotas, "PutEvents throttle limit in transactions per second";
   * e.g. 10,000 in us-east-1, 2,400 or fewer in smaller regions) to never be throttled.
   * @default - no limit
   */
  readonly rateLimit?: number;
  /**
   * Events that may go at once after a quiet spell, on top of the rate.
   * @default - a tenth of a second's worth of `rateLimit`, at least 10
   */
  readonly rateLimitBurst?: number;
  /**
   * Adapt the number of requests in flight (up to `putEvents.concurrency`) to throttling: halve it
   * on a throttled answer, add one per round trip of unthrottled ones.
   * @default false
   */
  readonly adaptiveConcurrency?: boolean;
}

export interface ResolvedProducerOptions {
  readonly flushWindowMs: number;
  readonly maxBufferedEvents: number;
  readonly maxBufferedBytes: number;
  readonly backpressure: BackpressurePolicy;
  readonly maxBufferWaitMs: number;
  readonly maxBufferWaiters: number;
}

export const DEFAULT_FLUSH_WINDOW_MS = 5;
export const DEFAULT_MAX_BUFFERED_EVENTS = 10_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_BUFFER_WAIT_MS = 60_000;
/** About 10 MB of waiting calls (entry, promise, timer) at a typical 1 KB event. */
export const DEFAULT_MAX_BUFFER_WAITERS = 10_000;

/** The retry mode of a client whose `quota.retryMode` is not given (see {@link QuotaOptions.retryMode}). */
export const DEFAULT_RETRY_MODE: RetryMode = 'adaptive';

/** The client's retry mode, the default applied (the options checked by {@link checkQuotaOptions}). */
export function resolveRetryMode(options: QuotaOptions): RetryMode {
  return options.retryMode ?? DEFAULT_RETRY_MODE;
}

export const PRODUCER_OPTION_KEYS = knownKeys<ProducerOptions>({
  flushWindowMs: true, maxBufferedEvents: true, maxBufferedBytes: true, backpressure: true, maxBufferWaitMs: true, maxBufferWaiters: true,
});

export const QUOTA_OPTION_KEYS = knownKeys<QuotaOptions>({
  retryMode: true, retryTokens: true, rateLimit: true, rateLimitBurst: true, adaptiveConcurrency: true,
});

/** The client's `producer` options checked, defaults applied. @throws InputError naming the first unknown or bad option */
export function resolveProducerOptions(options: ProducerOptions = {}, maxRequestBytes: number): ResolvedProducerOptions {
  checkKnownKeys(options, PRODUCER_OPTION_KEYS, 'option', 'producer.');
  const resolved: ResolvedProducerOptions = {
    flushWindowMs: options.flushWindowMs ?? DEFAULT_FLUSH_WINDOW_MS,
    maxBufferedEvents: options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    backpressure: options.backpressure ?? 'wait',
    maxBufferWaitMs: options.maxBufferWaitMs ?? DEFAULT_MAX_BUFFER_WAIT_MS,
    maxBufferWaiters: options.maxBufferWaiters ?? DEFAULT_MAX_BUFFER_WAITERS,
  };
  number('flushWindowMs', resolved.flushWindowMs, 0, 60_000, 'a number of milliseconds from 0 to 60000');
  number('maxBufferedEvents', resolved.maxBufferedEvents, 1, Number.MAX_SAFE_INTEGER, 'a whole number, 1 or more', true);
  number('maxBufferedBytes', resolved.maxBufferedBytes, maxRequestBytes, Number.MAX_SAFE_INTEGER,
    `a whole number of bytes, at least maxRequestBytes (${maxRequestBytes}) so any valid event fits`, true);
  number('maxBufferWaitMs', resolved.maxBufferWaitMs, 0, 3_600_000, 'a number of milliseconds from 0 to 3600000');
  number('maxBufferWaiters', resolved.maxBufferWaiters, 0, Number.MAX_SAFE_INTEGER, 'a whole number of calls, 0 or more', true);
  if (resolved.backpressure !== 'wait' && resolved.backpressure !== 'reject') {
    throw new InputError(`invalid backpressure '${String(resolved.backpressure).slice(0, 40)}': expected 'wait' or 'reject'`);
  }
  return resolved;
}

/** @throws InputError naming the first unknown or bad option of the client's `quota` */
export function checkQuotaOptions(options: QuotaOptions): void {
  checkKnownKeys(options, QUOTA_OPTION_KEYS, 'option', 'quota.');
  if (options.rateLimit !== undefined) number('rateLimit', options.rateLimit, 0.001, 1e9, 'a number of events per second above 0');
  if (options.rateLimitBurst !== undefined) number('rateLimitBurst', options.rateLimitBurst, 10, 1e9, 'a whole number of events, at least 10 (one request)', true);
  if (options.retryMode !== undefined && options.retryMode !== 'standard' && options.retryMode !== 'adaptive') {
    throw new InputError(`invalid retryMode ${quote(options.retryMode)}: expected 'standard' or 'adaptive'`);
  }
  if (options.retryTokens !== undefined) number('retryTokens', options.retryTokens, 0, 1e9, 'a whole number of tokens, 0 or more', true);
}

function number(name: string, value: unknown, min: number, max: number, expected: string, whole = false): void {
  if (typeof value !== 'number' || !(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
    throw new InputError(`invalid ${name} '${String(value).slice(0, 40)}': expected ${expected}`);
  }
}
