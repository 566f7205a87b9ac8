/**
 * `receiver.receive()` "never rejects" (its docstring): a transport without an adapter may build
 * its headers from a framework that keeps repeated headers as arrays. A content-type given as an
 * array is not a JSON content type: the answer is 415, not an exception.
 * (Pre-existing: fails on 61c3ef9 and on its parent alike.)
 */
import { createReceiver } from '../../src/runtime';
import type { ReceiveRequest } from '../../src/runtime/receiver';
import { API_KEY, delivery } from '../runtime/receiver/support';

test('a content-type header given as an array is answered 415, not thrown', async () => {
  const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => undefined);
  const request = {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': ['application/json', 'text/plain'] },
    body: { kind: 'parsed', value: delivery('OrderPlaced', {}) },
  } as unknown as ReceiveRequest;
  let answer: unknown;
  try {
    answer = (await receiver.receive(request)).status;
  } catch (error) {
    answer = `threw: ${(error as Error).message}`;
  }
  expect(answer).toBe(415);
  expect(receiver.handlersInFlight).toBe(0);
});

test.each([
  ['no headers object', { method: 'POST', body: { kind: 'parsed', value: delivery('OrderPlaced', {}) } }],
  ['a method that is not a string', { method: 42, headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: delivery('OrderPlaced', {}) } }],
  ['no body source', { method: 'POST', headers: { 'x-api-key': API_KEY } }],
])('a request with %s is answered, not thrown, and nothing stays in flight', (_name, request) => {
  const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => undefined);
  const answer = receiver.receive(request as unknown as ReceiveRequest) as { status: number };
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(receiver.handlersInFlight).toBe(0);
});
