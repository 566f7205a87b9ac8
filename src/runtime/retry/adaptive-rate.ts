/**
 * The adaptive send rate of one client, in the shape of the AWS SDKs' adaptive retry mode
 * (`DefaultRateLimiter` in `@smithy/util-retry`): off until the first throttled answer, then a
 * token bucket whose fill rate follows CUBIC (RFC 8312): cut to `beta` of the measured rate on
 * each throttle, then grown along a cubic curve that flattens out near the rate of the last
 * throttle and probes beyond it. Being a rate rather than a number of requests in flight, it
 * converges on quotas below one full request per round trip too.
 *
 * Unlike the SDK's (which counts requests, reads `Date.now()` and answers every take with a
 * promise), it counts entries, since PutEvents quotas count entries; reads an injectable
 * monotonic clock; and takes synchronously, so a request that need not wait costs no promise.
 */

export interface AdaptiveRateOptions {
  /** Share of the measured rate kept on a throttle. @default 0.7 (the SDK's) */
  readonly beta?: number;
  /** CUBIC's C, in entries per second per second cubed. @default 10 */
  readonly scaleConstant?: number;
  /** Lowest fill rate, entries per second. @default 5 (the SDK's 0.5 requests per second, of 10 entries) */
  readonly minFillRate?: number;
  /** Smallest bucket, entries. @default 10 (one full request; the SDK's 1 request) */
  readonly minCapacity?: number;
  /** Weight of the newest half-second in the measured rate. @default 0.8 (the SDK's) */
  readonly smooth?: number;
  /** Seconds, monotonic. @default performance.now() / 1000 */
  readonly now?: () => number;
}

export class AdaptiveRate {
  private readonly beta: number;
  private readonly scaleConstant: number;
  private readonly minFillRate: number;
  private readonly minCapacity: number;
  private readonly smooth: number;
  private readonly now: () => number;

  private enabled = false;
  private tokens = 0;
  private fillRate: number;
  private maxCapacity: number;
  private lastTimestamp = 0;
  private lastMaxRate = 0;
  private lastThrottleTime: number;
  private timeWindow = 0;
  private measuredTxRate = 0;
  private sentInBucket = 0;
  private lastTxRateBucket: number;

  constructor(options: AdaptiveRateOptions = {}) {
    this.beta = options.beta ?? 0.7;
    this.scaleConstant = options.scaleConstant ?? 10;
    this.minFillRate = options.minFillRate ?? 5;
    this.minCapacity = options.minCapacity ?? 10;
    this.smooth = options.smooth ?? 0.8;
    this.now = options.now ?? (() => performance.now() / 1000);
    this.fillRate = this.minFillRate;
    this.maxCapacity = this.minCapacity;
    this.lastThrottleTime = this.now();
    this.lastTxRateBucket = Math.floor(this.lastThrottleTime * 2) / 2;
  }

  /** The current send rate in entries per second, or undefined before the first throttle. */
  public get rate(): number | undefined {
    return this.enabled ? this.fillRate : undefined;
  }

  /**
   * Takes `entries` tokens when the bucket holds them and returns 0; otherwise takes nothing and
   * returns the milliseconds after which to try again (the rate may change meanwhile).
   */
  public take(entries: number): number {
    if (!this.enabled) return 0;
    this.refill();
    // A request larger than the bucket waits for a full bucket, then goes (the SDK would wait forever).
    const amount = Math.min(entries, this.maxCapacity);
    if (this.tokens >= amount) {
      this.tokens -= amount;
      return 0;
    }
    return Math.max(1, ((amount - this.tokens) / this.fillRate) * 1000);
  }

  /** The limiter's clock, in seconds: what {@link record} takes as `sentAt`. */
  public time(): number {
    return this.now();
  }

  /**
   * Records an answer to a request of `entries` entries: `throttled` when the service said to
   * slow down (the whole request or any entry of it). `sentAt` ({@link time} when it was sent)
   * makes one burst of throttles count once: a throttled answer to a request sent before the
   * last cut does not cut again, as the requests in flight then were sent at the old rate.
   */
  public record(entries: number, throttled: boolean, sentAt: number = -Infinity): void {
    const now = this.now();
    this.updateMeasuredRate(now, entries);
    let calculated: number;
    if (throttled && this.enabled && sentAt <= this.lastThrottleTime) return;
    if (throttled) {
      this.lastMaxRate = this.enabled ? Math.min(this.measuredTxRate, this.fillRate) : this.measuredTxRate;
      this.timeWindow = Math.cbrt((this.lastMaxRate * (1 - this.beta)) / this.scaleConstant);
      this.lastThrottleTime = now;
      calculated = this.lastMaxRate * this.beta;
      this.enabled = true;
    } else {
      if (!this.enabled) return;
      calculated = this.scaleConstant * (now - this.lastThrottleTime - this.timeWindow) ** 3 + this.lastMaxRate;
    }
    this.setRate(Math.min(calculated, 2 * this.measuredTxRate));
  }

  private setRate(rate: number): void {
    this.refill();
    this.fillRate = Math.max(rate, this.minFillRate);
    this.maxCapacity = Math.max(rate, this.minCapacity);
    this.tokens = Math.min(this.tokens, this.maxCapacity);
  }

  private refill(): void {
    const now = this.now();
    if (this.lastTimestamp !== 0) this.tokens = Math.min(this.maxCapacity, this.tokens + (now - this.lastTimestamp) * this.fillRate);
    this.lastTimestamp = now;
  }

  /** Entries answered per second, smoothed over half-second buckets (as the SDK measures requests). */
  private updateMeasuredRate(now: number, entries: number): void {
    const bucket = Math.floor(now * 2) / 2;
    this.sentInBucket += entries;
    if (bucket > this.lastTxRateBucket) {
      const current = this.sentInBucket / (bucket - this.lastTxRateBucket);
      this.measuredTxRate = current * this.smooth + this.measuredTxRate * (1 - this.smooth);
      this.sentInBucket = 0;
      this.lastTxRateBucket = bucket;
    }
  }
}
