/**
 * `receiver.receive()` is for transports without an adapter, so its caller builds the body
 * source. One that is not a stream cannot be read: the answer is 400 UnreadableBody, as for a
 * stream that fails, and the delivery does not stay counted in flight (else
 * `maxHandlersInFlight` soon refuses every delivery with 503).
 */
import { createReceiver } from '../../src/runtime';
import type { ReceiveRequest } from '../../src/runtime/receiver';
import { API_KEY } from '../runtime/receiver/support';

test.each([
  ['null', null],
  ['a plain object', {}],
])('a body stream that is %s is answered 400 and leaves nothing in flight', async (_name, stream) => {
  const receiver = createReceiver({ apiKey: API_KEY, maxHandlersInFlight: 1 }).on('OrderPlaced', () => undefined);
  const request = { method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'stream', stream } } as unknown as ReceiveRequest;
  let answer: unknown;
  try {
    answer = await receiver.receive(request);
  } catch (error) {
    answer = `threw: ${(error as Error).message}`;
  }
  expect(answer).toEqual({ status: 400, body: { error: 'UnreadableBody', message: 'the request body could not be read' }, closeConnection: true });
  expect(receiver.handlersInFlight).toBe(0);
});
