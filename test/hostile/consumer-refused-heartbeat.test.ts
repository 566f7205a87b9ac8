import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';

jest.setTimeout(60_000);

const queue = useLoopbackQueue();

describe('a heartbeat SQS refuses', () => {
  test('messages whose handles are refused are no longer extended, and each refusal names its message id', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const release: (() => void)[] = [];
    let started = 0;
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 3, heartbeatIntervalSeconds: 1, waitTimeSeconds: 1, logger,
    });
    consumer.on('OrderPlaced', () => {
      started++;
      return new Promise<void>((resolve) => release.push(resolve));
    });
    await sendAll(queue.sqs, queue.queueUrl, Array.from({ length: 6 }, (_, i) => envelope(`e-${i}`, { i })));
    consumer.start();
    await eventually(() => started === 6);
    await eventually(() => consumer.stats().extensions >= 6); // one heartbeat went through
    // Another party deletes the six messages: their receipt handles are refused from now on.
    expect(queue.endpoint.depth(queue.name).inFlight).toBe(6);
    expect(queue.endpoint.deleteInFlight(queue.name)).toBe(6);
    await eventually(() => consumer.stats().extensionsRefused === 6);
    const callsAfterRefusal = queue.endpoint.requests.ChangeMessageVisibilityBatch;
    // Three more heartbeat intervals with the handlers still running.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(queue.endpoint.requests.ChangeMessageVisibilityBatch).toBe(callsAfterRefusal);
    expect(consumer.stats().extensionsRefused).toBe(6);
    expect(consumer.handlersInFlight).toBe(6); // the handlers run on; only the heartbeat stops

    const refusals = warnings.filter((w) => w.startsWith('could not extend the visibility of message '));
    expect(refusals).toHaveLength(6);
    for (const w of refusals) expect(w).toMatch(/^could not extend the visibility of message [0-9a-f-]{36} \(ReceiptHandleIsInvalid: /);
    expect(new Set(refusals.map((w) => w.split(' ')[7])).size).toBe(6);
    for (const r of release) r();
    await consumer.stop();
  });
});
