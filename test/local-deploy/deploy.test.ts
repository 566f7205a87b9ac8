import {
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App, CfnOutput, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { deployLocally } from '../../src/local/deploy';
import { MotoServer, startMoto } from '../../src/local/moto';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A stack with every kind of resource the connector synthesizes, moto's gaps included. */
function connectorLikeStack(app: App, id: string) {
  const stack = new Stack(app, id);
  const bus = new events.EventBus(stack, 'Bus');
  const anchor = new rolesanywhere.CfnTrustAnchor(stack, 'Anchor', {
    name: 'anchor',
    enabled: true,
    source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: CA_PEM } },
  });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com').withConditions({ ArnEquals: { 'aws:SourceArn': anchor.attrTrustAnchorArn } }),
  });
  bus.grantPutEventsTo(role);
  const profile = new rolesanywhere.CfnProfile(stack, 'Profile', { name: 'profile', roleArns: [role.roleArn], durationSeconds: 3600, enabled: true });
  new ssm.StringParameter(stack, 'BusName', { parameterName: `/${id}/EventBusName`, stringValue: bus.eventBusName });
  new ssm.StringParameter(stack, 'ProfileArn', { parameterName: `/${id}/ProfileARN`, stringValue: profile.attrProfileArn });
  const secret = new secretsmanager.Secret(stack, 'ApiKey', { generateSecretString: { excludePunctuation: true, passwordLength: 40 } });
  const connection = new events.Connection(stack, 'Connection', { authorization: events.Authorization.apiKey('x-api-key', secret.secretValue) });
  const destination = new events.ApiDestination(stack, 'Destination', { connection, endpoint: 'https://app.example.com/events', rateLimitPerSecond: 5 });
  const dlq = new sqs.Queue(stack, 'Dlq', { enforceSSL: true });
  const deliveries = new sqs.Queue(stack, 'Deliveries');
  new events.Rule(stack, 'Rule', {
    eventBus: bus,
    eventPattern: { source: ['orders'] },
    targets: [
      new targets.ApiDestination(destination, { deadLetterQueue: dlq, retryAttempts: 3, maxEventAge: Duration.hours(1) }),
      new targets.SqsQueue(deliveries),
    ],
  });
  new cw.Alarm(stack, 'DlqAlarm', { metric: dlq.metricApproximateNumberOfMessagesVisible(), threshold: 1, evaluationPeriods: 1 });
  new CfnOutput(stack, 'TrustAnchorArn', { value: anchor.attrTrustAnchorArn });
  new CfnOutput(stack, 'RoleArn', { value: role.roleArn });
  new CfnOutput(stack, 'DeliveriesUrl', { value: deliveries.queueUrl });
  new CfnOutput(stack, 'DlqUrl', { value: dlq.queueUrl });
  return stack;
}

describe('deployLocally', () => {
  let moto: MotoServer;
  const anchors: Array<{ arn: string; certificatesPem: string; enabled?: boolean }> = [];
  const profiles: Array<{ arn: string; roleArns: string[]; durationSeconds?: number }> = [];
  const registry = { addTrustAnchor: (a: (typeof anchors)[0]) => anchors.push(a), addProfile: (p: (typeof profiles)[0]) => profiles.push(p) };
  const clientConfig = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test('creates what moto supports through its CloudFormation and the rest beside it, wired together', async () => {
    const app = new App();
    const template = Template.fromStack(connectorLikeStack(app, 'Orders')).toJSON();

    const result = await deployLocally({ template, stackName: 'Orders', endpoint: moto.endpoint, rolesAnywhere: registry });

    const by = Object.fromEntries(result.resources.map((r) => [r.type, r.deployedBy]));
    expect(by).toMatchObject({
      'AWS::Events::EventBus': 'cloudformation',
      'AWS::IAM::Role': 'cloudformation',
      'AWS::SSM::Parameter': 'cloudformation',
      'AWS::Events::Rule': 'cloudformation',
      'AWS::RolesAnywhere::TrustAnchor': 'rolesanywhere',
      'AWS::RolesAnywhere::Profile': 'rolesanywhere',
      'AWS::SecretsManager::Secret': 'service-api',
      'AWS::Events::Connection': 'service-api',
      'AWS::Events::ApiDestination': 'service-api',
      'AWS::SQS::QueuePolicy': 'service-api',
      'AWS::CloudWatch::Alarm': 'not-deployed',
    });
    expect(result.workarounds.join('\n')).toMatch(/EventBus replaced by the bus name/);
    const physicalId = (type: string) => result.resources.find((r) => r.type === type)?.physicalId;
    expect(physicalId('AWS::SQS::Queue')).toMatch(/\/123456789012\/Orders-/);
    expect(physicalId('AWS::Events::Connection')).toMatch(/^Orders-Connection/);
    expect(physicalId('AWS::RolesAnywhere::TrustAnchor')).toBe(result.outputs.TrustAnchorArn.split('/')[1]);

    // The stack's outputs and parameters carry the ARNs the loopback service was given.
    expect(anchors).toHaveLength(1);
    expect(anchors[0]).toMatchObject({ arn: result.outputs.TrustAnchorArn, certificatesPem: CA_PEM, enabled: true });
    const parameterStore = new SSMClient(clientConfig());
    const profileArn = (await parameterStore.send(new GetParameterCommand({ Name: '/Orders/ProfileARN' }))).Parameter?.Value;
    expect(profiles).toEqual([expect.objectContaining({ arn: profileArn, roleArns: [result.outputs.RoleArn], durationSeconds: 3600 })]);
    expect(profileArn).toMatch(/^arn:aws:rolesanywhere:us-east-1:123456789012:profile\/[0-9a-f-]{36}$/);

    // The connection's API key came from the generated secret; the destination points at the app.
    const eventbridge = new EventBridgeClient(clientConfig());
    const busName = (await parameterStore.send(new GetParameterCommand({ Name: '/Orders/EventBusName' }))).Parameter?.Value;
    expect(busName).toMatch(/^OrdersBus/);
    const destinationName = result.resources.find((r) => r.type === 'AWS::Events::ApiDestination')!.logicalId;
    expect(destinationName).toMatch(/^Destination/);

    // The rule on the bus (referenced by name) delivers to its SQS target.
    await eventbridge.send(new PutEventsCommand({ Entries: [{ EventBusName: busName, Source: 'orders', DetailType: 'Placed', Detail: '{"id":1}' }] }));
    const queues = new SQSClient(clientConfig());
    const received = await queues.send(new ReceiveMessageCommand({ QueueUrl: result.outputs.DeliveriesUrl, WaitTimeSeconds: 2 }));
    expect(JSON.parse(received.Messages![0].Body!)).toMatchObject({ 'source': 'orders', 'detail-type': 'Placed', 'detail': { id: 1 } });

    // The DLQ's resource policy, which moto's CloudFormation cannot create, is set.
    const attributes = await queues.send(new GetQueueAttributesCommand({ QueueUrl: result.outputs.DlqUrl, AttributeNames: ['Policy'] }));
    expect(JSON.parse(attributes.Attributes!.Policy!).Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny' })]));
    for (const c of [parameterStore, eventbridge, queues]) c.destroy();
  });

  test('the connection and API destination exist in moto with the template\'s settings', async () => {
    const eventbridge = new EventBridgeClient(clientConfig());
    const app = new App();
    const template = Template.fromStack(connectorLikeStack(app, 'Billing')).toJSON();
    const result = await deployLocally({ template, stackName: 'Billing', endpoint: moto.endpoint, rolesAnywhere: registry });
    expect(result.stackId).toMatch(/stack\/Billing\//);
    // moto ignores NamePrefix in list calls, so the names are filtered here.
    const ofBilling = <T extends { Name?: string }>(list: T[] = []) => list.filter((item) => item.Name?.startsWith('Billing-'));
    const destinations = ofBilling((await eventbridge.send(new ListApiDestinationsCommand({}))).ApiDestinations);
    expect(destinations).toHaveLength(1);
    const destination = await eventbridge.send(new DescribeApiDestinationCommand({ Name: destinations[0].Name }));
    expect(destination).toMatchObject({ InvocationEndpoint: 'https://app.example.com/events', HttpMethod: 'POST', InvocationRateLimitPerSecond: 5 });
    const connections = ofBilling((await eventbridge.send(new ListConnectionsCommand({}))).Connections);
    expect(connections).toHaveLength(1);
    const connection = await eventbridge.send(new DescribeConnectionCommand({ Name: connections[0].Name }));
    expect(connection.AuthorizationType).toBe('API_KEY');
    expect(destination.ConnectionArn).toBe(connection.ConnectionArn);
    eventbridge.destroy();
  });

  test('refuses what cannot run locally, saying what', async () => {
    const app = new App();
    const stack = new Stack(app, 'Custom');
    new CustomResource(stack, 'Thing', { serviceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f' });
    const template = app.synth().getStackByName('Custom').template;
    await expect(deployLocally({ template, stackName: 'Custom', endpoint: moto.endpoint })).rejects.toThrow(
      /resource Thing \(AWS::CloudFormation::CustomResource\) is a Lambda-backed custom resource: it cannot run on moto/,
    );

    const app2 = new App();
    const withAnchor = connectorLikeStack(app2, 'NoService');
    await expect(deployLocally({ template: Template.fromStack(withAnchor).toJSON(), stackName: 'NoService', endpoint: moto.endpoint }))
      .rejects.toThrow(/the template has AWS::RolesAnywhere::TrustAnchor resources: pass a Roles Anywhere service/);
  });
});
