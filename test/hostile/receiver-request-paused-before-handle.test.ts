/**
 * A server step before `receiver.handle(req, res)` that paused the request explicitly (to hold
 * its bytes while it awaits something of its own, as proxies and auth middlewares do) hands over
 * a stream whose `flowing` is false. The receiver reads it by adding 'data' and 'end' listeners,
 * which, on a stream paused by `pause()`, start nothing (node: "if readable.pause() was called,
 * adding a 'data' listener will not resume the stream"). The body never arrives: a valid delivery
 * is answered 503 BodyTimeout at the body deadline and its connection closed, on every retry.
 * (Pre-existing: the body was read the same way before 61c3ef9.)
 * Expected: the delivery is read and handled, 200.
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post, serve, TestServer } from '../runtime/receiver/support';

const handled: string[] = [];
const receiver = createReceiver({ apiKey: API_KEY, bodyTimeoutMs: 300 }).on('OrderPlaced', (event) => void handled.push(event.id));
let server: TestServer;

beforeAll(async () => {
  server = await serve((req, res) => {
    req.pause();
    setTimeout(() => void receiver.handle(req, res), 5);
  });
});
afterAll(() => server.close());

test('a request paused by an earlier step of the server is still read and handled', async () => {
  const answer = await post(server.url, delivery('OrderPlaced', {}, { id: 'paused' }));
  expect(answer.status).toBe(200);
  expect(handled).toEqual(['paused']);
});
