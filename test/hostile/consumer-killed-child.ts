// A consumer in a child process whose idempotency store lives in the parent (over IPC), so that
// the claims outlive the child when the test kills it. Prints "started <event id>" per handler.
import { SQSClient } from '@aws-sdk/client-sqs';
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import type { ClaimResult, IdempotencyStore } from '../../src/runtime/routing/idempotency';

const [endpoint, queueUrl] = process.argv.slice(2);
let next = 0;
const waiting = new Map<number, (value: unknown) => void>();
process.on('message', (answer: { n: number; value: unknown }) => {
  waiting.get(answer.n)?.(answer.value);
  waiting.delete(answer.n);
});
function call(op: string, ...args: unknown[]): Promise<unknown> {
  const n = ++next;
  return new Promise((resolve) => {
    waiting.set(n, resolve);
    process.send!({ n, op, args });
  });
}
const store: IdempotencyStore = {
  claim: (id, leaseMs) => call('claim', id, leaseMs) as Promise<ClaimResult>,
  complete: async (id, windowMs) => void (await call('complete', id, windowMs)),
  release: async (id) => void (await call('release', id)),
  renew: async (id, leaseMs) => void (await call('renew', id, leaseMs)),
};
const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const consumer = new QueueConsumer(sqs, { queueUrl, visibilityTimeoutSeconds: 2, waitTimeSeconds: 1, idempotency: { store } });
consumer.onAny(async (event) => {
  process.stdout.write(`started ${event.id}\n`);
  await new Promise((r) => setTimeout(r, 60_000));
});
consumer.start();
