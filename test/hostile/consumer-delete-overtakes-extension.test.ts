import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';

jest.setTimeout(60_000);

const queue = useLoopbackQueue();

describe('a handler that finishes while its extension is on the way', () => {
  test('the delete that overtakes the extension makes SQS refuse it; that refusal is expected, not counted or warned about', async () => {
    const warnings: string[] = [];
    const debug: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m), debug: (m: string) => debug.push(m) };
    // The extension is held back on its way out until the handler finished and its delete was served.
    let extensionPending = false;
    queue.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ChangeMessageVisibilityBatchCommand') {
          extensionPending = true;
          await eventually(() => (queue.endpoint.requests.DeleteMessageBatch ?? 0) >= 1, 20_000);
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'holdExtensions' },
    );
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 3, heartbeatIntervalSeconds: 1, waitTimeSeconds: 1, logger,
    });
    let handled = 0;
    consumer.on('OrderPlaced', async () => {
      await eventually(() => extensionPending, 20_000);
      handled++;
    });
    await sendAll(queue.sqs, queue.queueUrl, [envelope('e-0', { i: 0 })]);
    consumer.start();
    try {
      await eventually(() => handled === 1 && consumer.stats().deleted === 1);
      await eventually(() => (queue.endpoint.requests.ChangeMessageVisibilityBatch ?? 0) >= 1);
      await eventually(() => consumer.stats().extensionsRefused > 0 || debug.some((m) => m.includes('was refused after its handler finished')));
    } finally {
      await consumer.stop();
    }

    expect(consumer.stats().extensionsRefused).toBe(0);
    expect(warnings.filter((w) => w.startsWith('could not extend'))).toEqual([]);
    expect(debug.find((m) => m.includes('was refused after its handler finished'))).toMatch(/ReceiptHandleIsInvalid/);
    expect(queue.endpoint.depth(queue.name)).toEqual({ visible: 0, inFlight: 0 });
  });
});
