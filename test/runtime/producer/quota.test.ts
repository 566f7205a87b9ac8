import { QuotaEndpoint, startQuotaEndpoint } from '../../../src/local/eventbridge-quota';
import { ConnectorClient, ConnectorClientSettings } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const QUOTA = 1000; // events/s, low enough that this client outruns it on a loaded machine
const events = (count: number) => Array.from({ length: count }, (_, n) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } }));

function clientFor(endpoint: string, settings: ConnectorClientSettings): ConnectorClient {
  return new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint, ...settings });
}

describe('an endpoint with a quota of 1,000 events/s and a 20 ms round trip', () => {
  let endpoint: QuotaEndpoint;
  beforeEach(async () => {
    endpoint = await startQuotaEndpoint({ eventsPerSecond: QUOTA, latencyMs: 20 });
  });
  afterEach(() => endpoint.stop());

  // Each case below names retryMode 'standard': the default ('adaptive') would add its own send
  // rate after the first throttle, and these cases measure one limit (or none) alone.
  test('20 requests in flight without limits are throttled (the problem)', async () => {
    const client = clientFor(endpoint.endpoint, { putEvents: { concurrency: 20, maxAttempts: 10, baseDelayMs: 20 }, quota: { retryMode: 'standard' } });
    const result = await client.putEvents(events(3000));
    expect(endpoint.throttledCount).toBeGreaterThan(500);
    expect(client.stats().throttled).toBe(endpoint.throttledCount);
    expect(result.failedEntryCount).toBeGreaterThanOrEqual(0);
    await client.close();
  });

  test('a rate limit under the quota is never throttled, and still delivers near that rate', async () => {
    const client = clientFor(endpoint.endpoint, { putEvents: { concurrency: 20 }, quota: { retryMode: 'standard', rateLimit: 600 } });
    const start = performance.now();
    const ids = await Promise.all(events(2400).map((e) => client.putEvent(e)));
    const seconds = (performance.now() - start) / 1000;
    expect(ids).toHaveLength(2400);
    // The endpoint counts arrivals in 100 ms windows on the client's own event loop: a stall of
    // that loop (a loaded machine) bunches requests sent evenly into one window. Sent at 60% of
    // the quota, at most 1 in 50 may be counted over it then; without the limit it is over 500 of 3000.
    expect(endpoint.throttledCount).toBeLessThanOrEqual(48);
    expect(endpoint.acceptedCount).toBe(2400);
    // (2400 - a burst of 60) / 600 events/s is at least 3.9 s; far longer would mean it under-sends.
    expect(seconds).toBeGreaterThan(3.8);
    expect(seconds).toBeLessThan(6);
    await client.close();
  });

  test('adaptive concurrency converges: throttles fade after the first second and the limit settles near the quota', async () => {
    const client = clientFor(endpoint.endpoint, {
      putEvents: { concurrency: 20, maxAttempts: 20, baseDelayMs: 20, maxDelayMs: 500 },
      quota: { retryMode: 'standard', adaptiveConcurrency: true },
    });
    const limits: number[] = [];
    const sample = setInterval(() => limits.push(client.stats().concurrencyLimit!), 100);
    const result = await client.putEvents(events(5000));
    clearInterval(sample);
    expect(result.failedEntryCount).toBe(0);
    const intervals = endpoint.intervals;
    // It started above the quota (on a loaded machine its first throttles can come after the first second).
    expect(endpoint.throttledCount).toBeGreaterThan(0);
    expect(Math.min(...limits)).toBeLessThan(20);
    const rest = intervals.slice(10);
    const later = rest.reduce((sum, i) => sum + i.throttled, 0) / rest.length;
    const accepted = rest.reduce((sum, i) => sum + i.accepted, 0) / rest.length;
    // After the first second, under a fifth of the entries sent are throttled (AIMD keeps probing)
    // and events flow at more than 80% of the quota (100 per 100 ms).
    expect(later / (later + accepted)).toBeLessThan(0.2);
    expect(accepted).toBeGreaterThan(80);
    // 1,000 events/s at 10 per request and 20 ms per request is 2 requests in flight; at most 5
    // times that (10) once settled. A starved machine stretches each request's round trip as the
    // client measures it (the endpoint answers on the same cores), and the quota then fits more
    // in flight: the bound scales with the mean latency the client saw.
    const latency = client.stats().requestLatencyMs;
    const inFlightAtQuota = (QUOTA / 10) * (latency.sum / latency.count / 1000);
    const settled = limits.slice(10);
    expect(Math.max(...settled)).toBeLessThanOrEqual(Math.max(10, Math.ceil(5 * inFlightAtQuota)));
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(1);
    await client.close();
  });
});
