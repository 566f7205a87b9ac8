import { Deadlines, MAX_SWEEP_MS } from '../../../src/runtime/receiver/deadlines';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines', () => {
  test('a deadline fires once its duration has passed, within one sweep after, never before', async () => {
    const deadlines = new Deadlines(160);
    const setAt = performance.now();
    const firedAt = await new Promise<number>((resolve) => deadlines.set(() => resolve(performance.now())));
    expect(firedAt - setAt).toBeGreaterThanOrEqual(160);
    // A sweep every 10 ms (a sixteenth); generous for a loaded machine.
    expect(firedAt - setAt).toBeLessThan(160 + 10 + 200);
    expect(deadlines.size).toBe(0);
  });

  test('a cancelled deadline never fires and is let go at once', async () => {
    const deadlines = new Deadlines(30);
    const fired = jest.fn();
    const kept = jest.fn();
    const cancelled = deadlines.set(fired);
    cancelled.cancel();
    cancelled.cancel(); // twice: the second must not take another deadline out
    deadlines.set(kept);
    expect(deadlines.size).toBe(1);
    await wait(120);
    expect(fired).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
    expect(deadlines.size).toBe(0);
  });

  test('many deadlines, most cancelled: each of the rest fires once, in one sweep or a few', async () => {
    const deadlines = new Deadlines(40);
    const fired: number[] = [];
    const all = Array.from({ length: 1000 }, (_, i) => deadlines.set(() => fired.push(i)));
    all.forEach((d, i) => { if (i % 10 !== 0) d.cancel(); });
    expect(deadlines.size).toBe(100);
    await wait(150);
    expect(fired.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
  });

  test('the receiver\'s 4 s handler deadline fires by 4.1 s, before EventBridge gives up at 5 s', () => {
    jest.useFakeTimers();
    try {
      const deadlines = new Deadlines(4000);
      const fired = jest.fn();
      deadlines.set(fired);
      jest.advanceTimersByTime(3999);
      expect(fired).not.toHaveBeenCalled();
      jest.advanceTimersByTime(MAX_SWEEP_MS + 1);
      expect(fired).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
