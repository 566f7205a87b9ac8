// Issue 21's "done when", on loopback: events of 5 MiB and of one byte over the request limit, sent
// with putEvent, putEvents and the outbox, go through moto's EventBridge (a rule matching on a
// detail field the reference keeps), and arrive whole, checksums verified, through the HTTP
// receiver (the local API destination delivery) and the queue consumer (an SQS target).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BUCKET, createBucket, REGION } from './support';
import { ApiDestinationDelivery, startApiDestinationDelivery } from '../../../src/local/api-destination-delivery';
import { MotoServer, startMoto } from '../../../src/local/moto';
import { ConnectorClient } from '../../../src/runtime/client';
import type { QueueConsumer } from '../../../src/runtime/consumer/consumer';
import type { Receiver } from '../../../src/runtime/receiver/receiver';
import type { ReceivedEvent } from '../../../src/runtime/routing/types';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const BUS = 'docs';
const PREFIX = 'payloads/docs/';
const SOURCE = 'com.example.docs';
const DETAIL_TYPE = 'DocumentStored';
const LIMIT = 1024 * 1024;

/** A detail whose entry is `entryBytes` as EventBridge counts it (source + detail-type + detail). */
function detailOf(orderId: string, entryBytes: number): { orderId: string; body: string } {
  const empty = JSON.stringify({ orderId, body: '' });
  const body = 'd'.repeat(entryBytes - SOURCE.length - DETAIL_TYPE.length - empty.length);
  return { orderId, body };
}

const sha = (text: string) => createHash('sha256').update(text).digest('base64');

jest.setTimeout(120_000);

describe('claim check end to end', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let app: Server;
  let delivery: ApiDestinationDelivery;
  let client: ConnectorClient;
  let receiver: Receiver;
  let consumer: QueueConsumer;
  let directory: string;
  const byReceiver = new Map<string, ReceivedEvent<any>>();
  const byConsumer = new Map<string, ReceivedEvent<any>>();

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    await createBucket(s3);
    client = new ConnectorClient({
      ...config,
      eventBusName: BUS,
      claimCheck: { bucket: BUCKET, keyPrefix: PREFIX, keepDetailFields: ['orderId'] },
    });
    receiver = await client.receiver({ apiKey: 'key-123', handlerTimeoutMs: 15_000 });
    receiver.on(DETAIL_TYPE, (event) => {
      byReceiver.set((event.detail as { orderId: string }).orderId, event);
    });
    app = createServer(receiver.handle);
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/events`;

    const events = new EventBridgeClient(config);
    const sqs = new SQSClient(config);
    try {
      await events.send(new CreateEventBusCommand({ Name: BUS }));
      const connection = await events.send(new CreateConnectionCommand({
        Name: 'docs-receiver',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-123' } },
      }));
      const destination = await events.send(new CreateApiDestinationCommand({
        Name: 'docs-receiver', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: appUrl, HttpMethod: 'POST',
      }));
      // The rules match on detail.orderId: the reference keeps it, so they match the reference.
      const pattern = JSON.stringify({ 'source': [SOURCE], 'detail-type': [DETAIL_TYPE], 'detail': { orderId: [{ prefix: 'o-' }] } });
      await events.send(new PutRuleCommand({ Name: 'docs.receiver-rule', EventBusName: BUS, EventPattern: pattern }));
      await events.send(new PutTargetsCommand({
        Rule: 'docs.receiver-rule', EventBusName: BUS, Targets: [{ Id: 'app', Arn: destination.ApiDestinationArn }],
      }));
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'docs-queue' }))).QueueUrl!;
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      await events.send(new PutRuleCommand({ Name: 'docs.queue-rule', EventBusName: BUS, EventPattern: pattern }));
      await events.send(new PutTargetsCommand({ Rule: 'docs.queue-rule', EventBusName: BUS, Targets: [{ Id: 'queue', Arn: queueArn }] }));
      delivery = await startApiDestinationDelivery({ endpoint: moto.endpoint, eventBusName: BUS, ruleName: 'docs.receiver-rule', region: REGION, retryDelayMs: 10, requestTimeoutMs: 30_000 });
      consumer = client.consumer({ queueUrl, waitTimeSeconds: 1, queueCheck: 'warn' });
      consumer.on(DETAIL_TYPE, (event) => {
        byConsumer.set((event.detail as { orderId: string }).orderId, event);
      });
      await consumer.start();
    } finally {
      events.destroy();
      sqs.destroy();
    }
    directory = await fs.mkdtemp(join(tmpdir(), 'claim-check-outbox-'));
  });

  afterAll(async () => {
    await consumer?.stop();
    await delivery?.stop();
    await new Promise((r) => app?.close(r));
    await client?.close();
    s3?.destroy();
    await moto?.stop();
    if (directory) await fs.rm(directory, { recursive: true, force: true });
  });

  test('5 MiB and just-over-the-limit events sent three ways arrive whole through both receiving paths', async () => {
    const sizes = { big: 5 * 1024 * 1024, over: LIMIT + 1 };
    const sent = new Map<string, { orderId: string; body: string }>();
    const make = (how: string, size: keyof typeof sizes) => {
      const detail = detailOf(`o-${how}-${size}`, sizes[size]);
      sent.set(detail.orderId, detail);
      return { source: SOURCE, detailType: DETAIL_TYPE, detail };
    };

    const one = await client.putEvent(make('putEvent', 'big'));
    const two = await client.putEvent(make('putEvent', 'over'));
    expect([one, two].every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    const many = await client.putEvents([make('putEvents', 'big'), make('putEvents', 'over')]);
    expect(many.failedEntryCount).toBe(0);
    const outbox = await client.outbox({ directory, fsync: false });
    await outbox.add(make('outbox', 'big'));
    await outbox.add(make('outbox', 'over'));
    await outbox.flush();
    expect(outbox.events).toBe(0);
    await outbox.close();

    const deadline = Date.now() + 90_000;
    while ((byReceiver.size < 6 || byConsumer.size < 6) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const [name, got] of [['receiver', byReceiver], ['consumer', byConsumer]] as const) {
      expect({ name, ids: [...got.keys()].sort() }).toEqual({ name, ids: [...sent.keys()].sort() });
      for (const [orderId, detail] of sent) {
        const event = got.get(orderId)!;
        // The handler sees the original detail, byte for byte once serialized again...
        expect(sha(JSON.stringify(event.detail))).toBe(sha(JSON.stringify(detail)));
        expect(event.detail).toEqual(detail);
        // ...and what came over the wire was the reference, naming its SHA-256.
        const reference = (event.raw.detail as Record<string, any>)._claimCheck;
        const json = JSON.stringify(detail);
        expect(reference).toMatchObject({ version: 1, bucket: BUCKET, size: Buffer.byteLength(json), sha256: sha(json) });
        expect((event.raw.detail as Record<string, any>).orderId).toBe(orderId);
        expect(reference.key.startsWith(PREFIX)).toBe(true);
      }
    }
    // One object per payload, under the connector's prefix.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
    expect(listed.KeyCount).toBe(6);
  });
});
