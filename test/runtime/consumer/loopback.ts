import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsEndpoint, startSqsEndpoint } from '../../../src/local/sqs-endpoint';

/** A queue on the loopback SQS endpoint (fast, and able to inject faults moto cannot). */
export interface LoopbackQueue {
  readonly endpoint: SqsEndpoint;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly name: string;
  stop(): Promise<void>;
}

let n = 0;

export async function loopbackQueue(options: { endpoint?: SqsEndpoint; redrivePolicy?: object } = {}): Promise<LoopbackQueue> {
  const endpoint = options.endpoint ?? (await startSqsEndpoint());
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: endpoint.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const name = `q${process.pid}-${++n}`;
  const attributes = { ...(options.redrivePolicy && { RedrivePolicy: JSON.stringify(options.redrivePolicy) }) };
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return {
    endpoint,
    sqs,
    queueUrl: out.QueueUrl!,
    name,
    stop: async () => {
      sqs.destroy();
      if (!options.endpoint) await endpoint.stop();
    },
  };
}

/**
 * A fresh loopback queue for each test of the calling file or `describe` block: made before
 * each test, stopped after it. The object it returns reads the current test's queue.
 */
export function useLoopbackQueue(options: { redrivePolicy?: object } = {}): LoopbackQueue {
  let current: LoopbackQueue | undefined;
  beforeEach(async () => {
    current = await loopbackQueue(options);
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  const now = (): LoopbackQueue => {
    if (!current) throw new Error('the loopback queue exists only while a test runs');
    return current;
  };
  return {
    get endpoint() { return now().endpoint; },
    get sqs() { return now().sqs; },
    get queueUrl() { return now().queueUrl; },
    get name() { return now().name; },
    stop: () => now().stop(),
  };
}

/** The EventBridge envelope an SQS target puts in a message body. */
export function envelope(id: string, detail: object, detailType = 'OrderPlaced'): string {
  return JSON.stringify({ 'version': '0', id, 'detail-type': detailType, 'source': 'com.example.orders', 'account': '123456789012', 'time': '2026-12-07T00:00:00Z', 'region': 'us-east-1', 'resources': [], detail });
}

/** Sends `bodies` ten to a SendMessageBatch. */
export async function sendAll(sqs: SQSClient, queueUrl: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}
