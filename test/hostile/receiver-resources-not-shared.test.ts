/**
 * `event.resources` holds the delivered resources that are strings (`readonly string[]`), and
 * `event.raw` is the body as delivered. Neither may be an alias of the other or of the caller's
 * parsed body (Express's `req.body`): a handler that edits one must not change what the next
 * handler, or the rest of the caller's stack, reads in the other.
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

const ARN = 'arn:aws:events:us-east-1:123456789012:event-bus/orders';

test('a handler that edits event.raw.resources leaves event.resources all strings for the next handler', async () => {
  const seenByNext: unknown[][] = [];
  const receiver = createReceiver({ apiKey: API_KEY })
    .on('OrderPlaced', (event) => void (event.raw.resources as unknown[]).push(42))
    .onAny((event) => void seenByNext.push([...event.resources]));
  const answer = await receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: delivery('OrderPlaced', {}) } });
  expect(answer.status).toBe(200);
  expect(seenByNext).toEqual([[ARN]]);
});

test("a handler that edits event.resources leaves the caller's parsed body as it was", async () => {
  const parsedBody = delivery('OrderPlaced', {});
  const receiver = createReceiver({ apiKey: API_KEY })
    .on('OrderPlaced', (event) => void (event.resources as string[]).push('arn:added-by-handler'));
  await receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: parsedBody } });
  expect(parsedBody.resources).toEqual([ARN]);
});
