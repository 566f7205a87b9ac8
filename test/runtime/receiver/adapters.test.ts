import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_KEY, bodyOfSize, delivery, post, readJson, serve, TestServer } from './support';
import { createReceiver, FastifyReplyLike, ReceivedEvent } from '../../../src/runtime';

/**
 * The receiver mounted on frameworks without depending on them: each test server below gives
 * the receiver the request and response shapes Express and Fastify give their handlers.
 */
describe('Express-style middleware', () => {
  const received: ReceivedEvent<{ orderId: string }>[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 2048 }).on<{ orderId: string }>('OrderPlaced', (e) => {
    received.push(e);
  });
  const middleware = receiver.middleware();
  const nextCalls: unknown[] = [];
  const next = (error?: unknown) => nextCalls.push(error);

  let withParser: TestServer;
  let withoutParser: TestServer;
  let withSkippingParser: TestServer;

  beforeAll(async () => {
    // app.use(express.json()); app.post('/events', receiver.middleware())
    withParser = await serve(async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
      req.body = await readJson(req);
      middleware(req, res, next);
    });
    // app.post('/events', receiver.middleware()) with no body parser: the receiver reads the stream.
    withoutParser = await serve((req, res) => middleware(req, res, next));
    // Express 4's json parser sets req.body = {} and leaves the stream unread when the
    // content-type does not match.
    withSkippingParser = await serve((req: IncomingMessage & { body?: unknown }, res) => {
      req.body = {};
      middleware(req, res, next);
    });
  });
  afterAll(async () => {
    await Promise.all([withParser.close(), withoutParser.close(), withSkippingParser.close()]);
  });
  beforeEach(() => {
    received.length = 0;
  });

  test('uses req.body when a body parser already read the request', async () => {
    const res = await post(withParser.url, delivery('OrderPlaced', { orderId: 'o-7' }));

    expect(res.status).toBe(200);
    expect(received.map((e) => e.detail.orderId)).toEqual(['o-7']);
  });

  test('reads the request itself when no body parser ran', async () => {
    const res = await post(withoutParser.url, delivery('OrderPlaced', { orderId: 'o-8' }));

    expect(res.status).toBe(200);
    expect(received.map((e) => e.detail.orderId)).toEqual(['o-8']);
  });

  test('reads the request itself when a parser skipped it and left an empty req.body', async () => {
    const res = await post(withSkippingParser.url, delivery('OrderPlaced', { orderId: 'o-9' }));

    expect(res.status).toBe(200);
    expect(received.map((e) => e.detail.orderId)).toEqual(['o-9']);
  });

  test.each([
    ['a wrong key', delivery('OrderPlaced', { orderId: 'o-1' }), { 'x-api-key': 'nope' }, 403],
    ['no key', delivery('OrderPlaced', { orderId: 'o-1' }), {}, 401],
    ['a body over the limit', bodyOfSize(2049), { 'x-api-key': API_KEY }, 413],
    ['an envelope without detail', { 'detail-type': 'OrderPlaced', 'source': 'x' }, { 'x-api-key': API_KEY }, 400],
  ])('answers with a parser in front just as without one: %s', async (_, body, headers, status) => {
    const answers = await Promise.all([post(withParser.url, body, headers), post(withoutParser.url, body, headers)]);

    expect(answers.map((a) => a.status)).toEqual([status, status]);
    expect(received).toEqual([]);
  });

  test('accepts a parsed body at the limit', async () => {
    const res = await post(withParser.url, bodyOfSize(2048));

    expect(res.status).toBe(200);
  });

  test('answers every delivery itself and never passes it on', () => {
    expect(nextCalls).toEqual([]);
  });
});

describe('Fastify-style handler', () => {
  const received: string[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 2048, unknownDetailType: 'reject' }).on<{ orderId: string }>(
    'OrderPlaced',
    (e) => {
      received.push(e.detail.orderId);
    },
  );
  const handler = receiver.fastify();
  let server: TestServer;
  let lastReturned: unknown;

  beforeAll(async () => {
    // app.post('/events', receiver.fastify()): Fastify parses JSON bodies before the handler and
    // hands it a request with `body` and a chainable reply.
    server = await serve(async (req, res) => {
      const body = req.method === 'POST' ? await readJson(req).catch(() => undefined) : undefined;
      const reply: FastifyReplyLike = {
        code: (status) => ((res.statusCode = status), reply),
        header: (name, value) => (res.setHeader(name, value), reply),
        send: (payload) => res.end(payload),
      };
      lastReturned = await handler({ method: req.method ?? '', headers: req.headers, body }, reply);
      expect(lastReturned).toBe(reply);
    });
  });
  afterAll(() => server.close());

  test('dispatches the parsed body by detail-type', async () => {
    const res = await post(server.url, delivery('OrderPlaced', { orderId: 'o-3' }));

    expect(res.status).toBe(200);
    expect(res.body.detailType).toBe('OrderPlaced');
    expect(received).toEqual(['o-3']);
  });

  test.each([
    ['a wrong key', 403, delivery('OrderPlaced', { orderId: 'o-1' }), { 'x-api-key': 'nope' }],
    ['an unknown detail-type', 404, delivery('OrderShipped', { orderId: 'o-1' }), { 'x-api-key': API_KEY }],
    ['a body over the limit', 413, bodyOfSize(2049), { 'x-api-key': API_KEY }],
    ['a body at the limit', 200, bodyOfSize(2048), { 'x-api-key': API_KEY }],
  ])('answers %s with %d', async (_, status, body, headers) => {
    const res = await post(server.url, body, headers);

    expect(res.status).toBe(status);
  });

  test('answers 405 to a GET', async () => {
    const res = await fetch(server.url, { headers: { 'x-api-key': API_KEY } });

    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
