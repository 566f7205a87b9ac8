/**
 * The queue consumer with a logger whose every method throws (a closed log stream). The last fix
 * guards the decision path, but the logger is also called from the poll loop (ReceiveMessage
 * failed), from DeleteMessageBatch failures and from visibility changes; a throw there escapes as
 * a rejection nobody handles, and stop() rejects instead of resolving. Expected: polling goes on,
 * stop() resolves with its StopResult, no unhandled rejection. (An SqsClientLike that fails these
 * calls stands in for SQS refusing them: moto does not fail DeleteMessageBatch on demand.)
 */
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { delivery } from '../runtime/receiver/support';

const throwing = {
  debug() { throw new Error('log stream closed'); },
  info() { throw new Error('log stream closed'); },
  warn() { throw new Error('log stream closed'); },
  error() { throw new Error('log stream closed'); },
};

const body = JSON.stringify(delivery('OrderPlaced', {}, { id: 'e-1', resources: [] }));

function untilAborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

describe('a consumer whose logger throws', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(() => void process.on('unhandledRejection', onUnhandled));
  afterAll(() => void process.off('unhandledRejection', onUnhandled));
  beforeEach(() => void unhandled.splice(0));

  test('a failed ReceiveMessage does not end polling, and stop() resolves', async () => {
    let receives = 0;
    const sqs = {
      send: async (command: object, options?: { abortSignal?: AbortSignal }) => {
        if (command.constructor.name !== 'ReceiveMessageCommand') return {};
        receives++;
        if (receives === 1) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return untilAborted(options?.abortSignal);
      },
    };
    const consumer = new QueueConsumer(sqs, { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', concurrency: 1, batchSize: 1, waitTimeSeconds: 1, logger: throwing });
    consumer.on('OrderPlaced', () => undefined).start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stopped = await consumer.stop().then((r) => r, (error: unknown) => `stop() rejected: ${(error as Error).message}`);
    expect(receives).toBeGreaterThanOrEqual(2);
    expect(stopped).toEqual({ returned: 0 });
    expect(unhandled).toEqual([]);
  });

  test('a failed DeleteMessageBatch is logged and stop() still resolves', async () => {
    let received = false;
    const sqs = {
      send: async (command: object, options?: { abortSignal?: AbortSignal }) => {
        const name = command.constructor.name;
        if (name === 'DeleteMessageBatchCommand') throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
        if (name !== 'ReceiveMessageCommand') return {};
        if (!received) {
          received = true;
          return { Messages: [{ MessageId: 'm-1', ReceiptHandle: 'h-1', Body: body }] };
        }
        return untilAborted(options?.abortSignal);
      },
    };
    const consumer = new QueueConsumer(sqs, { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', concurrency: 1, batchSize: 1, waitTimeSeconds: 1, logger: throwing });
    consumer.on('OrderPlaced', () => undefined).start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = await consumer.stop().then((r) => r, (error: unknown) => `stop() rejected: ${(error as Error).message}`);
    expect(stopped).toEqual({ returned: 0 });
    expect(unhandled).toEqual([]);
  });
});
