// The connector role's synthesized policies evaluated by an IAM policy simulator: what the role
// and the trust policy allow, and what they do not.
import { Template } from 'aws-cdk-lib/assertions';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { EXAMPLE_CA, newStack } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

const stack = newStack();
const connector = new EventBridgeConnector(stack, 'Orders', {
  eventBusName: 'orders',
  parameterPath: '/eventbridge-connector/orders',
  resourceNamePrefix: 'orders.',
  authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
});
const deployed = new DeployedTemplates([Template.fromStack(stack).toJSON()]);
const role = stack.getLogicalId(connector.role!.node.defaultChild as any);
const trustAnchorArn = deployed.arnOf(stack.getLogicalId(connector.trustAnchor!.node.defaultChild as any));

const arn = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:${REGION}:${account}:${resource}`;

describe('the connector role', () => {
  test.each([
    ['events:PutEvents', arn('events', 'event-bus/orders'), 'Allowed'],
    ['events:PutEvents', arn('events', 'event-bus/billing'), 'ImplicitlyDenied'],
    ['events:PutEvents', arn('events', 'event-bus/default'), 'ImplicitlyDenied'],
    ['events:PutEvents', arn('events', 'event-bus/orders', '210987654321'), 'ImplicitlyDenied'],
    ['events:DescribeEventBus', arn('events', 'event-bus/orders'), 'Allowed'],
    ['events:DescribeEventBus', arn('events', 'event-bus/billing'), 'ImplicitlyDenied'],
    ['events:CreateConnection', arn('events', 'connection/orders.receiver'), 'Allowed'],
    ['events:UpdateConnection', arn('events', 'connection/orders.receiver'), 'Allowed'],
    ['events:CreateConnection', arn('events', 'connection/billing.receiver'), 'ImplicitlyDenied'],
    ['events:DeleteConnection', arn('events', 'connection/orders.receiver'), 'ImplicitlyDenied'],
    ['events:CreateApiDestination', arn('events', 'api-destination/orders.receiver'), 'Allowed'],
    ['events:CreateApiDestination', arn('events', 'api-destination/billing.receiver'), 'ImplicitlyDenied'],
    ['events:DeleteApiDestination', arn('events', 'api-destination/orders.receiver'), 'ImplicitlyDenied'],
    ['secretsmanager:CreateSecret', arn('secretsmanager', 'secret:events!connection/orders.receiver/0d1c2b3a-AbCdEf'), 'Allowed'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:events!connection/billing.receiver/0d1c2b3a-AbCdEf'), 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:orders-database-AbCdEf'), 'ImplicitlyDenied'],
    ['secretsmanager:DeleteSecret', arn('secretsmanager', 'secret:events!connection/orders.receiver/0d1c2b3a-AbCdEf'), 'ImplicitlyDenied'],
    ['ssm:GetParametersByPath', arn('ssm', 'parameter/eventbridge-connector/orders'), 'Allowed'],
    ['ssm:GetParametersByPath', arn('ssm', 'parameter/eventbridge-connector'), 'ImplicitlyDenied'],
    ['ssm:GetParametersByPath', arn('ssm', 'parameter/eventbridge-connector/orders-v2'), 'ImplicitlyDenied'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/orders/RoleARN'), 'Allowed'],
    ['ssm:GetParameter', arn('ssm', 'parameter/eventbridge-connector/billing/RoleARN'), 'ImplicitlyDenied'],
    ['ssm:PutParameter', arn('ssm', 'parameter/eventbridge-connector/orders/RoleARN'), 'ImplicitlyDenied'],
  ])('%s on %s is %s', async (action, resource, decision) => {
    expect(await deployed.decide(role, action, resource)).toBe(decision);
  });

  test('may list event buses, an action IAM scopes to * only', async () => {
    expect(await deployed.decide(role, 'events:ListEventBuses', '*')).toBe('Allowed');
  });
});

describe('the connector role trust policy', () => {
  test.each(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'])('lets Roles Anywhere %s through its trust anchor', async (action) => {
    expect(await deployed.decideAssumeRole(role, 'rolesanywhere.amazonaws.com', action, { 'aws:SourceArn': trustAnchorArn, 'aws:SourceAccount': ACCOUNT })).toBe('Allowed');
  });

  test('refuses Roles Anywhere sessions from another trust anchor', async () => {
    const other = arn('rolesanywhere', 'trust-anchor/00000000-0000-4000-8000-000000000000');
    expect(await deployed.decideAssumeRole(role, 'rolesanywhere.amazonaws.com', 'sts:AssumeRole', { 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
  });

  test('refuses Roles Anywhere acting for another account, even naming the trust anchor (confused deputy)', async () => {
    expect(await deployed.decideAssumeRole(role, 'rolesanywhere.amazonaws.com', 'sts:AssumeRole', { 'aws:SourceArn': trustAnchorArn, 'aws:SourceAccount': '999988887777' })).toBe('ImplicitlyDenied');
  });

  test('refuses Roles Anywhere without a source trust anchor', async () => {
    expect(await deployed.decideAssumeRole(role, 'rolesanywhere.amazonaws.com', 'sts:AssumeRole', {})).toBe('ImplicitlyDenied');
  });

  test('refuses any other service, even naming the trust anchor', async () => {
    expect(await deployed.decideAssumeRole(role, 'ec2.amazonaws.com', 'sts:AssumeRole', { 'aws:SourceArn': trustAnchorArn })).toBe('ImplicitlyDenied');
  });
});
