/**
 * Events/s consumed by `client.consumer()` against a raw SDK receive/delete loop with the same
 * concurrency (what a user would otherwise write: workers that receive 10, handle them, delete
 * them in one batch), from the loopback SQS endpoint in its own process. Both parse each body and
 * call a handler; variants run interleaved and the median is taken.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { median, startChild, stopChild } from './processes';
import { QueueConsumer } from '../src/runtime/consumer';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export interface ConsumerThroughputResult {
  readonly messagesPerRun: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly eventsPerSecond: { consumer: number; raw: number };
  readonly ratio: number;
}

function body(i: number): string {
  return JSON.stringify({
    'version': '0',
    'id': `e-${i}`,
    'detail-type': 'OrderPlaced',
    'source': 'bench.orders',
    'account': '000000000000',
    'time': '2026-11-29T00:00:00Z',
    'region': 'us-east-1',
    'resources': [],
    'detail': { orderId: `o-${i}`, amount: i % 1000 },
  });
}

async function fill(sqs: SQSClient, queueUrl: string, count: number): Promise<void> {
  const requests: { Id: string; MessageBody: string }[][] = [];
  for (let i = 0; i < count; i += 10) {
    requests.push(Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: String(j), MessageBody: body(i + j) })));
  }
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < requests.length) await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: requests[next++] }));
  }));
}

/** The raw loop: `concurrency / 10` workers, each receive 10 -> handle all -> DeleteMessageBatch. */
async function rawLoop(sqs: SQSClient, queueUrl: string, count: number, concurrency: number, handler: (detail: unknown) => void): Promise<void> {
  let handled = 0;
  await Promise.all(Array.from({ length: Math.ceil(concurrency / 10) }, async () => {
    while (handled < count) {
      const receive = { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 };
      const out = await sqs.send(new ReceiveMessageCommand(receive));
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      await Promise.all(messages.map(async (m) => handler(JSON.parse(m.Body!).detail)));
      const entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      handled += messages.length;
    }
  }));
}

async function consume(sqs: SQSClient, queueUrl: string, count: number, concurrency: number, handler: (detail: unknown) => void): Promise<void> {
  let handled = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const consumer = new QueueConsumer(sqs, { queueUrl, concurrency, waitTimeSeconds: 1 });
  consumer.on('OrderPlaced', (event) => {
    handler(event.detail);
    if (++handled === count) done();
  });
  consumer.start();
  await all;
  await consumer.stop(); // flushes the last deletes
}

export async function measureConsumerThroughput(messagesPerRun = 10_000, rounds = 5, concurrency = 20): Promise<ConsumerThroughputResult> {
  const { child, info } = await startChild<{ endpoint: string }>('bench/sqs-endpoint-process.ts');
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: info.endpoint, credentials: CREDENTIALS });
  try {
    let queues = 0;
    let sink = 0;
    const handler = (detail: unknown) => {
      sink += (detail as { amount: number }).amount;
    };
    const samples = { consumer: [] as number[], raw: [] as number[] };
    const variants: Array<[keyof typeof samples, () => Promise<void>]> = [
      ['consumer', () => consume(sqs, queueUrl, messagesPerRun, concurrency, handler)],
      ['raw', () => rawLoop(sqs, queueUrl, messagesPerRun, concurrency, handler)],
    ];
    let queueUrl = '';
    for (let r = -1; r < rounds; r++) {
      for (let v = 0; v < variants.length; v++) {
        const [name, run] = variants[(v + Math.max(r, 0)) % variants.length];
        // A fresh queue per run: a long poll the previous run aborted may still take messages.
        queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `bench-${++queues}` }))).QueueUrl!;
        await fill(sqs, queueUrl, messagesPerRun);
        const start = process.hrtime.bigint();
        await run();
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (r >= 0) samples[name].push(messagesPerRun / seconds); // round -1 warms up
      }
    }
    if (sink < 0) throw new Error('unreachable');
    const eps = { consumer: median(samples.consumer), raw: median(samples.raw) };
    return { messagesPerRun, rounds, concurrency, eventsPerSecond: eps, ratio: eps.consumer / eps.raw };
  } finally {
    sqs.destroy();
    await stopChild(child);
  }
}

