/**
 * Wraps the one-request PutEvents function the engine calls, so every request (first attempts and
 * retries alike) passes the rate limit, the adaptive rate and the adaptive concurrency limit, and
 * is counted. The engine ({@link EventSender}) stays unaware: it is handed this function instead
 * of the bare one. A request that waited for a limit while the client closed is not sent.
 */
import type { AdaptiveConcurrency } from './adaptive-concurrency';
import type { RateLimiter } from './rate-limiter';
import { classifyRequestError } from '../put-events/retry';
import { RequestNotSent } from '../put-events/sender';
import type { PutEventsFunction, PutEventsResponse } from '../put-events/types';
import type { AdaptiveRate } from '../retry/adaptive-rate';
import type { PutEventsRequestRecord, PutEventsStats } from '../stats/put-events-stats';
import { recordRequest } from '../tracing/metrics';

export interface ObservedPutEventsOptions {
  readonly stats: PutEventsStats;
  readonly rateLimiter?: RateLimiter;
  readonly concurrency?: AdaptiveConcurrency;
  /** The CUBIC send rate (`quota.retryMode: 'adaptive'`). */
  readonly adaptiveRate?: AdaptiveRate;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Codes AWS uses for "slow down" (the SDK's throttling list), for the adaptive limit. */
const THROTTLING = /^(ThrottlingException|Throttling|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled(Exception)?|SlowDown)$/;

export function observePutEvents(inner: PutEventsFunction, options: ObservedPutEventsOptions): PutEventsFunction {
  const { stats, rateLimiter, concurrency, adaptiveRate } = options;
  const sleep = options.sleep ?? abortableSleep;
  return async (entries, attempt = 1, signal) => {
    if (concurrency) await concurrency.acquire();
    let throttledRequest = false;
    let answered = false;
    const sentAt = performance.now();
    let rateSentAt = 0;
    try {
      if (rateLimiter) {
        const wait = rateLimiter.take(entries.length);
        if (wait > 0) await sleep(wait, signal);
      }
      if (adaptiveRate) {
        // Tried again after each wait: the rate may have changed meanwhile.
        for (let wait = adaptiveRate.take(entries.length); wait > 0 && !signal?.aborted; wait = adaptiveRate.take(entries.length)) {
          await sleep(wait, signal);
        }
      }
      if (signal?.aborted) throw new RequestNotSent();
      if (adaptiveRate) rateSentAt = adaptiveRate.time();
      // The engine retries an entry only in a request of its own attempt number.
      const retried = attempt > 1 ? entries.length : 0;
      const start = performance.now();
      let response: PutEventsResponse;
      try {
        response = await inner(entries, attempt, signal);
      } catch (error) {
        answered = true;
        const { code } = classifyRequestError(error);
        throttledRequest = THROTTLING.test(code) || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 429;
        const record: PutEventsRequestRecord = {
          entries: entries.length,
          acknowledged: 0,
          throttled: throttledRequest ? entries.length : 0,
          retried,
          latencyMs: performance.now() - start,
          errorCode: code,
        };
        stats.request(record);
        recordRequest(stats, record);
        throw error;
      }
      let acknowledged = 0;
      let throttled = 0;
      const answers = response?.Entries;
      if (Array.isArray(answers) && answers.length === entries.length) {
        for (const answer of answers) {
          if (answer?.ErrorCode) {
            if (THROTTLING.test(answer.ErrorCode)) throttled++;
          } else if (answer?.EventId) {
            acknowledged++;
          }
        }
      }
      throttledRequest = throttled > 0;
      answered = true;
      const record: PutEventsRequestRecord = { entries: entries.length, acknowledged, throttled, retried, latencyMs: performance.now() - start };
      stats.request(record);
      recordRequest(stats, record);
      return response;
    } finally {
      concurrency?.release(throttledRequest, sentAt);
      if (answered && adaptiveRate && !signal?.aborted) {
        adaptiveRate.record(entries.length, throttledRequest, rateSentAt);
        stats.adaptiveRate = adaptiveRate.rate;
      }
    }
  };
}

/** A timer that ends early (and is cleared) when the client closes. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
