// The queue consumer and the producer's idempotency key, on the loopback SQS endpoint: the same
// event under two ids with one key (a global endpoint's replica) runs its handler once and both
// messages are deleted; handlers see detail without the key; a keyOf that fails, or a key field
// receivers cannot use, leaves the message for redelivery (then the dead-letter queue).
import { envelope, sendAll, useLoopbackQueue } from './loopback';
import { eventually } from './support';
import { IDEMPOTENCY_KEY_FIELD, QueueConsumer, ReceivedEvent } from '../../../src/runtime';
import type { ConsumerOptions } from '../../../src/runtime';

jest.setTimeout(30_000);

const queue = useLoopbackQueue();
const KEY = '5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6';

function consuming(options: Partial<ConsumerOptions> = {}): { consumer: QueueConsumer; seen: ReceivedEvent<any>[]; errors: string[] } {
  const seen: ReceivedEvent<any>[] = [];
  const errors: string[] = [];
  const consumer = new QueueConsumer(queue.sqs, {
    queueUrl: queue.queueUrl,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 30,
    stopTimeoutMs: 1_000,
    queueCheck: 'warn',
    logger: { warn: () => undefined, error: (m: string) => errors.push(m) },
    ...options,
  });
  consumer.on('OrderPlaced', (event) => {
    seen.push(event);
  });
  return { consumer, seen, errors };
}

const empty = () => {
  const depth = queue.endpoint.depth(queue.name);
  return depth.visible === 0 && depth.inFlight === 0;
};

test('two messages of one event under two ids, one key: the handler runs once, both are deleted, detail is as sent', async () => {
  const { consumer, seen } = consuming({ idempotency: true, concurrency: 1 });
  await sendAll(queue.sqs, queue.queueUrl, [
    envelope('id-primary', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-1' }),
    envelope('id-replica', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-1' }),
    envelope('id-other', { orderId: 'o-2' }),
  ]);
  consumer.start();
  await eventually(() => consumer.stats().deleted === 3 && empty());
  await consumer.stop();
  expect(seen.map((e) => [e.detail, e.idempotencyKey])).toEqual([[{ orderId: 'o-1' }, KEY], [{ orderId: 'o-2' }, undefined]]);
  expect(IDEMPOTENCY_KEY_FIELD in (seen[0].raw.detail as object)).toBe(false);
});

test('keyOf derives the key: two ids of one order run once', async () => {
  const { consumer, seen } = consuming({ idempotency: { keyOf: (e) => e.detail.orderId }, concurrency: 1 });
  await sendAll(queue.sqs, queue.queueUrl, [envelope('id-1', { orderId: 'o-1' }), envelope('id-2', { orderId: 'o-1' })]);
  consumer.start();
  await eventually(() => consumer.stats().deleted === 2 && empty());
  await consumer.stop();
  expect(seen.map((e) => e.id)).toEqual(['id-1']);
});

test('a keyOf that throws leaves the message for redelivery, logged with the reason; the handler never runs', async () => {
  const { consumer, seen, errors } = consuming({ idempotency: { keyOf: () => { throw new Error('no order id'); } } });
  await sendAll(queue.sqs, queue.queueUrl, [envelope('id-1', { orderId: 'o-1' })]);
  consumer.start();
  await eventually(() => errors.length === 1);
  await consumer.stop();
  expect(seen).toHaveLength(0);
  expect(consumer.stats().deleted).toBe(0);
  expect(errors[0]).toMatch(/^left message [0-9a-f-]{36} \(event id-1\) to be received again: idempotency keyOf threw on event 'id-1': 'no order id': expected it to answer the event's key$/);
  expect(queue.endpoint.depth(queue.name).visible + queue.endpoint.depth(queue.name).inFlight).toBe(1);
});

test('a _idempotencyKey field that is not a key leaves the message too, naming the value', async () => {
  const { consumer, seen, errors } = consuming({ idempotency: true });
  await sendAll(queue.sqs, queue.queueUrl, [envelope('id-1', { [IDEMPOTENCY_KEY_FIELD]: 'a\u0000b', orderId: 'o-1' })]);
  consumer.start();
  await eventually(() => errors.length === 1);
  await consumer.stop();
  expect(seen).toHaveLength(0);
  expect(errors[0]).toContain("event 'id-1': invalid detail._idempotencyKey 'a\\x00b': expected a string of 1 to 256 printable characters (U+0000 at character 1 is not one)");
});
