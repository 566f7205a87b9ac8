/**
 * The heartbeat's per-message deadlines: a first-in first-out list of entries, each due a fixed
 * interval after it was added. Every entry is added with the same interval from a clock that
 * only moves forward, so the list is in deadline order without sorting: adding and taking are
 * O(1) per message, and one timer (set for the head) serves all of them.
 */
export class DeadlineQueue<T extends { due: number }> {
  private items: T[] = [];
  private head = 0;

  public get size(): number {
    return this.items.length - this.head;
  }

  /** The earliest deadline, or undefined when empty. */
  public get next(): number | undefined {
    return this.head < this.items.length ? this.items[this.head].due : undefined;
  }

  /** Appends `item`; its `due` must not be before the last one's. */
  public push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the entries due at or before `until`, earliest first. */
  public takeDue(until: number): T[] {
    const out: T[] = [];
    while (this.head < this.items.length && this.items[this.head].due <= until) out.push(this.items[this.head++]);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  public clear(): void {
    this.items = [];
    this.head = 0;
  }
}
