/**
 * A global endpoint replicates every event to the other region, where EventBridge gives it another
 * `id` (issue 22 item 5; "Event IDs can change across API calls", global endpoints best practices).
 * On loopback: the global-endpoint stand-in over two moto regions, replication on, each region
 * with a rule to an API destination (delivered by the local stand-in to one HTTP receiver) and a
 * rule to a queue (one consumer polling both regions' queues).
 *
 * Asserted on both receiving paths: an event sent with a stamped key (`stampIdempotencyKey`)
 * arrives twice, under two ids, and its handler runs once; handlers see `detail` as sent and the
 * key as `event.idempotencyKey`; an event sent without a key runs twice (its two ids differ), which
 * is what deduplicating on `event.id` gives.
 */
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApiDestinationDelivery, startApiDestinationDelivery } from '../../src/local/api-destination-delivery';
import { GlobalEndpoint, startGlobalEndpoint } from '../../src/local/global-endpoint';
import { MotoServer, startMoto } from '../../src/local/moto';
import { ConnectorClient, createReceiver, IDEMPOTENCY_KEY_FIELD, QueueConsumer, ReceivedEvent } from '../../src/runtime';
import { API_KEY, serve, TestServer } from '../runtime/receiver/support';

jest.setTimeout(120_000);

const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const ENDPOINT_ID = 'abcde.veo';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let moto: MotoServer;
let global: GlobalEndpoint;
let app: TestServer;
const deliveries: ApiDestinationDelivery[] = [];
const queueUrls: Record<string, string> = {};
const byReceiver: ReceivedEvent<{ key: string }>[] = [];
const byConsumer: ReceivedEvent<{ key: string }>[] = [];

/** One region: the bus of the same name, a rule to the app's API destination, a rule to a queue. */
async function wireRegion(region: string): Promise<void> {
  const config = { region, endpoint: moto.endpoint, credentials: CREDENTIALS };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  try {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const pattern = JSON.stringify({ source: ['com.example.orders'] });
    const connection = await events.send(new CreateConnectionCommand({
      Name: 'orders-app', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: API_KEY } },
    }));
    const destination = await events.send(new CreateApiDestinationCommand({
      Name: 'orders-app', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: app.url, HttpMethod: 'POST',
    }));
    await events.send(new PutRuleCommand({ Name: 'orders-app-rule', EventBusName: 'orders', EventPattern: pattern }));
    await events.send(new PutTargetsCommand({ Rule: 'orders-app-rule', EventBusName: 'orders', Targets: [{ Id: 'app', Arn: destination.ApiDestinationArn }] }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-inbox' }));
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    await events.send(new PutRuleCommand({ Name: 'orders-to-queue', EventBusName: 'orders', EventPattern: pattern }));
    await events.send(new PutTargetsCommand({ Rule: 'orders-to-queue', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn }] }));
    queueUrls[region] = queue.QueueUrl!;
    deliveries.push(await startApiDestinationDelivery({ endpoint: moto.endpoint, eventBusName: 'orders', ruleName: 'orders-app-rule', region, retryDelayMs: 10 }));
  } finally {
    events.destroy();
    sqs.destroy();
  }
}

beforeAll(async () => {
  moto = await startMoto();
  // One app process receives both regions' deliveries: one receiver, one idempotency store.
  const receiver = createReceiver({ apiKey: API_KEY, idempotency: true });
  receiver.on<{ key: string }>('OrderPlaced', (event) => {
    byReceiver.push(event);
  });
  app = await serve(receiver.handle);
  await wireRegion(PRIMARY);
  await wireRegion(SECONDARY);
  global = await startGlobalEndpoint({
    endpointId: ENDPOINT_ID,
    primary: { region: PRIMARY, endpoint: moto.endpoint },
    secondary: { region: SECONDARY, endpoint: moto.endpoint },
    secretFor: (id) => (id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined),
  });
});

afterAll(async () => {
  await Promise.all(deliveries.map((d) => d.stop()));
  await global?.stop();
  await app?.close();
  await moto?.stop();
});

const order = (key: string) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { key } });
const producer = (stampIdempotencyKey: boolean) => new ConnectorClient({
  region: PRIMARY,
  eventBusName: 'orders',
  credentials: CREDENTIALS,
  endpoints: { events: global.endpoint },
  putEvents: { endpointId: ENDPOINT_ID, stampIdempotencyKey },
});

test('a replicated event runs its handler once on both receiving paths when its producer stamped a key', async () => {
  const stamped = producer(true);
  const plain = producer(false);
  const receiving = new ConnectorClient({ region: PRIMARY, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: moto.endpoint });
  const consumer: QueueConsumer = receiving.consumer({
    queueUrl: queueUrls[PRIMARY],
    secondaryQueueUrl: queueUrls[SECONDARY],
    secondaryRegion: SECONDARY,
    waitTimeSeconds: 1,
    idempotency: true,
  }).on<{ key: string }>('OrderPlaced', (event) => {
    byConsumer.push(event);
  });
  try {
    consumer.start();
    await consumer.ready();
    expect((await stamped.putEvents(['k-0', 'k-1', 'k-2', 'k-3', 'k-4'].map(order))).failedEntryCount).toBe(0);
    await Promise.all(['k-5', 'k-6', 'k-7'].map((k) => stamped.putEvent(order(k))));
    expect((await plain.putEvents([order('plain-0'), order('plain-1')])).failedEntryCount).toBe(0);
    await global.flushReplication();
    expect(global.replicated).toBe(10);
    expect(global.replicationBacklog).toBe(0);

    // Every copy reaches both paths: 10 events in each region.
    const copies = 20;
    await Promise.all(deliveries.map((d) => d.waitFor(10, 60_000)));
    const until = Date.now() + 60_000;
    while (consumer.stats().deleted < copies && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(consumer.stats()).toMatchObject({ received: copies, deleted: copies });
    // Answered 200 each time: 'handled' once per stamped event, 'repeat' for its replica.
    expect(deliveries.flatMap((d) => d.records.map((r) => r.status))).toEqual(Array(copies).fill(200));

    const stampedKeys = ['k-0', 'k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6', 'k-7'];
    for (const [path, seen] of [['receiver', byReceiver], ['consumer', byConsumer]] as const) {
      const runs = (key: string) => seen.filter((e) => e.detail.key === key);
      for (const key of stampedKeys) {
        expect({ path, key, runs: runs(key).length }).toEqual({ path, key, runs: 1 });
        const [event] = runs(key);
        expect(event.detail).toEqual({ key });
        expect(event.idempotencyKey).toMatch(UUID);
        expect(IDEMPOTENCY_KEY_FIELD in (event.raw.detail as object)).toBe(false);
      }
      // Without a key, deduplicating on the id runs the replica again: its id is another.
      for (const key of ['plain-0', 'plain-1']) {
        const both = runs(key);
        expect(both).toHaveLength(2);
        expect(both[0].id).not.toBe(both[1].id);
        expect(new Set(both.map((e) => e.region))).toEqual(new Set([PRIMARY, SECONDARY]));
        expect(both.every((e) => e.idempotencyKey === undefined)).toBe(true);
      }
    }
    // One key per event, the same on both paths.
    const keyOf = (seen: ReceivedEvent<{ key: string }>[], key: string) => seen.find((e) => e.detail.key === key)!.idempotencyKey;
    for (const key of stampedKeys) expect(keyOf(byReceiver, key)).toBe(keyOf(byConsumer, key));
    expect(new Set(stampedKeys.map((k) => keyOf(byReceiver, k))).size).toBe(stampedKeys.length);
  } finally {
    await consumer.stop();
    await stamped.close();
    await plain.close();
    receiving.destroy();
  }
});
