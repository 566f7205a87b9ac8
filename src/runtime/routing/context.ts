import type { HandlerContext } from './types';

/**
 * A {@link HandlerContext} whose `AbortController` is made only when a handler reads `signal`:
 * most handlers never do, and a controller per delivery is a measurable share of its cost.
 */
export class DeliveryContext implements HandlerContext {
  private controller?: AbortController;
  private reason?: unknown;
  private aborted = false;

  public get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts the signal, now or as soon as a handler reads it. */
  public abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
