import { request } from 'node:http';
import { API_KEY, bodyOfSize, delivery, post, serve, TestServer } from './support';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, InputError, ReceivedEvent } from '../../../src/runtime';

interface OrderPlaced {
  readonly orderId: string;
  readonly total: number;
}

describe('receiving events from an API destination over node:http', () => {
  let server: TestServer;
  const received: Array<ReceivedEvent<unknown>> = [];
  const receiver = createReceiver({ apiKey: API_KEY, unknownDetailType: 'reject' })
    .on<OrderPlaced>('OrderPlaced', (event) => {
      // The detail is typed by the handler: event.detail.orderId is a string here.
      received.push({ ...event, detail: { orderId: event.detail.orderId.toUpperCase(), total: event.detail.total } });
    })
    .on('OrderCancelled', async () => {
      throw new Error('the warehouse is unreachable');
    });

  beforeAll(async () => {
    server = await serve(receiver.handle);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    received.length = 0;
  });

  test('dispatches an event to the handler of its detail-type and answers 200', async () => {
    const res = await post(server.url, delivery('OrderPlaced', { orderId: 'o-1', total: 42 }));

    expect(res).toEqual({ status: 200, body: { status: 'handled', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', detailType: 'OrderPlaced' } });
    expect(received).toEqual([
      expect.objectContaining({
        id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
        source: 'com.example.orders',
        detailType: 'OrderPlaced',
        detail: { orderId: 'O-1', total: 42 },
        time: '2024-05-01T12:00:00Z',
        account: '123456789012',
        region: 'us-east-1',
        resources: ['arn:aws:events:us-east-1:123456789012:event-bus/orders'],
      }),
    ]);
    expect(received[0].raw.version).toBe('0');
  });

  test('answers 500 when the handler fails, so that EventBridge retries the delivery', async () => {
    const res = await post(server.url, delivery('OrderCancelled', { orderId: 'o-1' }));

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'HandlerFailed', message: "handler for detail-type 'OrderCancelled' failed" });
    // The handler's own message stays in the server's log.
    expect(JSON.stringify(res.body)).not.toContain('warehouse');
  });

  test('answers 404 for a detail-type nobody handles when unknown types are rejected', async () => {
    const res = await post(server.url, delivery('OrderShipped', { orderId: 'o-1' }));

    expect(res.status).toBe(404);
    expect(res.body.message).toBe("no handler for detail-type 'OrderShipped'");
    expect(received).toEqual([]);
  });

  test('answers 401 without an api key and 403 with a wrong one', async () => {
    const event = delivery('OrderPlaced', { orderId: 'o-1', total: 1 });

    const missing = await post(server.url, event, {});
    const wrong = await post(server.url, event, { 'x-api-key': `${API_KEY}x` });
    const empty = await post(server.url, event, { 'x-api-key': '' });

    expect([missing.status, wrong.status, empty.status]).toEqual([401, 403, 401]);
    expect(missing.body.message).toBe("missing api key: expected header 'x-api-key'");
    expect(received).toEqual([]);
  });

  test('accepts the api key header in any letter case', async () => {
    const res = await post(server.url, delivery('OrderPlaced', { orderId: 'o-1', total: 1 }), { 'X-API-Key': API_KEY });

    expect(res.status).toBe(200);
  });

  test('answers 405 to anything but POST', async () => {
    const res = await fetch(server.url, { headers: { 'x-api-key': API_KEY } });

    expect(res.status).toBe(405);
    expect(((await res.json()) as { message: string }).message).toBe("method 'GET' not allowed: expected POST");
  });

  test('answers 400 to a body that is not JSON', async () => {
    const res = await post(server.url, '{"detail-type": "OrderPlaced",');

    expect(res).toEqual({ status: 400, body: { error: 'MalformedJson', message: 'body is not valid JSON: expected an EventBridge event' } });
  });

  test.each([
    ['an array', [delivery('OrderPlaced', {})], 'not an EventBridge event: expected a JSON object, got an array'],
    ['no detail-type', delivery('OrderPlaced', {}, { 'detail-type': undefined }), "missing or invalid 'detail-type'"],
    ['no source', delivery('OrderPlaced', {}, { source: '' }), "missing or invalid 'source'"],
    ['a detail that is not an object', delivery('OrderPlaced', 'o-1'), "missing or invalid 'detail'"],
  ])('answers 400 to JSON that is not an EventBridge event: %s', async (_, body, message) => {
    const res = await post(server.url, body);

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('NotAnEvent');
    expect(res.body.message).toContain(message);
    expect(received).toEqual([]);
  });

  test('checks the api key before reading the body', async () => {
    const res = await post(server.url, 'not json at all', { 'x-api-key': 'wrong' });

    expect(res.status).toBe(403);
  });
});

describe('the body size limit', () => {
  let server: TestServer;
  let handled = 0;
  const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => {
    handled++;
  });

  beforeAll(async () => {
    server = await serve(receiver.handle);
  });
  afterAll(() => server.close());

  test('is 1 MiB and 16 KiB unless configured: any event of PutEvents\' 1 MiB entry limit with its envelope', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024 + 16 * 1024);
  });

  test('accepts a body of exactly the limit', async () => {
    const res = await post(server.url, bodyOfSize(DEFAULT_MAX_BODY_BYTES));

    expect(res.status).toBe(200);
    expect(handled).toBe(1);
  });

  test('answers 413 to a body one byte over the limit', async () => {
    const before = handled;
    const res = await post(server.url, bodyOfSize(DEFAULT_MAX_BODY_BYTES + 1));

    expect(res.status).toBe(413);
    expect(res.body.message).toBe('body of at least 1064961 bytes is over the limit of 1064960 bytes');
    expect(handled).toBe(before);
  });

  test('stops reading a chunked body once it passes the limit: a body that never ends still gets 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' } });
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // Connection resets after the answer are expected: the server closes what it will not read.
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = '{"pad":"' + 'x'.repeat(16 * 1024);
      const write = () => {
        while (!answered && req.write(chunk));
        if (!answered) req.once('drain', write);
      };
      write();
    });

    expect(status).toBe(413);
  });

  test('is configurable', async () => {
    const small = createReceiver({ apiKey: API_KEY, maxBodyBytes: 1000 }).on('OrderPlaced', () => undefined);
    const tiny = await serve(small.handle);
    try {
      expect((await post(tiny.url, bodyOfSize(1000))).status).toBe(200);
      expect((await post(tiny.url, bodyOfSize(1001))).status).toBe(413);
    } finally {
      await tiny.close();
    }
  });
});

describe('receiver options', () => {
  let server: TestServer;
  const seen: string[] = [];
  const receiver = createReceiver({ apiKeys: ['old-key', 'new-key'], apiKeyHeader: 'X-Connector-Key' })
    .on('OrderPlaced', (e) => {
      seen.push(`placed:${e.id}`);
    })
    .onAny((e) => {
      seen.push(`any:${e.detailType}`);
    });

  beforeAll(async () => {
    server = await serve(receiver.handle);
  });
  afterAll(() => server.close());

  test('accepts every key of a rotation and refuses others', async () => {
    const event = delivery('OrderPlaced', {}, { id: 'e-1' });

    const old = await post(server.url, event, { 'x-connector-key': 'old-key' });
    const current = await post(server.url, event, { 'x-connector-key': 'new-key' });
    const other = await post(server.url, event, { 'x-connector-key': 'old-key-2' });
    const defaultHeader = await post(server.url, event, { 'x-api-key': 'new-key' });

    expect([old.status, current.status, other.status, defaultHeader.status]).toEqual([200, 200, 403, 401]);
  });

  test('runs the handlers of the detail-type, then the onAny handlers; with onAny nothing is unknown', async () => {
    seen.length = 0;
    await post(server.url, delivery('OrderPlaced', {}, { id: 'e-2' }), { 'x-connector-key': 'new-key' });
    const other = await post(server.url, delivery('InvoiceSent', {}), { 'x-connector-key': 'new-key' });

    expect(other.status).toBe(200);
    expect(seen).toEqual(['placed:e-2', 'any:OrderPlaced', 'any:InvoiceSent']);
  });

  test('ignores unknown detail-types with 202 by default', async () => {
    const ignoring = createReceiver({ apiKey: API_KEY });
    const s = await serve(ignoring.handle);
    try {
      const res = await post(s.url, delivery('Anything', {}));
      expect(res).toEqual({ status: 202, body: { status: 'ignored', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', detailType: 'Anything' } });
    } finally {
      await s.close();
    }
  });

  test.each([
    [{}, 'no api key given: expected apiKey or a non-empty apiKeys list'],
    [{ apiKeys: [] }, 'no api key given: expected apiKey or a non-empty apiKeys list'],
    [{ apiKey: '' }, 'invalid api key at index 0: expected a non-empty string'],
    [{ apiKey: 'a', apiKeys: ['b'] }, 'both apiKey and apiKeys given: expected one of them'],
    [{ apiKey: 'a', apiKeyHeader: 'x api key' }, "invalid apiKeyHeader 'x api key': expected an HTTP header name such as x-api-key"],
    [{ apiKey: 'a', maxBodyBytes: 0 }, "invalid maxBodyBytes '0': expected a positive whole number of bytes"],
    [{ apiKey: 'a', unknownDetailType: 'drop' as never }, "invalid unknownDetailType 'drop': expected 'ignore' or 'reject'"],
  ])('refuses bad options: %j', (options, message) => {
    expect(() => createReceiver(options)).toThrow(new InputError(message));
  });
});
