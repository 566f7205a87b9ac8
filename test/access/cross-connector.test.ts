// Least privilege that cannot cross connectors, checked by IAM policy simulation of what two
// connectors of one app synthesize: each principal is allowed its own and denied the other's.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

const stack = new Stack(new App(), 'Shop', { env: { account: ACCOUNT, region: REGION } });
const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const orders = new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, eventBusName: 'orders' });
// In one app `OrdersEU` (prefix `orders-eu-`) would fail synth; named apart it stands beside Orders.
new EventBridgeConnector(stack, 'OrdersEU', { authentication: SESSION, eventBusName: 'orders-eu', resourceNamePrefix: 'eu-orders-' });
const receiver = orders.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
const staticOrders = new EventBridgeConnector(stack, 'Billing', { authentication: ConnectorAuthentication.staticCredentials(), eventBusName: 'billing' });

const deployed = new DeployedTemplates([Template.fromStack(stack).toJSON()]);
const logicalId = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
const arn = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:${REGION}:${account}:${resource}`;

describe('the Orders role and the other connector', () => {
  const role = logicalId(orders.role);
  test.each([
    ['events:UpdateConnection', arn('events', 'connection/orders-receiver-conn'), 'Allowed'],
    ['events:UpdateConnection', arn('events', 'connection/eu-orders-receiver-conn'), 'ImplicitlyDenied'],
    ['events:UpdateApiDestination', arn('events', 'api-destination/orders-receiver-dest'), 'Allowed'],
    ['events:UpdateApiDestination', arn('events', 'api-destination/eu-orders-receiver-dest'), 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:events!connection/orders-receiver-conn/0d1c2b3a-AbCdEf'), 'Allowed'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:events!connection/eu-orders-receiver-conn/0d1c2b3a-AbCdEf'), 'ImplicitlyDenied'],
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
    ['events:UpdateConnection', arn('events', 'connection/orders-receiver-conn'), 'ImplicitlyDenied'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/billing/AccessKey'), 'Allowed'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders/RoleARN'), 'ImplicitlyDenied'],
  ])('%s on %s is %s', async (action, resource, decision) => {
    expect(await deployed.decide(user, action, resource)).toBe(decision);
  });
});

describe('the role EventBridge assumes to invoke the API destination', () => {
  const eventsRole = logicalId(receiver.node.findChild('EventsRole'));
  const ruleArn = arn('events', 'rule/orders/orders-receiver-rule');

  test('trusts only the receiver rule of this account', async () => {
    expect(deployed.propertiesOf(logicalId(receiver.rule)).Name).toBe('orders-receiver-rule');
    expect(await deployed.decideAssumeRole(eventsRole, 'events.amazonaws.com', 'sts:AssumeRole', { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': ACCOUNT })).toBe('Allowed');
  });

  test.each([
    ['a rule of another account', { 'aws:SourceArn': arn('events', 'rule/orders/orders-receiver-rule', '999988887777'), 'aws:SourceAccount': '999988887777' }],
    ['another rule of this account', { 'aws:SourceArn': arn('events', 'rule/orders/someone-elses-rule'), 'aws:SourceAccount': ACCOUNT }],
    ['no source at all', {}],
  ])('refuses %s', async (_what, context) => {
    expect(await deployed.decideAssumeRole(eventsRole, 'events.amazonaws.com', 'sts:AssumeRole', context as any)).toBe('ImplicitlyDenied');
  });

  test('may invoke its API destination only', async () => {
    const cfn = receiver.apiDestination.node.findAll().find((c) => c instanceof events.CfnApiDestination)!;
    const destination = deployed.arnOf(logicalId(cfn));
    expect(destination).toMatch(/:api-destination\/orders-receiver-dest\//);
    expect(await deployed.decide(eventsRole, 'events:InvokeApiDestination', destination)).toBe('Allowed');
    expect(await deployed.decide(eventsRole, 'events:InvokeApiDestination', arn('events', 'api-destination/eu-orders-receiver-dest/0d1c2b3a'))).toBe('ImplicitlyDenied');
  });
});
