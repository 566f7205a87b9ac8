/**
 * Moves this process's clock forward, for `Date.now()` and `new Date()` alike, so that the SDK,
 * the credential provider and the loopback Roles Anywhere service all see a session near its
 * expiry without waiting for it.
 */
const RealDate = Date;
let offsetMs = 0;

class ShiftedDate extends RealDate {
  static now(): number {
    return RealDate.now() + offsetMs;
  }

  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string]));
  }
}

export function installShiftedClock(): void {
  globalThis.Date = ShiftedDate as DateConstructor;
}

export function advanceClock(ms: number): void {
  offsetMs += ms;
}
