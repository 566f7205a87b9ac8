import { AsyncResource } from 'node:async_hooks';

/**
 * Deadlines that all share one duration, checked by one sweeping timer instead of a `setTimeout`
 * each. A deadline lives in a list only while its delivery does: set is a push, cancel moves the
 * last entry into its slot (no hashing, no search), and a cancelled deadline is garbage at once.
 * (Kept in a queue until due, as before, every delivery's deadline outlived it by the whole
 * duration, so tens of thousands per second reached the old generation: the HTTP receiver
 * bench lost about 5% of its requests/s to that.)
 *
 * A deadline falls due at its duration, and fires within one sweep after: a sixteenth of the
 * duration, at most {@link MAX_SWEEP_MS}. Durations are measured on the monotonic clock
 * (`performance.now()`), so a wall clock stepped by NTP or a resumed VM neither postpones nor
 * hastens them.
 */
export const MAX_SWEEP_MS = 100;

export class Deadlines {
  private readonly pending: Deadline[] = [];
  private readonly sweepMs: number;
  private timer?: NodeJS.Timeout;

  /**
   * The context the timer is made in. A timer keeps the AsyncLocalStorage stores of the context
   * it was made in for as long as it runs; made in a delivery's, it would keep that delivery's
   * stores alive (and run every fire() in them) for as long as any deadline is pending.
   */
  private readonly scope: AsyncResource;

  constructor(private readonly ms: number) {
    this.sweepMs = Math.max(1, Math.min(MAX_SWEEP_MS, Math.floor(ms / 16)));
    this.scope = new AsyncResource('EVENTBRIDGE_DEADLINES', { requireManualDestroy: true });
  }

  /** Calls `fire` once the duration has passed unless the returned deadline is cancelled first. */
  public set(fire: () => void): Deadline {
    const deadline = new Deadline(this, performance.now() + this.ms, fire, this.pending.length);
    this.pending.push(deadline);
    if (this.timer === undefined) {
      this.timer = this.scope.runInAsyncScope(() => setInterval(() => this.sweep(), this.sweepMs));
      this.timer.unref();
    }
    return deadline;
  }

  /** Deadlines set and neither fired nor cancelled. */
  public get size(): number {
    return this.pending.length;
  }

  /** @internal Takes `deadline` out of the list; false when it was not in it (fired or cancelled). */
  public forget(deadline: Deadline): boolean {
    const slot = deadline.slot;
    if (slot < 0) return false;
    const last = this.pending.pop()!;
    if (last !== deadline) {
      this.pending[slot] = last;
      last.slot = slot;
    }
    deadline.slot = -1;
    return true;
  }

  private sweep(): void {
    const now = performance.now();
    // Collected first: a fire() may set or cancel deadlines of this very list. One cancelled by
    // an earlier fire() of this sweep is no longer in the list, and forget() says so: it never fires.
    const due: Deadline[] = [];
    for (const deadline of this.pending) if (deadline.at <= now) due.push(deadline);
    for (const deadline of due) {
      if (!this.forget(deadline)) continue;
      // One fire() that throws must not keep the others from firing, nor escape into the timer.
      try {
        deadline.fire();
      } catch {
        // the deadline's own work is done before anything of the caller's runs: see Receiver
      }
    }
    if (this.pending.length === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

export class Deadline {
  constructor(
    private readonly owner: Deadlines,
    public readonly at: number,
    public readonly fire: () => void,
    /** @internal Position in the owner's list; -1 once fired or cancelled. */
    public slot: number,
  ) {}

  /** Cancels the deadline; what `fire` holds is let go with it. Cancelling twice does nothing. */
  public cancel(): void {
    this.owner.forget(this);
  }
}
