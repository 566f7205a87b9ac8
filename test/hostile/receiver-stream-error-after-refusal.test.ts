/**
 * A transport without an adapter hands `receiver.receive()` its request stream. When the body is
 * refused midway (over `maxBodyBytes`, or past `bodyTimeoutMs`), the stream is left open and
 * unread, and the client, answered 413 or 503, typically resets: the stream then errors. The
 * receiver took the stream's 'error' away with the rest of its listeners, so that error has no
 * listener and is thrown (an uncaught exception, which ends the process). An error after 'end'
 * is already caught this way (receiver-stream-error-after-end); one after a refusal is the more
 * likely of the two.
 * (Pre-existing: fails before 61c3ef9 too.)
 */
import { PassThrough } from 'node:stream';
import { createReceiver } from '../../src/runtime';
import { API_KEY } from '../runtime/receiver/support';

test.each([
  ['over maxBodyBytes', 413, (stream: PassThrough) => void stream.write('x'.repeat(2_000))],
  ['past bodyTimeoutMs', 503, () => undefined],
])('a stream that errors after its body was refused %s is answered once, and the error is not thrown', async (_name, status, send) => {
  const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 1_024, bodyTimeoutMs: 50 }).on('OrderPlaced', () => undefined);
  const stream = new PassThrough();
  const answer = Promise.resolve(receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'stream', stream } }));
  send(stream);
  expect((await answer).status).toBe(status);

  // Thrown from the stream's emit, the error fails this test as an uncaught exception.
  stream.destroy(new Error('connection reset by the client'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(receiver.handlersInFlight).toBe(0);
});
