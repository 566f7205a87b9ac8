import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { deployLocally } from '../../src/local/deploy';
import { MotoServer, startMoto } from '../../src/local/moto';
import { ConnectorClient, loadConstants } from '../../src/runtime';
import { EXAMPLE_CA } from '../connector/fixtures';

jest.setTimeout(120_000);

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

test('deployLocally creates the queue receiver on moto, and the consumer receives through rule and queue', async () => {
  const app = new App();
  const stack = new Stack(app, 'Inbox', { env: { account: '123456789012', region: 'us-east-1' } });
  const connector = new EventBridgeConnector(stack, 'Orders', { eventBusName: 'orders', authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
  connector.addQueueReceiver('Inbox', { detailTypes: ['OrderPlaced'], maxReceiveCount: 2 });
  const template = Template.fromStack(stack).toJSON();

  const rolesAnywhere = { addTrustAnchor: () => undefined, addProfile: () => undefined };
  const result = await deployLocally({ template, stackName: 'Inbox', endpoint: moto.endpoint, region: 'us-east-1', rolesAnywhere });
  const types = result.resources.map((r) => `${r.type}:${r.deployedBy}`);
  expect(types).toEqual(expect.arrayContaining(['AWS::SQS::Queue:cloudformation', 'AWS::SQS::QueuePolicy:service-api', 'AWS::Events::Rule:cloudformation']));

  // The contract names the queue; moto's credentials stand in for the Roles Anywhere session.
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const constants = await loadConstants({ path: '/eventbridge-connector/orders', region: 'us-east-1', credentials, endpoint: moto.endpoint });
  expect(constants.queue?.queueUrl).toMatch(/^https?:\/\/.+\/123456789012\/Inbox-/);
  expect(constants.queue?.queueArn).toMatch(/^arn:aws:sqs:us-east-1:123456789012:/);
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: constants.eventBusName, credentials, endpoint: moto.endpoint });
  try {
    const seen: string[] = [];
    const consumer = client.consumer({ waitTimeSeconds: 1, queueUrl: constants.queue!.queueUrl });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      seen.push(event.detail.orderId);
    });
    consumer.start();
    await client.putEvents([
      { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } },
      // Not in the rule's pattern: never reaches the queue.
      { source: 'com.example.orders', detailType: 'OrderShipped', detail: { orderId: 'o-1' } },
    ]);
    const until = Date.now() + 15_000;
    while (seen.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    await consumer.stop();
    expect(seen).toEqual(['o-1']);
  } finally {
    client.destroy();
  }
});
