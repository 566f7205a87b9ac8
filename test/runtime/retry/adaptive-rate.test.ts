import { AdaptiveRate } from '../../../src/runtime/retry/adaptive-rate';

/** A clock the test moves, in seconds. */
function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds) };
}

/** Sends `perSecond` entries a second in requests of 10 for `seconds`, as the limiter lets them go; answers with `throttled(t)`. */
function run(rate: AdaptiveRate, c: ReturnType<typeof clock>, seconds: number, perSecond: number, throttled: () => boolean): number {
  let sent = 0;
  const step = 10 / perSecond;
  for (let elapsed = 0; elapsed < seconds; elapsed += step) {
    c.advance(step);
    if (rate.take(10) === 0) {
      const sentAt = rate.time();
      rate.record(10, throttled(), sentAt);
      sent += 10;
    }
  }
  return sent;
}

describe('AdaptiveRate (CUBIC, the SDKs\' adaptive mode, counted in entries)', () => {
  test('takes nothing and never waits before the first throttle', () => {
    const c = clock();
    const rate = new AdaptiveRate({ now: c.now });
    for (let i = 0; i < 1000; i++) expect(rate.take(10)).toBe(0);
    rate.record(10, false);
    expect(rate.rate).toBeUndefined();
  });

  test('a throttle cuts the rate to 0.7 of the measured rate; further throttles of requests sent before the cut do not cut again', () => {
    const c = clock();
    const rate = new AdaptiveRate({ now: c.now });
    run(rate, c, 3, 1000, () => false);
    const sentBefore = rate.time();
    rate.record(10, true, sentBefore);
    const cut = rate.rate!;
    expect(cut).toBeGreaterThan(0.6 * 1000);
    expect(cut).toBeLessThan(0.75 * 1000);
    rate.record(10, true, sentBefore);
    expect(rate.rate).toBe(cut);
    c.advance(0.01);
    rate.record(10, true, rate.time());
    expect(rate.rate!).toBeLessThan(cut);
  });

  test('while everything is throttled the rate falls to its floor of 5 entries/s; once answers succeed it grows back', () => {
    const c = clock();
    const rate = new AdaptiveRate({ now: c.now });
    run(rate, c, 2, 2000, () => false);
    const sent = run(rate, c, 8, 2000, () => true);
    expect(rate.rate).toBe(5);
    // At most a fifth of the 16,000 entries offered went out in the storm.
    expect(sent).toBeLessThan(0.2 * 16_000);
    const after = run(rate, c, 10, 2000, () => false);
    expect(rate.rate!).toBeGreaterThan(2000);
    expect(after).toBeGreaterThan(5000);
  });

  test('a wait is the time for the missing tokens at the current rate; a request larger than the bucket waits for a full one', () => {
    const c = clock();
    const rate = new AdaptiveRate({ now: c.now, minFillRate: 5, minCapacity: 10 });
    rate.record(10, true); // enabled at the floor: 5 entries/s, a bucket of 10
    c.advance(1);
    expect(rate.take(10)).toBeCloseTo(1000, 0); // 5 tokens there, 5 missing at 5/s
    c.advance(1);
    expect(rate.take(10)).toBe(0);
    expect(rate.take(10)).toBeCloseTo(2000, 0);
  });
});
