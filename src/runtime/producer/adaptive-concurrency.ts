/**
 * Requests in flight, limited adaptively by AIMD (as TCP congestion control): halve the limit when
 * a request is throttled, at most once per round trip so one burst of throttles counts once; add
 * one request per limit's worth of unthrottled answers, so it recovers by about one per round trip.
 * It converges on the quota it does not know instead of retrying in storms.
 */
export class AdaptiveConcurrency {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  /** When the last decrease happened, and what was in flight then: answers to those don't decrease again. */
  private decreasedAt = -Infinity;

  constructor(private readonly max: number, private readonly now: () => number = () => performance.now()) {
    this.limitValue = max;
  }

  /** The current limit, a whole number from 1 to the maximum. */
  public get limit(): number {
    return Math.max(1, Math.floor(this.limitValue));
  }

  /** Resolves when a request may go; call {@link release} once it is answered. */
  public acquire(): Promise<void> | undefined {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * @param throttled whether the answer said to slow down
   * @param sentAt when the request was sent, in `now()` milliseconds
   */
  public release(throttled: boolean, sentAt: number): void {
    if (throttled) {
      if (sentAt >= this.decreasedAt) {
        this.limitValue = Math.max(1, this.limitValue / 2);
        this.decreasedAt = this.now();
      }
    } else if (this.limitValue < this.max) {
      this.limitValue = Math.min(this.max, this.limitValue + 1 / this.limitValue);
    }
    this.inFlight--;
    while (this.waiters.length > 0 && this.inFlight < this.limit) {
      this.inFlight++;
      this.waiters.shift()!();
    }
  }
}
