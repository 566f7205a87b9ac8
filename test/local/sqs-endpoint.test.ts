import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SqsEndpoint, startSqsEndpoint } from '../../src/local/sqs-endpoint';
import { QueueConsumer } from '../../src/runtime';

let endpoint: SqsEndpoint;
let sqs: SQSClient;
beforeAll(async () => {
  endpoint = await startSqsEndpoint();
  sqs = new SQSClient({ region: 'us-east-1', endpoint: endpoint.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sqs.destroy();
  await endpoint.stop();
});

const event = (i: number) => JSON.stringify({ 'id': `e-${i}`, 'detail-type': 'OrderPlaced', 'source': 'bench', 'detail': { i } });

async function fill(queueUrl: string, count: number) {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: String(j), MessageBody: event(i + j) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

test('the SDK client speaks to it: send, receive with visibility, redelivery, change visibility, batch delete', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'basics' }));
  await fill(QueueUrl!, 3);
  const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 1 }));
  expect(first.Messages).toHaveLength(3);
  expect(endpoint.depth('basics')).toEqual({ visible: 0, inFlight: 3 });
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![0].ReceiptHandle, VisibilityTimeout: 0 }));
  const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect(again.Messages).toHaveLength(1);
  expect(again.Messages![0].Attributes?.ApproximateReceiveCount).toBe('2');
  const handles = [...first.Messages!.slice(1), ...again.Messages!].map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
  const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: handles }));
  expect(deleted.Successful).toHaveLength(3);
  expect(endpoint.depth('basics')).toEqual({ visible: 0, inFlight: 0 });
});

test('the consumer drains 2,000 messages through it and leaves nothing behind', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'drain' }));
  await fill(QueueUrl!, 2000);
  const seen = new Set<string>();
  const consumer = new QueueConsumer(sqs, { queueUrl: QueueUrl!, concurrency: 30, waitTimeSeconds: 1 });
  consumer.on('OrderPlaced', (e) => void seen.add(e.id));
  consumer.start();
  const until = Date.now() + 20_000;
  while (seen.size < 2000 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await consumer.stop();
  expect(seen.size).toBe(2000);
  expect(endpoint.depth('drain')).toEqual({ visible: 0, inFlight: 0 });
  expect(endpoint.requests.DeleteMessageBatch).toBeLessThan(2000 / 5);
});
