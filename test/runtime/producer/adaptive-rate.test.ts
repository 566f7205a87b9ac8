import { QuotaEndpoint, startQuotaEndpoint } from '../../../src/local/eventbridge-quota';
import { ConnectorClient } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });

// 500 entries/s at 20 ms round trips is 10 entries per round trip: one full request in flight
// already meets the quota, so a limit on requests in flight cannot settle under it.
describe('a quota of 500 entries/s at 20 ms round trips, under steady overload', () => {
  let endpoint: QuotaEndpoint;
  beforeEach(async () => {
    endpoint = await startQuotaEndpoint({ eventsPerSecond: 500, latencyMs: 20 });
  });
  afterEach(() => endpoint.stop());

  test("retryMode 'adaptive' converges: after 10 s, at most 10% of entries are throttled, and most of the quota is used", async () => {
    const client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoint: endpoint.endpoint,
      putEvents: { maxAttempts: 20, maxDelayMs: 1000 },
      quota: { retryMode: 'adaptive' },
    });
    const start = performance.now();
    const end = start + 15_000;
    let n = 0;
    let lost = 0;
    const rates: number[] = [];
    const sample = setInterval(() => rates.push(client.stats().adaptiveRate ?? NaN), 500);
    // Ten callers of 10 events each: ten times the quota on offer.
    const caller = async () => {
      while (performance.now() < end) {
        const result = await client.putEvents(Array.from({ length: 10 }, () => order(n++)));
        for (const e of result.entries) if (e.errorCode !== undefined && e.errorCode !== 'ThrottlingException') lost++;
      }
    };
    await Promise.all(Array.from({ length: 10 }, caller));
    clearInterval(sample);
    const later = endpoint.intervals.slice(100, 150);
    const throttled = later.reduce((sum, i) => sum + i.throttled, 0);
    const accepted = later.reduce((sum, i) => sum + i.accepted, 0);
    // eslint-disable-next-line no-console
    console.log(`adaptive at 500/s: seconds 10-15 ${accepted} accepted, ${throttled} throttled; rate samples ${rates.map((r) => r.toFixed(0)).join(' ')}`);
    expect(throttled / (throttled + accepted)).toBeLessThanOrEqual(0.1);
    // 5 s at 500 entries/s is 2,500: the rate converged on the quota, not far below it.
    expect(accepted).toBeGreaterThan(0.5 * 2_500);
    expect(lost).toBe(0);
    const stats = client.stats();
    expect(stats.adaptiveRate).toBeGreaterThan(100);
    expect(stats.adaptiveRate).toBeLessThan(1_000);
    await client.close();
  }, 60_000);
});
