import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';

jest.setTimeout(90_000);

const queue = useLoopbackQueue();

describe('stop() while a long poll is under way', () => {
  test('the poll finishes within the stop deadline and what it brought is made visible again at once', async () => {
    const handled: string[] = [];
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 30, waitTimeSeconds: 3, stopTimeoutMs: 10_000, concurrency: 10,
    });
    consumer.on('OrderPlaced', (event) => {
      handled.push(event.id);
    });
    consumer.start();
    await consumer.ready();
    await eventually(() => (queue.endpoint.requests.ReceiveMessage ?? 0) >= 1);
    const stopped = consumer.stop();
    // The messages arrive while the long poll waits: SQS hands them to it.
    await sendAll(queue.sqs, queue.queueUrl, Array.from({ length: 10 }, (_, i) => envelope(`e-${i}`, {})));
    const result = await stopped;

    expect(handled).toEqual([]);
    expect(result.returned).toBe(10);
    expect(consumer.stats()).toMatchObject({ received: 10, returnedAtStop: 10 });
    // None hidden for the 30 s visibility timeout.
    expect(queue.endpoint.depth(queue.name)).toEqual({ visible: 10, inFlight: 0 });
  });

  test('timed stops while messages flow leave no message hidden', async () => {
    const total = 300;
    await sendAll(queue.sqs, queue.queueUrl, Array.from({ length: total }, (_, i) => envelope(`e-${i}`, {})));
    const handled = new Set<string>();
    for (const stopAfterMs of [40, 130, 260, 410, 700]) {
      const consumer = new QueueConsumer(queue.sqs, {
        queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 30, waitTimeSeconds: 1, stopTimeoutMs: 5_000, concurrency: 20,
      });
      consumer.on('OrderPlaced', async (event) => {
        await new Promise((r) => setTimeout(r, 30));
        handled.add(event.id);
      });
      consumer.start();
      await new Promise((r) => setTimeout(r, stopAfterMs));
      await consumer.stop();
      const depth = queue.endpoint.depth(queue.name);
      expect(depth.inFlight).toBe(0);
      expect(depth.visible + handled.size).toBe(total);
    }
  });
});
