/**
 * Wraps the one-request PutEvents function the engine calls, so every request (first attempts and
 * retries alike) passes the rate limit and the adaptive concurrency limit, and is counted. The
 * engine ({@link EventSender}) stays unaware: it is handed this function instead of the bare one.
 */
import type { AdaptiveConcurrency } from './adaptive-concurrency';
import type { RateLimiter } from './rate-limiter';
import { classifyRequestError } from '../put-events/retry';
import type { PutEventsFunction, PutEventsResponse } from '../put-events/types';
import type { PutEventsStats } from '../stats/put-events-stats';

export interface ObservedPutEventsOptions {
  readonly stats: PutEventsStats;
  readonly rateLimiter?: RateLimiter;
  readonly concurrency?: AdaptiveConcurrency;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Codes AWS uses for "slow down" (the SDK's throttling list), for the adaptive limit. */
const THROTTLING = /^(ThrottlingException|Throttling|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled(Exception)?|SlowDown)$/;

export function observePutEvents(inner: PutEventsFunction, options: ObservedPutEventsOptions): PutEventsFunction {
  const { stats, rateLimiter, concurrency } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (entries, attempt = 1) => {
    if (concurrency) await concurrency.acquire();
    let throttledRequest = false;
    const sentAt = performance.now();
    try {
      if (rateLimiter) {
        const wait = rateLimiter.take(entries.length);
        if (wait > 0) await sleep(wait);
      }
      // The engine retries an entry only in a request of its own attempt number.
      const retried = attempt > 1 ? entries.length : 0;
      const start = performance.now();
      let response: PutEventsResponse;
      try {
        response = await inner(entries, attempt);
      } catch (error) {
        const { code } = classifyRequestError(error);
        throttledRequest = THROTTLING.test(code) || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 429;
        stats.request({
          entries: entries.length,
          acknowledged: 0,
          throttled: throttledRequest ? entries.length : 0,
          retried,
          latencyMs: performance.now() - start,
          errorCode: code,
        });
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
      stats.request({ entries: entries.length, acknowledged, throttled, retried, latencyMs: performance.now() - start });
      return response;
    } finally {
      concurrency?.release(throttledRequest, sentAt);
    }
  };
}
