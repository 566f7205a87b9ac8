/**
 * Deadlines that all share one duration, so they fall due in the order they were set: one timer
 * for the earliest, O(1) to set and to cancel. A `setTimeout` per delivery (two, with the body
 * deadline) costs more than the rest of a delivery's bookkeeping together.
 */
export class Deadlines {
  private entries: Deadline[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ms: number) {}

  /** Calls `fire` after the duration unless the returned deadline is cancelled first. */
  public set(fire: () => void): Deadline {
    const deadline = new Deadline(Date.now() + this.ms, fire);
    this.entries.push(deadline);
    if (this.timer === undefined) this.arm(this.ms);
    return deadline;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(1, ms));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.head < this.entries.length) {
      const deadline = this.entries[this.head];
      if (deadline.at > now && !deadline.cancelled) break;
      this.head++;
      if (!deadline.cancelled) deadline.fire();
    }
    // Compact once the consumed prefix dominates, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
      return;
    }
    this.arm(this.entries[this.head].at - now);
  }
}

const NOTHING = () => undefined;

export class Deadline {
  public cancelled = false;
  constructor(public readonly at: number, public fire: () => void) {}

  /** Cancels the deadline and lets go of what `fire` holds at once, not when it falls due. */
  public cancel(): void {
    this.cancelled = true;
    this.fire = NOTHING;
  }
}
