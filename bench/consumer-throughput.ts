/**
 * Events/s consumed by `client.consumer()` against a raw SDK receive/delete loop with the same
 * concurrency (what a user would otherwise write: workers that receive 10, handle them, delete
 * them in one batch), from the loopback SQS endpoint in its own process. Both parse each body and
 * call a handler; variants run interleaved and the median is taken.
 *
 * Each run is timed from the start to the last message deleted (handled and acknowledged), seen the
 * same way for both in the SQS client they share; what follows is not timed: the consumer's `stop()`
 * waits for its idle long poll to end (so that no message it brings stays hidden), and the raw
 * loop's other workers wait out theirs just the same.
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

interface SqsLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * The shared client, counting the entries DeleteMessageBatch answered as deleted: `allDeleted`
 * resolves when `count` are, which ends the timed part of a run.
 */
function countingDeletes(sqs: SQSClient, count: number): { client: SqsLike; allDeleted: Promise<void> } {
  let deleted = 0;
  let done!: () => void;
  const allDeleted = new Promise<void>((r) => (done = r));
  const client: SqsLike = {
    send: async (command, options) => {
      const output = await sqs.send(command as never, options);
      if (command.constructor.name === 'DeleteMessageBatchCommand') {
        deleted += (output as { Successful?: unknown[] }).Successful?.length ?? 0;
        if (deleted >= count) done();
      }
      return output;
    },
  };
  return { client, allDeleted };
}

/** The raw loop: `concurrency / 10` workers, each receive 10 -> handle all -> DeleteMessageBatch. */
async function rawLoop(sqs: SqsLike, queueUrl: string, count: number, concurrency: number, handler: (detail: unknown) => void): Promise<void> {
  let handled = 0;
  await Promise.all(Array.from({ length: Math.ceil(concurrency / 10) }, async () => {
    while (handled < count) {
      const receive = { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 };
      const out = (await sqs.send(new ReceiveMessageCommand(receive))) as { Messages?: { Body?: string; ReceiptHandle?: string }[] };
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      await Promise.all(messages.map(async (m) => handler(JSON.parse(m.Body!).detail)));
      const entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      handled += messages.length;
    }
  }));
}

/** The consumer until every message is deleted; resolves with its `stop()`, after `allDeleted`. */
async function consume(
  sqs: SqsLike, queueUrl: string, allDeleted: Promise<void>, concurrency: number, handler: (detail: unknown) => void,
): Promise<void> {
  const consumer = new QueueConsumer(sqs, { queueUrl, concurrency, waitTimeSeconds: 1 });
  consumer.on('OrderPlaced', (event) => {
    handler(event.detail);
  });
  consumer.start();
  await allDeleted;
  await consumer.stop();
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
    type Run = (client: SqsLike, allDeleted: Promise<void>) => Promise<void>;
    const variants: Array<[keyof typeof samples, Run]> = [
      ['consumer', (client, allDeleted) => consume(client, queueUrl, allDeleted, concurrency, handler)],
      ['raw', (client) => rawLoop(client, queueUrl, messagesPerRun, concurrency, handler)],
    ];
    let queueUrl = '';
    for (let r = -1; r < rounds; r++) {
      for (let v = 0; v < variants.length; v++) {
        const [name, run] = variants[(v + Math.max(r, 0)) % variants.length];
        // A fresh queue per run: a long poll the previous run aborted may still take messages.
        queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `bench-${++queues}` }))).QueueUrl!;
        await fill(sqs, queueUrl, messagesPerRun);
        const { client, allDeleted } = countingDeletes(sqs, messagesPerRun);
        const start = process.hrtime.bigint();
        const finished = run(client, allDeleted);
        await Promise.race([allDeleted, finished]);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        await finished; // the consumer's stop, the raw workers' last long polls: not timed
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

