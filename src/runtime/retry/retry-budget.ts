/**
 * The retry budget every PutEvents request of one client shares: a token bucket in the shape of
 * the AWS SDKs' standard retry quota (`StandardRetryStrategy` in `@smithy/util-retry`): 500
 * tokens at first; a retry takes 5, a retry after a timeout or a dropped connection takes 10; a
 * request that succeeds gives back what its retry took, or 1 when it was a first attempt. Only
 * successes refill it, so while a service refuses everything, retries stop after about 100 and
 * come back as answers do.
 */

/** Tokens in a full budget (the SDK's `INITIAL_RETRY_TOKENS`). */
export const INITIAL_RETRY_TOKENS = 500;
/** What a retry takes (the SDK's `RETRY_COST`). */
export const RETRY_COST = 5;
/** What a retry after a timeout or a dropped connection takes (the SDK's `TIMEOUT_RETRY_COST`). */
export const TIMEOUT_RETRY_COST = 10;
/** What a first attempt that succeeds gives back (the SDK's `NO_RETRY_INCREMENT`). */
export const NO_RETRY_INCREMENT = 1;

export class RetryBudget {
  private tokens: number;

  /** @param capacity tokens in a full budget */
  constructor(private readonly capacity: number = INITIAL_RETRY_TOKENS) {
    this.tokens = capacity;
  }

  /** Tokens left. */
  public get available(): number {
    return this.tokens;
  }

  /**
   * Takes the tokens for one retry request.
   * @param transient whether the failure was a timeout or a dropped connection (costs more)
   * @returns the tokens taken (give them to {@link recordSuccess} if the retry succeeds), or 0
   *   when the budget cannot pay for it: the retry must not be made
   */
  public acquire(transient: boolean): number {
    const cost = transient ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.tokens < cost) return 0;
    this.tokens -= cost;
    return cost;
  }

  /** A request succeeded; `cost` is what its retry took (0 for a first attempt). */
  public recordSuccess(cost: number): void {
    if (this.tokens < this.capacity) this.tokens = Math.min(this.capacity, this.tokens + (cost > 0 ? cost : NO_RETRY_INCREMENT));
  }
}
