import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';

jest.setTimeout(60_000);

const queue = useLoopbackQueue();

describe('a handler stuck past maxExtensionMs', () => {
  test('its signal aborts, its message is no longer extended nor deleted, and it is delivered again', async () => {
    const warnings: string[] = [];
    const aborted: unknown[] = [];
    let calls = 0;
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl,
      visibilityTimeoutSeconds: 2,
      heartbeatIntervalSeconds: 1,
      waitTimeSeconds: 1,
      maxExtensionMs: 2_500,
      stopTimeoutMs: 1_000,
      logger: { warn: (m: string) => warnings.push(m), error: () => undefined },
    });
    consumer.on('OrderPlaced', (_event, { signal }) => {
      calls++;
      if (calls > 1) return; // the redelivery succeeds at once
      // Honours its signal, then "succeeds": the message must still not be deleted.
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => {
        aborted.push(signal.reason);
        resolve();
      }));
    });
    await sendAll(queue.sqs, queue.queueUrl, [envelope('stuck', {})]);
    consumer.start();
    await eventually(() => aborted.length === 1);
    expect(consumer.stats().extensionCapReached).toBe(1);
    const extensions = consumer.stats().extensions;
    expect(extensions).toBeGreaterThanOrEqual(1);
    expect(String(aborted[0])).toContain('maxExtensionMs (2500 ms)');
    expect(warnings.some((w) => /^message [0-9a-f-]{36}: its handler still runs after maxExtensionMs/.test(w))).toBe(true);
    // Left to redelivery: it comes back after its visibility timeout and is handled then.
    await eventually(() => calls === 2, 15_000);
    await eventually(() => queue.endpoint.depth(queue.name).inFlight === 0 && queue.endpoint.depth(queue.name).visible === 0);
    // The loopback queue drops the message before the consumer has read the DeleteMessageBatch answer.
    await eventually(() => consumer.stats().deleted >= 1);
    expect(consumer.stats().extensions).toBe(extensions);
    expect(consumer.stats().deleted).toBe(1); // only the redelivery
    await consumer.stop();
  });

  test('heartbeat: false never extends; a handler past the visibility timeout sees its message again', async () => {
    let calls = 0;
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, heartbeat: false, concurrency: 2, stopTimeoutMs: 500,
    });
    consumer.on('OrderPlaced', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, calls === 1 ? 2_500 : 0));
    });
    await sendAll(queue.sqs, queue.queueUrl, [envelope('slow', {})]);
    consumer.start();
    await eventually(() => calls === 2, 15_000);
    expect(queue.endpoint.requests.ChangeMessageVisibilityBatch ?? 0).toBe(0);
    await consumer.stop();
    expect(consumer.stats().extensions).toBe(0);
  });
});
