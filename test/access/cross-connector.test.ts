// Least privilege that cannot cross connectors, checked by IAM policy simulation of what
// connectors synthesize, in one app and in two apps deployed to one account and region: each
// principal is allowed its own and denied the other's.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

const stack = new Stack(new App(), 'Shop', { env: { account: ACCOUNT, region: REGION } });
const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const orders = new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, eventBusName: 'orders' });
// Its derived prefix `orders-eu.` starts with no other prefix: the `.` ends each and occurs nowhere else.
new EventBridgeConnector(stack, 'OrdersEU', { authentication: SESSION, eventBusName: 'orders-eu' });
const receiver = orders.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
const staticOrders = new EventBridgeConnector(stack, 'Billing', { authentication: ConnectorAuthentication.staticCredentials(), eventBusName: 'billing' });

const deployed = new DeployedTemplates([Template.fromStack(stack).toJSON()]);
const logicalId = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
const arn = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:${REGION}:${account}:${resource}`;

describe('the Orders role and the other connector', () => {
  const role = logicalId(orders.role);
  test.each([
    ['events:UpdateConnection', arn('events', 'connection/orders.receiver-conn'), 'Allowed'],
    ['events:UpdateConnection', arn('events', 'connection/orders-eu.receiver-conn'), 'ImplicitlyDenied'],
    ['events:UpdateApiDestination', arn('events', 'api-destination/orders.receiver-dest'), 'Allowed'],
    ['events:UpdateApiDestination', arn('events', 'api-destination/orders-eu.receiver-dest'), 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:events!connection/orders.receiver-conn/0d1c2b3a-AbCdEf'), 'Allowed'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:events!connection/orders-eu.receiver-conn/0d1c2b3a-AbCdEf'), 'ImplicitlyDenied'],
    ['events:PutEvents', arn('events', 'event-bus/orders-eu'), 'ImplicitlyDenied'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders/RoleARN'), 'Allowed'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders-eu/RoleARN'), 'ImplicitlyDenied'],
    // A connector nested under the path (another app's): its parameters are out of reach.
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders/eu/RoleARN'), 'ImplicitlyDenied'],
    ['ssm:GetParameters', arn('ssm', 'parameter/eventbridge-connector/orders/eu/RoleARN'), 'ImplicitlyDenied'],
  ])('%s on %s is %s', async (action, resource, decision) => {
    expect(await deployed.decide(role, action, resource)).toBe(decision);
  });

  test('reads its path, but not recursively: a recursive read would return a nested connector', async () => {
    const path = arn('ssm', 'parameter/eventbridge-connector/orders');
    expect(await deployed.decide(role, 'ssm:GetParametersByPath', path, { 'ssm:Recursive': 'false' })).toBe('Allowed');
    expect(await deployed.decide(role, 'ssm:GetParametersByPath', path)).toBe('Allowed');
    expect(await deployed.decide(role, 'ssm:GetParametersByPath', path, { 'ssm:Recursive': 'true' })).toBe('ImplicitlyDenied');
  });
});

describe('the static-mode user', () => {
  const user = logicalId(staticOrders.user);
  test.each([
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:eventbridge-connector/billing/SecretKey-AbCdEf'), 'Allowed'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:eventbridge-connector/orders/SecretKey-AbCdEf'), 'ImplicitlyDenied'],
    ['events:UpdateConnection', arn('events', 'connection/orders.receiver-conn'), 'ImplicitlyDenied'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/billing/AccessKey'), 'Allowed'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders/RoleARN'), 'ImplicitlyDenied'],
  ])('%s on %s is %s', async (action, resource, decision) => {
    expect(await deployed.decide(user, action, resource)).toBe(decision);
  });
});

describe('the role EventBridge assumes to invoke the API destination', () => {
  const eventsRole = logicalId(receiver.node.findChild('EventsRole'));
  const ruleArn = arn('events', 'rule/orders/orders.receiver-rule');

  test('trusts only the receiver rule of this account', async () => {
    expect(deployed.propertiesOf(logicalId(receiver.rule)).Name).toBe('orders.receiver-rule');
    expect(await deployed.decideAssumeRole(eventsRole, 'events.amazonaws.com', 'sts:AssumeRole', { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': ACCOUNT })).toBe('Allowed');
  });

  test.each([
    ['a rule of another account', { 'aws:SourceArn': arn('events', 'rule/orders/orders.receiver-rule', '999988887777'), 'aws:SourceAccount': '999988887777' }],
    ['another rule of this account', { 'aws:SourceArn': arn('events', 'rule/orders/someone-elses-rule'), 'aws:SourceAccount': ACCOUNT }],
    ['no source at all', {}],
  ])('refuses %s', async (_what, context) => {
    expect(await deployed.decideAssumeRole(eventsRole, 'events.amazonaws.com', 'sts:AssumeRole', context as any)).toBe('ImplicitlyDenied');
  });

  test('may invoke its API destination only', async () => {
    const cfn = receiver.apiDestination.node.findAll().find((c) => c instanceof events.CfnApiDestination)!;
    const destination = deployed.arnOf(logicalId(cfn));
    expect(destination).toMatch(/:api-destination\/orders\.receiver-dest\//);
    expect(await deployed.decide(eventsRole, 'events:InvokeApiDestination', destination)).toBe('Allowed');
    expect(await deployed.decide(eventsRole, 'events:InvokeApiDestination', arn('events', 'api-destination/orders-eu.receiver-dest/0d1c2b3a'))).toBe('ImplicitlyDenied');
  });
});

describe('a connector of another app, deployed to the same account and region', () => {
  // Synth compares the prefixes of one app only; two apps meet only in the account. The delimiter
  // keeps them apart anyway: `orders.*` cannot match a name under `orders-eu.`.
  const env = { account: ACCOUNT, region: REGION };
  const ordersStack = new Stack(new App(), 'OrdersApp', { env });
  const ordersOnly = new EventBridgeConnector(ordersStack, 'Orders', { authentication: SESSION });
  const ownReceiver = ordersOnly.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
  const euStack = new Stack(new App(), 'OrdersEuApp', { env });
  const ordersEu = new EventBridgeConnector(euStack, 'OrdersEU', { authentication: SESSION });
  const euReceiver = ordersEu.addReceiver('Receiver', { endpoint: 'https://orders-eu.example.com/events' });
  const both = new DeployedTemplates([Template.fromStack(ordersStack).toJSON(), Template.fromStack(euStack).toJSON()]);

  const role = ordersStack.getLogicalId(ordersOnly.role!.node.defaultChild as any);
  type Receiver = typeof ownReceiver;
  const cfnOf = <T>(r: Receiver, part: 'connection' | 'apiDestination', type: new (...args: any[]) => T) => r[part].node.findAll().find((c) => c instanceof type) as T;
  const own = both.propertiesOf(ordersStack.getLogicalId(cfnOf(ownReceiver, 'connection', events.CfnConnection))).Name as string;
  const theirs = both.propertiesOf(euStack.getLogicalId(cfnOf(euReceiver, 'connection', events.CfnConnection))).Name as string;
  const destinationOf = (s: Stack, r: Receiver) => both.arnOf(s.getLogicalId(cfnOf(r, 'apiDestination', events.CfnApiDestination)));

  test('the two prefixes are derived from the ids, and the names generated under them', () => {
    expect([ordersOnly.resourceNamePrefix, ordersEu.resourceNamePrefix]).toEqual(['orders.', 'orders-eu.']);
    expect([own, theirs]).toEqual(['orders.receiver-conn', 'orders-eu.receiver-conn']);
  });

  test.each([
    ['events:UpdateConnection', 'its own', 'Allowed'],
    ['events:UpdateConnection', 'OrdersEU\'s', 'ImplicitlyDenied'],
    ['events:DescribeConnection', 'OrdersEU\'s', 'ImplicitlyDenied'],
  ] as const)('the Orders role: %s on %s connection is %s', async (action, whose, decision) => {
    expect(await both.decide(role, action, arn('events', `connection/${whose === 'its own' ? own : theirs}/5e3c1b7a-2f4d-4c6e-8a1b-9d0e2f3a4b5c`))).toBe(decision);
  });

  test.each([
    ['its own', 'Allowed'],
    ['OrdersEU\'s', 'ImplicitlyDenied'],
  ] as const)('the Orders role: secretsmanager:GetSecretValue on the API key secret of %s connection is %s', async (whose, decision) => {
    const secret = arn('secretsmanager', `secret:events!connection/${whose === 'its own' ? own : theirs}/0d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d-AbCdEf`);
    expect(await both.decide(role, 'secretsmanager:GetSecretValue', secret)).toBe(decision);
  });

  test('the Orders role: UpdateApiDestination on its own API destination only', async () => {
    expect(await both.decide(role, 'events:UpdateApiDestination', destinationOf(ordersStack, ownReceiver))).toBe('Allowed');
    expect(await both.decide(role, 'events:UpdateApiDestination', destinationOf(euStack, euReceiver))).toBe('ImplicitlyDenied');
  });

  test('and the OrdersEU role is kept off the Orders connection the same way', async () => {
    const euRole = euStack.getLogicalId(ordersEu.role!.node.defaultChild as any);
    expect(await both.decide(euRole, 'events:UpdateConnection', arn('events', `connection/${theirs}/5e3c1b7a`))).toBe('Allowed');
    expect(await both.decide(euRole, 'events:UpdateConnection', arn('events', `connection/${own}/5e3c1b7a`))).toBe('ImplicitlyDenied');
  });
});
