import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createIamUser, CREDENTIALS, REGION } from './support';
import { ParameterKeys, secretReference } from '../../../src/contract';
import { startMoto, MotoServer } from '../../../src/local/moto';
import { ConnectorClient, InputError, ReceivedEvent } from '../../../src/runtime';
import { delivery } from '../receiver/support';

/**
 * An app built on ConnectorClient.fromParameters, against a contract written as the constructs
 * write it (static mode, with the receiving keys): it sends events that arrive, registers itself,
 * and receives with the contract's API key.
 */
const PATH = '/eventbridge-connector/orders';
const API_KEY = 'orders-api-key-0123456789abcdef';

let moto: MotoServer;
let app: Server;
let appUrl: string;
let user: { arn: string; accessKeyId: string; secretAccessKey: string };
let queueUrl: string;
let client: ConnectorClient;
const received: ReceivedEvent<{ orderId: string }>[] = [];

beforeAll(async () => {
  moto = await startMoto();
  const aws = { region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS };

  // The app's HTTP server, whose handler is mounted once the receiver exists.
  let handle: (req: any, res: any) => void = (_req, res) => res.writeHead(503).end();
  app = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/events`;

  user = await createIamUser(moto.endpoint, 'orders-connector');
  const secrets = new SecretsManagerClient(aws);
  await secrets.send(new CreateSecretCommand({ Name: 'orders/secret-key', SecretString: user.secretAccessKey }));
  await secrets.send(new CreateSecretCommand({ Name: 'orders/api-key', SecretString: API_KEY }));
  secrets.destroy();

  const events = new EventBridgeClient(aws);
  const bus = await events.send(new CreateEventBusCommand({ Name: 'orders' }));
  const sqs = new SQSClient(aws);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders-arrivals' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  await events.send(new PutRuleCommand({ Name: 'orders-to-queue', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'orders-to-queue', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn }] }));
  events.destroy();
  sqs.destroy();

  const ssm = new SSMClient(aws);
  const contract: Record<string, string> = {
    [ParameterKeys.REGION]: REGION,
    [ParameterKeys.EVENT_BUS_NAME]: 'orders',
    [ParameterKeys.EVENT_BUS_ARN]: bus.EventBusArn!,
    [ParameterKeys.USE_STATIC_CREDENTIALS]: 'true',
    [ParameterKeys.ACCESS_KEY]: user.accessKeyId,
    [ParameterKeys.SECRET_KEY]: secretReference('orders/secret-key'),
    [ParameterKeys.RESOURCE_NAME_PREFIX]: 'orders.',
    [ParameterKeys.SCHEMA_VERSION]: '1',
    [ParameterKeys.CONNECTION_NAME]: 'orders.app',
    [ParameterKeys.API_DESTINATION_NAME]: 'orders.app',
    [ParameterKeys.RECEIVE_ENDPOINT]: appUrl,
    [ParameterKeys.API_KEY_HEADER]: 'x-orders-key',
    [ParameterKeys.API_KEY_SECRET]: secretReference('orders/api-key'),
  };
  for (const [key, value] of Object.entries(contract)) {
    await ssm.send(new PutParameterCommand({ Name: `${PATH}/${key}`, Value: value, Type: 'String' }));
  }
  ssm.destroy();

  client = await ConnectorClient.fromParameters({
    path: PATH,
    region: REGION,
    credentials: CREDENTIALS,
    endpoint: moto.endpoint,
    // moto takes about half a second per event it forwards to SQS on a busy machine.
    requestTimeoutMs: 60_000,
  });
  const receiver = await client.receiver();
  receiver.on<{ orderId: string }>('OrderPlaced', (event) => {
    received.push(event);
  });
  handle = receiver.handle;
});

afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => app?.close(resolve));
  await moto?.stop();
});

test("the client is bound to the contract's region and bus, and works as the contract's user", async () => {
  expect(client.region).toBe(REGION);
  expect(client.eventBusName).toBe('orders');
  expect(client.constants?.receiving?.apiKeyHeader).toBe('x-orders-key');

  // The static key from the contract (its secret read through the SecretKey reference), not the
  // credentials that read the contract.
  expect(await client.validateCredentials()).toEqual(expect.objectContaining({ arn: user.arn }));
});

test('events put through the client arrive on the bus, through a rule, in a queue', async () => {
  const orders = Array.from({ length: 8 }, (_, i) => `o-${i}`);

  const result = await client.putEvents([
    ...orders.map((orderId) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId } })),
    { source: 'com.example.orders', detailType: 'OrderPlaced', detail: '[not an object]' },
  ]);

  expect(result.failedEntryCount).toBe(1);
  expect(result.entries[8]).toEqual(expect.objectContaining({ errorCode: 'InvalidEntry' }));
  const eventIds = result.entries.slice(0, 8).map((e) => e.eventId);
  expect(eventIds.every((id) => typeof id === 'string')).toBe(true);

  const arrived = await drain(queueUrl, 8);
  expect(arrived.map((m) => m.detail.orderId).sort()).toEqual([...orders].sort());
  expect(new Set(arrived.map((m) => m.id))).toEqual(new Set(eventIds));
  expect(arrived.every((m) => m['detail-type'] === 'OrderPlaced')).toBe(true);
});

test('registerApp takes names, endpoint, header and key from the contract, and is idempotent', async () => {
  const first = await client.registerApp();
  const second = await client.registerApp();

  expect(first).toEqual(expect.objectContaining({ connection: 'created', apiDestination: 'created' }));
  expect(second).toEqual({ ...first, connection: 'unchanged', apiDestination: 'unchanged' });
  expect(await client.describeConnection('orders.app')).toEqual(expect.objectContaining({ apiKeyName: 'x-orders-key' }));
  expect(await client.describeApiDestination('orders.app')).toEqual(expect.objectContaining({ endpoint: appUrl, connectionArn: first.connectionArn }));
});

test("names must carry the contract's ResourceNamePrefix", async () => {
  await expect(client.createConnection({ name: 'billing-app', authorization: { type: 'BASIC', username: 'u', password: 'p' } })).rejects.toThrow(
    new InputError("invalid connection name 'billing-app': expected a name starting with 'orders.' (the connector's ResourceNamePrefix)"),
  );
  await expect(client.registerApp({ name: 'billing-app' })).rejects.toThrow("expected a name starting with 'orders.'");
});

test("the receiver accepts the contract's API key in the contract's header, and nothing else", async () => {
  const event = delivery('OrderPlaced', { orderId: 'o-42' }, { id: 'e-1', region: REGION, resources: [] });
  const post = (headers: Record<string, string>) =>
    fetch(appUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) }).then((r) => r.status);

  expect(await post({ 'x-orders-key': API_KEY })).toBe(200);
  expect(await post({ 'x-api-key': API_KEY })).toBe(401);
  expect(await post({ 'x-orders-key': 'guess' })).toBe(403);
  expect(received.map((e) => e.detail.orderId)).toEqual(['o-42']);
});

/** Receives from the queue until `count` messages arrived (or the test times out). */
async function drain(url: string, count: number): Promise<any[]> {
  const sqs = new SQSClient({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });
  const bodies: any[] = [];
  try {
    while (bodies.length < count) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((m) => JSON.parse(m.Body!)));
    }
  } finally {
    sqs.destroy();
  }
  return bodies;
}
