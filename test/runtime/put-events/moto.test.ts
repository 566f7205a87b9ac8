import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { putEventsOver, TEST_CREDENTIALS, TRANSPORTS } from './sdk';
import { MotoServer, startMoto } from '../../../src/local/moto';
import { EventSender, PutEventsResult } from '../../../src/runtime/put-events';

const EVENTS = 1_000;
/**
 * moto's ReceiveMessage re-reads the queue's attributes for every message it returns, so its
 * cost grows with the queue's depth; four rules, each routing a quarter of the events to its own
 * queue, keep the queues short.
 */
const SHARDS = 4;

interface DeliveredEvent {
  readonly id: string;
  readonly detail: { n: number; shard: number };
}

/** Routes the events of one shard from the bus to a new queue; returns the queue URL. */
async function routeShardToQueue(eventBridge: EventBridgeClient, sqs: SQSClient, shard: number): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `orders-${shard}` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const rule = `orders-${shard}-to-queue`;
  const pattern = { source: ['com.example.orders'], detail: { shard: [shard] } };
  await eventBridge.send(new PutRuleCommand({ Name: rule, EventBusName: 'orders', EventPattern: JSON.stringify(pattern) }));
  await eventBridge.send(new PutTargetsCommand({ Rule: rule, EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
  return QueueUrl!;
}

/** Reads a queue 10 messages at a time, deleting what it read, until it is empty. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<DeliveredEvent[]> {
  const events: DeliveredEvent[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    if (Messages.length === 0) return events;
    for (const message of Messages) events.push(JSON.parse(message.Body!));
    const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
}

describe.each(TRANSPORTS)('1,000 events over the %s transport to moto, routed by rules to SQS', (transport) => {
  let moto: MotoServer;
  let result: PutEventsResult;
  let arrived: DeliveredEvent[][];

  beforeAll(async () => {
    moto = await startMoto();
    const { client: eventBridge, putEvents, destroy } = putEventsOver(transport, moto.endpoint);
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS });
    await eventBridge.send(new CreateEventBusCommand({ Name: 'orders' }));
    const queues: string[] = [];
    for (let shard = 0; shard < SHARDS; shard++) queues.push(await routeShardToQueue(eventBridge, sqs, shard));

    const sender = new EventSender(putEvents, { eventBusName: 'orders' });
    const events = Array.from({ length: EVENTS }, (_, n) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n, shard: n % SHARDS } }));
    result = await sender.send(events);
    arrived = await Promise.all(queues.map((queue) => drain(sqs, queue)));
    destroy();
    sqs.destroy();
  }, 180_000); // moto does ~100 PutEvents calls and ~200 SQS calls; slow on a loaded machine
  afterAll(() => moto?.stop());

  test('every event is acknowledged', () => {
    expect(result.failedEntryCount).toBe(0);
    expect(result.entries.every((e) => typeof e.eventId === 'string')).toBe(true);
  });

  test('all 1,000 arrive, once each, under the EventIds they were acknowledged with', () => {
    const byId = new Map(arrived.flat().map((event) => [event.id, event]));
    expect(arrived.flat()).toHaveLength(EVENTS);
    expect(byId.size).toBe(EVENTS);
    result.entries.forEach((entry, n) => expect(byId.get(entry.eventId!)?.detail).toEqual({ n, shard: n % SHARDS }));
  });

  test('each rule routed exactly its shard', () => {
    arrived.forEach((queue, shard) => {
      expect(queue).toHaveLength(EVENTS / SHARDS);
      expect(queue.every((event) => event.detail.shard === shard)).toBe(true);
    });
  });
});
