import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient, ConnectorClientSettings, PutEventError } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function clientFor(endpoint: string, settings: ConnectorClientSettings = {}): ConnectorClient {
  return new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint, ...settings });
}

const order = (n: number, pad = 0) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n, ...(pad && { pad: 'x'.repeat(pad) }) } });

describe('putEvent against the loopback endpoint', () => {
  let endpoint: EventBridgeEndpoint;
  beforeEach(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterEach(() => endpoint.stop());

  test('1,000 concurrent calls go out as 100 full requests, each caller getting its own EventId', async () => {
    const client = clientFor(endpoint.endpoint);
    const ids = await Promise.all(Array.from({ length: 1000 }, (_, n) => client.putEvent(order(n))));
    expect(endpoint.requests).toBe(100);
    ids.forEach((id, n) => expect(JSON.parse(endpoint.accepted.get(id)!.detail)).toEqual({ n }));
    const stats = client.stats();
    expect(stats.requests).toBe(100);
    expect(stats.sent).toBe(1000);
    expect(stats.batchFill.bucketCounts[9]).toBe(100); // every request carried 10 entries
    expect(stats.bufferedEvents).toBe(0);
    await client.close();
  });

  test('requests are filled by bytes as putEvents fills them: two 100 KiB events per 256 KiB request', async () => {
    // The 256 KiB limit of before 2026-01-29, as an option (the default is 1 MiB).
    const client = clientFor(endpoint.endpoint, { putEvents: { maxRequestBytes: 262_144 } });
    await Promise.all(Array.from({ length: 6 }, (_, n) => client.putEvent(order(n, 100_000))));
    expect(endpoint.requests).toBe(3);
    expect(client.stats().batchFill.bucketCounts[1]).toBe(3);
    await client.close();
  });

  test('a lone event goes out alone once the flush window has passed', async () => {
    const client = clientFor(endpoint.endpoint, { producer: { flushWindowMs: 30 } });
    const start = performance.now();
    const id = await client.putEvent(order(1));
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    expect(endpoint.accepted.has(id)).toBe(true);
    expect(endpoint.requests).toBe(1);
    await client.close();
  });

  test('flush() sends at once what waits for its window', async () => {
    const client = clientFor(endpoint.endpoint, { producer: { flushWindowMs: 60_000 } });
    const sent = Promise.all([client.putEvent(order(1)), client.putEvent(order(2)), client.putEvent(order(3))]);
    expect(client.stats().bufferedEvents).toBe(3);
    await client.flush();
    expect(await sent).toHaveLength(3);
    expect(endpoint.requests).toBe(1);
    await client.close();
  });

  test('an invalid entry is refused at once, naming the bad value', async () => {
    const client = clientFor(endpoint.endpoint);
    const refused = client.putEvent({ source: 'aws.orders', detailType: 'OrderPlaced', detail: {} });
    await expect(refused).rejects.toMatchObject({ errorCode: 'InvalidEntry', attempts: 0 });
    await expect(refused).rejects.toThrow("invalid entry: source 'aws.orders' starts with 'aws.'");
    expect(endpoint.requests).toBe(0);
    await client.close();
  });
});

describe('putEvent after the final failure', () => {
  test('rejects with the entry\'s own code, message and attempts once retries ran out', async () => {
    const endpoint = await startEventBridgeEndpoint({ faults: { throttleEntry: 1 } });
    const client = clientFor(endpoint.endpoint, { putEvents: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const error = await client.putEvent(order(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PutEventError);
    expect(error).toMatchObject({ errorCode: 'ThrottlingException', code: 'ThrottlingException', attempts: 3 });
    expect((error as PutEventError).errorMessage).toBe('Rate exceeded (gave up after 3 attempts)');
    const stats = client.stats();
    expect(stats.failed).toEqual({ ThrottlingException: 1 });
    expect(stats.retried).toBe(2);
    expect(stats.throttled).toBe(3);
    await client.close();
    await endpoint.stop();
  });
});

/** An endpoint that takes requests and answers only when told: requests stay in flight. */
async function stalledEndpoint(): Promise<{ url: string; server: Server; requests: () => number; release(): void }> {
  let requests = 0;
  const held: Array<() => void> = [];
  const server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => held.push(() => {
      const { Entries } = JSON.parse(Buffer.concat(chunks).toString()) as { Entries: unknown[] };
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: Entries.map((_, i) => ({ EventId: `id-${requests}-${i}` })) }));
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    release: () => held.splice(0).forEach((answer) => answer()),
    server,
  };
}

describe('backpressure', () => {
  let stalled: Awaited<ReturnType<typeof stalledEndpoint>>;
  beforeEach(async () => {
    stalled = await stalledEndpoint();
  });
  afterEach(() => {
    stalled.server.closeAllConnections();
    stalled.server.close();
  });

  test("with backpressure 'reject', calls past the bounded buffer are refused with BufferFull", async () => {
    const client = clientFor(stalled.url, { putEvents: { concurrency: 1 }, producer: { maxBufferedEvents: 20, backpressure: 'reject' } });
    const calls = Array.from({ length: 50 }, (_, n) => client.putEvent(order(n)).then(() => 'sent', (e: PutEventError) => e));
    // 10 went out in the one request allowed in flight; 20 wait in the buffer; 20 were refused.
    expect(client.stats().bufferedEvents).toBe(20);
    let settled = false;
    const all = Promise.all(calls).finally(() => (settled = true));
    while (!settled) {
      stalled.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    const outcomes = await all;
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(30);
    const refused = outcomes.filter((o): o is PutEventError => o !== 'sent');
    expect(refused).toHaveLength(20);
    expect(refused[0].errorCode).toBe('BufferFull');
    expect(refused[0].message).toBe("not sent: the buffer is full (20 of 20 events, 740 of 16777216 bytes) and backpressure is 'reject': expected fewer events in flight, a larger buffer, or backpressure 'wait'");
    await client.close();
  });

  test("with backpressure 'wait' (the default), callers wait for room and all get through; the buffer never exceeds its bound", async () => {
    const client = clientFor(stalled.url, { putEvents: { concurrency: 1 }, producer: { maxBufferedEvents: 20 } });
    let settled = 0;
    const calls = Array.from({ length: 100 }, (_, n) => client.putEvent(order(n)).finally(() => settled++));
    let highest = 0;
    while (settled < 100) {
      highest = Math.max(highest, client.stats().bufferedEvents);
      stalled.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(highest).toBe(20);
    expect(await Promise.all(calls)).toHaveLength(100);
    expect(stalled.requests()).toBe(10);
    await client.close();
  });
});

describe('close()', () => {
  test('fails what is left at the deadline, telling each caller where its entry was', async () => {
    const stalled = await stalledEndpoint();
    const client = clientFor(stalled.url, { putEvents: { concurrency: 1 }, producer: { flushWindowMs: 60_000 } });
    const calls = Array.from({ length: 15 }, (_, n) => client.putEvent(order(n)).catch((e: PutEventError) => e));
    const start = performance.now();
    await client.close({ deadlineMs: 100 });
    expect(performance.now() - start).toBeLessThan(1000);
    const errors = (await Promise.all(calls)) as PutEventError[];
    for (const e of errors) expect(e.errorCode).toBe('ProducerClosed');
    expect(errors[0].message).toBe('not acknowledged: the client was closed while the request was on its way; it may or may not have arrived');
    expect(errors[0].attempts).toBe(1);
    expect(errors[14].message).toBe('not acknowledged: close() passed its 100 ms deadline while the entry was buffered; it was not sent');
    await expect(client.putEvent(order(99))).rejects.toThrow('not sent: putEvent was called after close()');
    stalled.server.closeAllConnections();
    stalled.server.close();
  });

  test('sends everything buffered when the endpoint keeps up, so nobody is failed', async () => {
    const endpoint = await startEventBridgeEndpoint();
    const client = clientFor(endpoint.endpoint, { producer: { flushWindowMs: 60_000 } });
    const calls = Array.from({ length: 25 }, (_, n) => client.putEvent(order(n)));
    await client.close({ deadlineMs: 5000 });
    expect(await Promise.all(calls)).toHaveLength(25);
    expect(endpoint.acceptedCount).toBe(25);
    await endpoint.stop();
  });
});

describe('options', () => {
  test('bad producer and quota options are refused when the client is made, naming the value', () => {
    const make = (settings: ConnectorClientSettings) => () => clientFor('http://127.0.0.1:9', settings);
    expect(make({ producer: { flushWindowMs: -1 } })).toThrow("invalid flushWindowMs '-1': expected a number of milliseconds from 0 to 60000");
    expect(make({ producer: { backpressure: 'drop' as 'wait' } })).toThrow("invalid backpressure 'drop': expected 'wait' or 'reject'");
    expect(make({ producer: { maxBufferedBytes: 1000 } })).toThrow(
      "invalid maxBufferedBytes '1000': expected a whole number of bytes, at least maxRequestBytes (1048576) so any valid event fits");
    expect(make({ quota: { rateLimit: 0 } })).toThrow("invalid rateLimit '0': expected a number of events per second above 0");
  });
});
