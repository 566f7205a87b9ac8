/**
 * A client-side rate limit in events per second: a token bucket in its virtual-scheduling form
 * (GCRA), so a take is O(1) with no timer unless the caller must wait. PutEvents quotas count
 * entries ("events per second" in the EventBridge quotas page), so one request of 10 entries takes
 * 10 tokens.
 */
export class RateLimiter {
  private readonly msPerEvent: number;
  private readonly burstMs: number;
  /** Theoretical arrival time: when the bucket would be full again, in `now()` milliseconds. */
  private tat = 0;

  /**
   * @param eventsPerSecond the sustained rate
   * @param burst events that may go at once after a quiet spell
   */
  constructor(eventsPerSecond: number, burst: number, private readonly now: () => number = () => performance.now()) {
    this.msPerEvent = 1000 / eventsPerSecond;
    this.burstMs = burst * this.msPerEvent;
  }

  /** Milliseconds to wait before `events` may go; the tokens are taken now (waiters queue in call order). */
  public take(events: number): number {
    const now = this.now();
    const start = Math.max(this.tat, now - this.burstMs);
    this.tat = start + events * this.msPerEvent;
    const wait = this.tat - this.burstMs - now;
    return wait > 0 ? wait : 0;
  }
}
