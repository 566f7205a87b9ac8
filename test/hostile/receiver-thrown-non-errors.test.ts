/**
 * `receiver.receive()` "never rejects", and a delivery it could not read must not stay counted in
 * flight (else `maxHandlersInFlight` refuses every later delivery with 503). Its callers build the
 * request, and JavaScript can throw anything: `undefined`, or an object without a prototype.
 * The receiver's own error paths read `error.message` and call `String(error)`, and those throw
 * in turn: the slot is never given back, or receive() itself throws.
 * The stream case is new in 6f8f77a (`new Error(String(error))` in receiveThen's catch); the other
 * two fail before 61c3ef9 too (`error.message` in unreadable()).
 */
import { createReceiver } from '../../src/runtime';
import type { ReceiveRequest } from '../../src/runtime/receiver';
import { API_KEY, delivery } from '../runtime/receiver/support';

const bare = Object.create(null) as object;
/** A parsed body whose `detail-type` throws `thrown` when read (a framework's lazy object). */
function throwingBody(thrown: unknown): object {
  const body = delivery('OrderPlaced', {});
  delete body['detail-type'];
  return Object.defineProperty(body, 'detail-type', { enumerable: true, get: () => { throw thrown; } });
}

test.each([
  ['a parsed body that throws undefined when read', { 'x-api-key': API_KEY, 'content-length': '120' }, { kind: 'parsed', value: throwingBody(undefined) }],
  ['a body stream whose on() throws an object without a prototype', { 'x-api-key': API_KEY }, { kind: 'stream', stream: { on: () => { throw bare; } } }],
])('%s is answered 400, not thrown, and nothing stays in flight', async (_name, headers, body) => {
  const receiver = createReceiver({ apiKey: API_KEY, maxHandlersInFlight: 1, logger: { warn: () => undefined, error: () => undefined } })
    .on('OrderPlaced', () => undefined);
  let answer: unknown;
  try {
    answer = (await receiver.receive({ method: 'POST', headers, body } as unknown as ReceiveRequest)).status;
  } catch (error) {
    answer = `threw: ${(error as Error).message}`;
  }
  expect(answer).toBe(400);
  expect(receiver.handlersInFlight).toBe(0);
});

test('a request whose headers throw undefined when read is answered 400, not thrown', () => {
  const receiver = createReceiver({ apiKey: API_KEY, logger: { warn: () => undefined, error: () => undefined } });
  const request = { method: 'POST', get headers() { throw undefined; }, body: { kind: 'parsed', value: {} } } as unknown as ReceiveRequest;
  let answer: unknown;
  try {
    answer = (receiver.receive(request) as { status: number }).status;
  } catch (error) {
    answer = `threw: ${(error as Error).message}`;
  }
  expect(answer).toBe(400);
});
