/**
 * A server that keeps request-scoped context in an `AsyncLocalStorage` (a request id for its log
 * lines, a tenant, a trace) sets it around `receiver.handle(req, res)`. The handlers of that
 * delivery run later, when its body has arrived: they must still see the context of the request
 * they handle, as they did before 61c3ef9. Since 61c3ef9 they run inside the request stream's
 * 'end' event, whose context is node's, and see none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post, serve, TestServer } from '../runtime/receiver/support';

const requestId = new AsyncLocalStorage<string>();
let next = 0;
const seen: Array<string | undefined> = [];
const receiver = createReceiver({ apiKey: API_KEY })
  .on('OrderPlaced', () => void seen.push(requestId.getStore()))
  .on('OrderShipped', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.push(requestId.getStore());
  });
const middleware = receiver.middleware();
let server: TestServer;
let express: TestServer;

beforeAll(async () => {
  server = await serve((req, res) => requestId.run(`req-${++next}`, () => void receiver.handle(req, res)));
  express = await serve((req, res) => requestId.run(`req-${++next}`, () => middleware(req, res, () => undefined)));
});
afterAll(async () => {
  await server.close();
  await express.close();
});
beforeEach(() => {
  seen.length = 0;
  next = 0;
});

test.each([
  ['a synchronous handler', 'OrderPlaced'],
  ['an asynchronous handler', 'OrderShipped'],
])('%s sees the AsyncLocalStorage context its request was handed over in (node:http)', async (_name, detailType) => {
  expect((await post(server.url, delivery(detailType, {}))).status).toBe(200);
  expect(seen).toEqual(['req-1']);
});

test('a handler behind the Express-style middleware, no body parser before it, sees its request\'s context', async () => {
  expect((await post(express.url, delivery('OrderPlaced', {}))).status).toBe(200);
  expect(seen).toEqual(['req-1']);
});
