/**
 * A consumer of both regions' queues (`secondaryQueueUrl`), on moto serving two regions: events
 * put on each region's bus reach the one handler once each, from the queue of their region; an
 * event delivered on both queues with the same id runs once (one idempotency store for both);
 * both queues are emptied, and `stop()` stops both. (moto gives both regions' queues the same URL:
 * the region of the SQS client tells them apart, as the consumer's two clients do.)
 */
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MotoServer, startMoto } from '../../../src/local/moto';
import { ConnectorClient } from '../../../src/runtime';

const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
const queueUrls: Record<string, string> = {};

/** The bus of the same name, its queue and the rule between them, in one region. */
async function wireRegion(region: string): Promise<void> {
  const config = { region, endpoint: moto.endpoint, credentials: CREDENTIALS };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  try {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-inbox' }));
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    await events.send(new PutRuleCommand({ Name: 'orders-to-queue', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'orders-to-queue', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn }] }));
    queueUrls[region] = queue.QueueUrl!;
  } finally {
    events.destroy();
    sqs.destroy();
  }
}

beforeAll(async () => {
  moto = await startMoto();
  await wireRegion(PRIMARY);
  await wireRegion(SECONDARY);
});

afterAll(async () => {
  await moto?.stop();
});

async function visible(region: string): Promise<number> {
  const sqs = new SQSClient({ region, endpoint: moto.endpoint, credentials: CREDENTIALS });
  try {
    const attributes = await sqs.send(new GetQueueAttributesCommand({
      QueueUrl: queueUrls[region],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }));
    return Number(attributes.Attributes!.ApproximateNumberOfMessages) + Number(attributes.Attributes!.ApproximateNumberOfMessagesNotVisible);
  } finally {
    sqs.destroy();
  }
}

test('events on each region\'s bus reach the handler once each, through one consumer of both queues', async () => {
  const client = new ConnectorClient({ region: PRIMARY, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: moto.endpoint });
  const seen: Array<{ key: string; region: string }> = [];
  const consumer = client.consumer({
    queueUrl: queueUrls[PRIMARY],
    secondaryQueueUrl: queueUrls[SECONDARY],
    secondaryRegion: SECONDARY,
    waitTimeSeconds: 1,
    idempotency: true,
  }).on<{ key: string }>('OrderPlaced', async (event) => {
    seen.push({ key: event.detail.key, region: event.region });
  });
  try {
    consumer.start();
    await consumer.ready();
    for (const region of [PRIMARY, SECONDARY]) {
      const events = new EventBridgeClient({ region, endpoint: moto.endpoint, credentials: CREDENTIALS });
      const entries = Array.from({ length: 3 }, (_, i) => ({ Source: 'com.example.orders', DetailType: 'OrderPlaced', EventBusName: 'orders', Detail: JSON.stringify({ key: `${region}-${i}` }) }));
      expect((await events.send(new PutEventsCommand({ Entries: entries }))).FailedEntryCount).toBe(0);
      events.destroy();
    }
    // The same event (same id) on both queues: one store of claims for both, so one run.
    const twin = {
      'version': '0',
      'id': 'b6a2c3d4-0000-4000-8000-000000000001',
      'detail-type': 'OrderPlaced',
      'source': 'com.example.orders',
      'account': '123456789012',
      'time': new Date().toISOString(),
      'region': PRIMARY,
      'resources': [],
      'detail': { key: 'twin' },
    };
    for (const region of [PRIMARY, SECONDARY]) {
      const sqs = new SQSClient({ region, endpoint: moto.endpoint, credentials: CREDENTIALS });
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrls[region], MessageBody: JSON.stringify(twin) }));
      sqs.destroy();
    }
    const until = Date.now() + 30_000;
    const pending = async () => seen.length < 7 || (await visible(PRIMARY)) + (await visible(SECONDARY)) > 0;
    while ((await pending()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const keys = seen.map((s) => s.key).sort();
    expect(keys).toEqual([...[0, 1, 2].map((i) => `${PRIMARY}-${i}`), ...[0, 1, 2].map((i) => `${SECONDARY}-${i}`), 'twin'].sort());
    for (const region of [PRIMARY, SECONDARY]) {
      expect(seen.filter((s) => s.key.startsWith(`${region}-`)).map((s) => s.region)).toEqual([region, region, region]);
    }
    expect(await visible(PRIMARY)).toBe(0);
    expect(await visible(SECONDARY)).toBe(0);
    const stats = consumer.stats();
    expect(stats.received).toBe(8);
    expect(stats.deleted).toBe(8);
  } finally {
    await consumer.stop();
    client.destroy();
  }
  expect(consumer.running).toBe(false);
  expect(consumer.handlersInFlight).toBe(0);
});

test('a secondary queue without a region to poll it in, or in the client\'s own region, is refused', () => {
  const client = new ConnectorClient({ region: PRIMARY, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:9' });
  try {
    expect(() => client.consumer({ queueUrl: 'http://127.0.0.1:9/123456789012/a', secondaryQueueUrl: 'http://127.0.0.1:9/123456789012/b' }))
      .toThrow("missing secondaryRegion for secondaryQueueUrl 'http://127.0.0.1:9/123456789012/b': expected secondaryRegion, a queue URL naming its region");
    expect(() => client.consumer({ queueUrl: 'http://127.0.0.1:9/123456789012/a', secondaryQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/b' }))
      .toThrow("invalid secondaryRegion 'us-east-1': it is the client's region");
  } finally {
    client.destroy();
  }
});
