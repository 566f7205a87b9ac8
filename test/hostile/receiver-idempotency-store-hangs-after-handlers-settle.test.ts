/**
 * `idempotency.store` is the caller's database ("back it with your database"): its `complete()`
 * is a network call that can hang (a lost connection, a pool with no timeout). The handlers have
 * run and succeeded, but the receiver awaits `complete()` without a bound, so:
 * - the delivery is answered 503 at the handler deadline, though its handlers succeeded: EventBridge
 *   retries it (409 while the lease holds, then handled AGAIN once the lease expires), where a
 *   store that throws is answered 200 ("a store that could not record it only means a repeat may
 *   run them again");
 * - its `maxHandlersInFlight` slot never comes back: `handlersInFlight` counts a delivery whose
 *   handlers settled, and once the limit's worth of such deliveries is reached every delivery is
 *   answered 503 TooManyInFlight, for good.
 * Expected: a store that does not answer is treated like one that throws: 200 once the handlers
 * succeeded, and the slot given back (every wait has a bound).
 */
import { createReceiver } from '../../src/runtime';
import type { IdempotencyStore } from '../../src/runtime/routing/idempotency';
import { API_KEY, delivery } from '../runtime/receiver/support';

const hangingStore: IdempotencyStore = {
  claim: () => 'claimed',
  complete: () => new Promise<void>(() => undefined),
  release: () => undefined,
};

function receiverWith(store: IdempotencyStore) {
  let handled = 0;
  const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 40, maxHandlersInFlight: 1, idempotency: { store } })
    .on('OrderPlaced', async () => void handled++);
  const send = async (id: string) => (await receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': API_KEY },
    body: { kind: 'parsed', value: delivery('OrderPlaced', {}, { id }) },
  })).status;
  return { receiver, send, handled: () => handled };
}

test('handlers that succeeded are answered 200 when the store\'s complete() hangs, as when it throws', async () => {
  const { send, handled } = receiverWith(hangingStore);
  const status = await send('e-1');
  expect(handled()).toBe(1);
  expect(status).toBe(200);
});

test('the slot of a delivery whose handlers settled comes back though the store\'s complete() hangs', async () => {
  const { receiver, send, handled } = receiverWith(hangingStore);
  await send('e-1');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(handled()).toBe(1);
  expect(receiver.handlersInFlight).toBe(0);
  expect(await send('e-2')).not.toBe(503);
});

test('(control) a store whose complete() throws: 200, and the slot comes back', async () => {
  const { receiver, send } = receiverWith({ ...hangingStore, complete: () => Promise.reject(new Error('connection lost')) });
  expect(await send('e-1')).toBe(200);
  expect(receiver.handlersInFlight).toBe(0);
});
