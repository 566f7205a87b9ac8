// close() and destroy() while the endpoint throttles: entries wait in retry backoff or in requests
// on the wire. Once close() (or destroy()) returns, no request of the client starts: counted where
// the client makes its HTTP requests (Node's `http.client.request.start` channel, which both
// transports pass through) and at the endpoint. The endpoint runs in this process, so a request
// written before close() resolved may be read by it a little later on a busy event loop: every
// arrival must be one of the requests started before.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ConnectorClient, ConnectorClientSettings, PutEventError } from '../../src/runtime';
import { startScriptedEndpoint } from '../runtime/producer/scripted-endpoint';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function clientFor(url: string, settings: ConnectorClientSettings): ConnectorClient {
  return new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: url, ...settings });
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** performance.now() of every HTTP request this process starts, while a test runs. */
const started: number[] = [];
const onStart = () => started.push(performance.now());
beforeEach(() => {
  started.length = 0;
  subscribe('http.client.request.start', onStart);
});
afterEach(() => unsubscribe('http.client.request.start', onStart));

/** Longer than any backoff these clients can draw (maxDelayMs 2000): a surviving timer would fire within it. */
const QUIET_MS = 2_500;

describe.each(['lean', 'sdk'] as const)('%s transport', (transport) => {
  test('close() at its deadline: nothing reaches the endpoint afterwards, and throttled entries are reported with their throttle', async () => {
    const endpoint = await startScriptedEndpoint(() => 'throttle');
    const client = clientFor(endpoint.url, {
      putEvents: { transport, maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 2000 },
      producer: { flushWindowMs: 1 },
      quota: { retryMode: 'standard' },
    });
    const calls = Array.from({ length: 100 }, (_, n) => client.putEvent(order(n)).then(() => undefined, (e: PutEventError) => e));
    const batch = client.putEvents(Array.from({ length: 50 }, (_, n) => order(1000 + n)));
    // Every first attempt answered (15 requests), so entries sit in backoff when close() runs.
    await until(() => endpoint.arrivals.length >= 15, 'the first attempts');
    await client.close({ deadlineMs: 300 });
    const closedAt = performance.now();
    client.destroy();

    const errors = await Promise.all(calls);
    const result = await batch;
    await sleep(QUIET_MS);
    expect(started.filter((t) => t > closedAt)).toEqual([]);
    expect(endpoint.arrivals.length).toBeLessThanOrEqual(started.length);
    expect(endpoint.arrivals.filter((t) => t > closedAt + QUIET_MS / 2)).toEqual([]);
    expect(endpoint.open).toBe(0);

    const outcomes = [
      ...errors.map((e) => ({ code: e?.errorCode, message: e?.message ?? 'acknowledged', attempts: e?.attempts })),
      ...result.entries.map((e) => ({ code: e.errorCode, message: e.errorMessage ?? 'acknowledged', attempts: e.errorCode === undefined ? 0 : e.attempts })),
    ];
    let throttled = 0;
    for (const o of outcomes) {
      if (o.code === 'ThrottlingException') {
        throttled++;
        expect(o.message).toMatch(/^Rate exceeded \(not retried: the client was closed/);
        expect(o.attempts).toBeGreaterThanOrEqual(1);
      } else {
        expect(o.code).toBe('ProducerClosed');
        expect(o.message).toMatch(/it was not sent|not sent:|may or may not have arrived/);
      }
    }
    // Answered in 20 ms, then at least ~0-400 ms of backoff: most entries wait for a retry at the deadline.
    expect(throttled).toBeGreaterThan(0);
    expect(client.stats().abortedAtClose).toBe(150);
    expect(client.stats().failed.ThrottlingException).toBe(throttled);
    await endpoint.stop();
  });

  test('destroy() alone stops the retries waiting in backoff', async () => {
    const endpoint = await startScriptedEndpoint(() => 'throttle');
    const client = clientFor(endpoint.url, { putEvents: { transport, maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 2000 }, quota: { retryMode: 'standard' } });
    const batch = client.putEvents(Array.from({ length: 100 }, (_, n) => order(n)));
    await until(() => endpoint.arrivals.length >= 10, 'the first attempts');
    client.destroy();
    const destroyedAt = performance.now();
    const result = await batch;
    await sleep(QUIET_MS);
    expect(started.filter((t) => t > destroyedAt)).toEqual([]);
    expect(endpoint.arrivals.length).toBeLessThanOrEqual(started.length);
    expect(endpoint.arrivals.filter((t) => t > destroyedAt + QUIET_MS / 2)).toEqual([]);
    expect(result.failedEntryCount).toBe(100);
    for (const e of result.entries) expect(['ThrottlingException', 'ProducerClosed']).toContain(e.errorCode);
    await endpoint.stop();
  });

  test('a request on the wire at the deadline is cut off: its entries may or may not have arrived, and its connection is closed', async () => {
    const endpoint = await startScriptedEndpoint(() => 'hang');
    const client = clientFor(endpoint.url, { putEvents: { transport }, producer: { flushWindowMs: 1 } });
    const calls = Array.from({ length: 5 }, (_, n) => client.putEvent(order(n)).then(() => undefined, (e: PutEventError) => e));
    await until(() => endpoint.arrivals.length === 1, 'the request');
    const start = performance.now();
    await client.close({ deadlineMs: 200 });
    expect(performance.now() - start).toBeLessThan(2_000);
    for (const e of await Promise.all(calls)) {
      expect(e?.errorCode).toBe('ProducerClosed');
      expect(e?.message).toBe('not acknowledged: the client was closed while the request was on its way; it may or may not have arrived');
      expect(e?.attempts).toBe(1);
    }
    // The client destroyed the socket; the server sees it close.
    await until(() => endpoint.open === 0, 'the connection to close', 2_000);
    expect(endpoint.arrivals).toHaveLength(1);
    await endpoint.stop();
  });
});
