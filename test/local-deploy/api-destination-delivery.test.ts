import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startApiDestinationDelivery } from '../../src/local/api-destination-delivery';
import { MotoServer, startMoto } from '../../src/local/moto';

interface Received { headers: IncomingMessage['headers']; body: Record<string, unknown> }

describe('local API destination delivery', () => {
  let moto: MotoServer;
  let app: Server;
  let appUrl: string;
  const received: Received[] = [];
  const attemptsByDetailType = new Map<string, number>();

  beforeAll(async () => {
    moto = await startMoto();
    // The app answers 200, except for detail-types that make it fail.
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        const type = String(body['detail-type']);
        attemptsByDetailType.set(type, (attemptsByDetailType.get(type) ?? 0) + 1);
        received.push({ headers: req.headers, body });
        res.statusCode = type === 'Broken' ? 503 : type === 'Rejected' ? 400 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/events`;
  });
  afterAll(async () => {
    await new Promise((r) => app.close(r));
    await moto?.stop();
  });

  test('delivers what the rule matched with the connection\'s API key, retries 5xx, dead-letters failures', async () => {
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const events = new EventBridgeClient(config);
    const sqs = new SQSClient(config);
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const connection = await events.send(new CreateConnectionCommand({
      Name: 'orders-receiver',
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-123' } },
    }));
    const destination = await events.send(new CreateApiDestinationCommand({
      Name: 'orders-receiver', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: appUrl, HttpMethod: 'POST',
    }));
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    // Named as a receiver names its rule: with the resource name prefix's '.', which queue names do not allow.
    await events.send(new PutRuleCommand({ Name: 'orders.receiver-rule', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await events.send(new PutTargetsCommand({
      Rule: 'orders.receiver-rule',
      EventBusName: 'orders',
      Targets: [{
        Id: 'app',
        Arn: destination.ApiDestinationArn,
        RetryPolicy: { MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: dlqArn },
      }],
    }));

    const delivery = await startApiDestinationDelivery({ endpoint: moto.endpoint, eventBusName: 'orders', ruleName: 'orders.receiver-rule', retryDelayMs: 1 });
    try {
      expect(delivery.invocationEndpoint).toBe(appUrl);
      await events.send(new PutEventsCommand({
        Entries: [
          { EventBusName: 'orders', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}' },
          { EventBusName: 'orders', Source: 'shop', DetailType: 'Broken', Detail: '{}' },
          { EventBusName: 'orders', Source: 'shop', DetailType: 'Rejected', Detail: '{}' },
          { EventBusName: 'orders', Source: 'elsewhere', DetailType: 'NotMatched', Detail: '{}' },
        ],
      }));
      await delivery.waitFor(3, 20_000);

      const placed = received.find((r) => r.body['detail-type'] === 'OrderPlaced')!;
      expect(placed.headers['x-api-key']).toBe('key-123');
      expect(placed.headers['content-type']).toMatch(/^application\/json/);
      expect(placed.body).toMatchObject({ source: 'shop', detail: { orderId: 'o-1' } });
      expect(received.some((r) => r.body.source === 'elsewhere')).toBe(false);

      // 503 is retried up to the target's policy (2 retries); 400 is final at once.
      expect(attemptsByDetailType.get('Broken')).toBe(3);
      expect(attemptsByDetailType.get('Rejected')).toBe(1);
      expect(delivery.delivered).toBe(1);
      expect(delivery.failed).toBe(2);

      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect((dead.Messages ?? []).map((m) => JSON.parse(m.Body!)['detail-type']).sort()).toEqual(['Broken', 'Rejected']);
    } finally {
      await delivery.stop();
      events.destroy();
      sqs.destroy();
    }
  });

  test('refuses a rule without an API destination target', async () => {
    const events = new EventBridgeClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await events.send(new PutRuleCommand({ Name: 'no-destination', EventPattern: JSON.stringify({ source: ['x'] }) }));
    await expect(startApiDestinationDelivery({ endpoint: moto.endpoint, eventBusName: 'default', ruleName: 'no-destination' }))
      .rejects.toThrow('rule no-destination on bus default has no API destination target: nothing to deliver');
    events.destroy();
  });
});
