/**
 * The receiver's deadlines bound deliveries in elapsed time. A wall clock stepped back (NTP
 * correcting a fast clock, a VM resumed from a snapshot) must not postpone them: `Date.now()`
 * jumps, elapsed time does not.
 */
import { Deadlines, MAX_SWEEP_MS } from '../../src/runtime/receiver/deadlines';

describe('Deadlines when the wall clock steps back', () => {
  afterEach(() => jest.useRealTimers());

  test('the 4 s handler deadline still fires by 4.1 s after the clock is stepped back one hour', () => {
    jest.useFakeTimers();
    const deadlines = new Deadlines(4000);
    const fired = jest.fn();
    deadlines.set(fired);
    jest.setSystemTime(Date.now() - 3_600_000); // the step: Date.now() goes back, timers do not move
    jest.advanceTimersByTime(4000 + MAX_SWEEP_MS + 1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test('nor does a clock stepped forward fire a fresh deadline early', () => {
    jest.useFakeTimers();
    const deadlines = new Deadlines(4000);
    const fired = jest.fn();
    deadlines.set(fired);
    jest.setSystemTime(Date.now() + 3_600_000);
    jest.advanceTimersByTime(MAX_SWEEP_MS + 1);
    expect(fired).not.toHaveBeenCalled();
  });
});
