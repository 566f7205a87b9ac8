/**
 * The queue consumer shares the HTTP receiver's router: a handler whose result throws when asked
 * for `then` (a strict proxy, as some config and ORM libraries return) must count as a failed
 * handler there too: the message is received again, then dead-lettered, as when a handler throws.
 * Today the consumer's `decide` rejects instead, the message stays in flight (its visibility
 * extended by the heartbeat) and is never seen again, and `stop()` then spins for ever in
 * `allSettled` (a rejected promise is never taken out of `settling`: an endless microtask loop at
 * 100% CPU that starves every timer, stopTimeoutMs's included). The test clears that set before
 * stopping so that a failing run ends.
 */
import { MotoServer, startMoto } from '../../src/local/moto';
import { eventually, order, peek, QueueWiring, wireQueue } from '../runtime/consumer/support';

jest.setTimeout(60_000);

let moto: MotoServer;
let wiring: QueueWiring;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  moto = await startMoto();
  wiring = await wireQueue(moto, 'orders-strict');
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  wiring?.client.destroy();
  wiring?.sqs.destroy();
  await moto?.stop();
});

test('a handler returning a strict proxy is a failure: the event comes again, then goes to the dead-letter queue', async () => {
  const { client, sqs, queueUrl, deadLetterQueueUrl } = wiring;
  const strict = new Proxy({}, { get: (_t, name) => { throw new Error(`unknown property ${String(name)}`); } });
  let calls = 0;
  const consumer = client.consumer({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1, stopTimeoutMs: 2_000, queueUrl });
  consumer.on('OrderPlaced', () => {
    calls++;
    return strict as unknown as void;
  });
  consumer.start();
  try {
    await client.putEvents([order('o-strict')]);
    await eventually(async () => (await peek(sqs, deadLetterQueueUrl)).length === 1, 10_000);
  } finally {
    // Without this, a failing run never ends: see above.
    (consumer as unknown as { settling: Set<unknown> }).settling.clear();
    await consumer.stop();
  }
  expect(calls).toBe(2); // maxReceiveCount
  expect(unhandled).toEqual([]);
});
