import { useLoopbackQueue } from './loopback';
import { QueueConsumer } from '../../../src/runtime/consumer/consumer';
import { checkQueue } from '../../../src/runtime/consumer/queue-check';

const sqs = { send: () => Promise.reject(new Error('not called')) };
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';

describe('options that cannot work are refused', () => {
  test('a heartbeat interval not below the visibility timeout', () => {
    expect(() => new QueueConsumer(sqs, { queueUrl, visibilityTimeoutSeconds: 4, heartbeatIntervalSeconds: 4 })).toThrow(
      "invalid heartbeatIntervalSeconds '4': expected below visibilityTimeoutSeconds (4), or a message could reappear before its first extension",
    );
    expect(() => new QueueConsumer(sqs, { queueUrl, visibilityTimeoutSeconds: 4, heartbeatIntervalSeconds: 9 })).toThrow('expected below visibilityTimeoutSeconds (4)');
    expect(() => new QueueConsumer(sqs, { queueUrl, visibilityTimeoutSeconds: 1, heartbeatIntervalSeconds: 1 })).toThrow('expected below visibilityTimeoutSeconds (1)');
    expect(() => new QueueConsumer(sqs, { queueUrl, visibilityTimeoutSeconds: 4, heartbeatIntervalSeconds: 3 })).not.toThrow();
  });

  test('an idempotency lease the heartbeat cannot renew in time, a bad cap, a bad heartbeat switch', () => {
    const short = { queueUrl, visibilityTimeoutSeconds: 30, heartbeatIntervalSeconds: 10, idempotency: { leaseMs: 10_000 } };
    expect(() => new QueueConsumer(sqs, short)).toThrow(
      "invalid idempotency leaseMs '10000': expected above the heartbeat interval (10000 ms), which renews it",
    );
    expect(() => new QueueConsumer(sqs, { queueUrl, maxExtensionMs: 500 })).toThrow("invalid maxExtensionMs '500': expected a whole number of milliseconds from 1000 to 43200000");
    expect(() => new QueueConsumer(sqs, { queueUrl, heartbeat: 'no' as unknown as boolean })).toThrow("invalid heartbeat 'no': expected true or false");
    expect(() => new QueueConsumer(sqs, { queueUrl, queueCheck: 'maybe' as 'warn' })).toThrow("invalid queueCheck 'maybe'");
  });
});

describe('the queue check', () => {
  test('a claim that outlives every redelivery is refused, naming the attributes and the values', () => {
    const found = checkQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 5 }, { visibilityTimeoutSeconds: 30, leaseMs: 300_000, renews: false });
    expect(found.refusals).toHaveLength(1);
    expect(found.refusals[0]).toContain('idempotency leaseMs (300000');
    expect(found.refusals[0]).toContain('RedrivePolicy maxReceiveCount 5 at visibilityTimeoutSeconds 30');
    expect(found.refusals[0]).toContain("the queue's VisibilityTimeout is 30 s");
    // The consumer's default lease (shorter than the visibility timeout) passes.
    const fine = checkQueue({ maxReceiveCount: 2 }, { visibilityTimeoutSeconds: 30, leaseMs: 25_000, renews: true });
    expect(fine).toEqual({ refusals: [], warnings: [] });
    // Longer than one visibility timeout but with redeliveries to spare: a warning.
    const warned = checkQueue({ maxReceiveCount: 5 }, { visibilityTimeoutSeconds: 30, leaseMs: 45_000, renews: true });
    expect(warned.refusals).toEqual([]);
    expect(warned.warnings[0]).toContain('1 redelivery(ies) will find the claim');
    expect(checkQueue({ maxReceiveCount: 1 }, { visibilityTimeoutSeconds: 30, renews: false }).warnings[0]).toContain('maxReceiveCount is 1');
  });

  describe('at start, on a queue', () => {
    const queue = useLoopbackQueue({ redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 3 } });

    test('refuses: ready() rejects, the consumer stops without receiving; warn starts it', async () => {
      const errors: string[] = [];
      const logger = { warn: (m: string) => errors.push(m), error: (m: string) => errors.push(m) };
      const idempotency = { leaseMs: 300_000, store: { claim: () => 'claimed' as const, complete: () => undefined, release: () => undefined } };
      const refused = new QueueConsumer(queue.sqs, { queueUrl: queue.queueUrl, waitTimeSeconds: 1, idempotency, logger }).start();
      await expect(refused.ready()).rejects.toThrow('RedrivePolicy maxReceiveCount 3 at visibilityTimeoutSeconds 30');
      await refused.stop();
      expect(refused.running).toBe(false);
      expect(queue.endpoint.requests.ReceiveMessage ?? 0).toBe(0);
      expect(errors.some((e) => e.includes("the consumer does not start (queueCheck 'warn' starts it all the same)"))).toBe(true);

      const warned = new QueueConsumer(queue.sqs, { queueUrl: queue.queueUrl, waitTimeSeconds: 1, idempotency, logger, queueCheck: 'warn' }).start();
      await warned.ready();
      await warned.stop();
      expect(queue.endpoint.requests.ReceiveMessage).toBeGreaterThanOrEqual(1);
    });
  });
});
