import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConnectorActivity, ConnectorPermissions } from '../../src';
import { ParameterKeys } from '../../src/contract';
import { newStack } from '../connector/fixtures';

function statementsOf(stack: Stack, activities?: ConnectorActivity[]): any[] {
  const eventBus = events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:eu-west-1:123456789012:event-bus/orders');
  const statements = ConnectorPermissions.statements(stack, {
    eventBus,
    resourceNamePrefix: 'orders.',
    parameterPath: '/eventbridge-connector/orders',
    activities,
  });
  return stack.resolve(statements.map((s) => s.toStatementJson()));
}

/** Resolved `Fn::Join` of an ARN, with the pseudo parameters written as `${...}`. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as any;
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(flat).join(v['Fn::Join'][0]);
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

function resourcesOf(statements: any[], action: string): string[] {
  const statement = statements.find((s) => [s.Action].flat().includes(action));
  if (!statement) throw new Error(`no statement allows ${action}`);
  return [statement.Resource].flat().map(flat);
}

describe('ConnectorPermissions', () => {
  test('SEND_EVENTS puts events on the connector bus only', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.SEND_EVENTS]);
    expect(statements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' }]);
  });

  test('MANAGE_DESTINATIONS is scoped to prefixed connections, API destinations and their secrets, in the account and region of the stack, where the runtime creates them', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.MANAGE_DESTINATIONS]);
    const connection = 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:connection/orders.*';
    expect(resourcesOf(statements, 'events:CreateConnection')).toEqual([connection]);
    expect(resourcesOf(statements, 'events:UpdateConnection')).toEqual([connection]);
    expect(resourcesOf(statements, 'events:DescribeConnection')).toEqual([connection]);
    // API destination actions are also authorized against the connection they use.
    expect(resourcesOf(statements, 'events:CreateApiDestination')).toEqual([
      'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:api-destination/orders.*',
      connection,
    ]);
    expect(resourcesOf(statements, 'secretsmanager:CreateSecret')).toEqual([
      'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/orders.*',
    ]);
  });

  test('MANAGE_DESTINATIONS gives EventBridge the secret permissions it needs from the caller, and no delete', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.MANAGE_DESTINATIONS]);
    const secretActions = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:'))).flatMap((s) => [s.Action].flat());
    expect(secretActions.sort()).toEqual([
      'secretsmanager:CreateSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecret',
    ]);
  });

  test('MANAGE_DESTINATIONS may create only the API destinations service-linked role', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.MANAGE_DESTINATIONS]);
    const slr = statements.find((s) => s.Action === 'iam:CreateServiceLinkedRole');
    expect(flat(slr.Resource)).toBe(
      'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/apidestinations.events.amazonaws.com/AWSServiceRoleForAmazonEventBridgeApiDestinations',
    );
    expect(slr.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'apidestinations.events.amazonaws.com' } });
  });

  test('INSPECT describes the connector bus and lists buses (an action without resource types)', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.INSPECT]);
    expect(resourcesOf(statements, 'events:DescribeEventBus')).toEqual(['arn:aws:events:eu-west-1:123456789012:event-bus/orders']);
    expect(resourcesOf(statements, 'events:ListEventBuses')).toEqual(['*']);
  });

  test('READ_PARAMETERS reads by path, not recursively, on the path itself, and each contract parameter by its exact name', () => {
    const statements = statementsOf(newStack(), [ConnectorActivity.READ_PARAMETERS]);
    expect(resourcesOf(statements, 'ssm:GetParametersByPath')).toEqual([
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/eventbridge-connector/orders',
    ]);
    expect(statements.find((s) => s.Action === 'ssm:GetParametersByPath').Condition).toEqual({ StringNotEqualsIgnoreCase: { 'ssm:Recursive': 'true' } });
    // No wildcard: `orders/*` would also reach `orders/eu/RoleARN`, a connector nested under the path.
    expect(resourcesOf(statements, 'ssm:GetParameter')).toEqual(
      Object.values(ParameterKeys).map((key) => `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/eventbridge-connector/orders/${key}`),
    );
    expect(resourcesOf(statements, 'ssm:GetParameters')).toEqual(resourcesOf(statements, 'ssm:GetParameter'));
  });

  test('every activity is granted by default, and only the chosen ones otherwise', () => {
    const all = statementsOf(newStack()).flatMap((s) => [s.Action].flat());
    expect(all).toEqual(expect.arrayContaining(['events:PutEvents', 'events:CreateConnection', 'events:ListEventBuses', 'ssm:GetParametersByPath']));
    const some = statementsOf(newStack(), [ConnectorActivity.SEND_EVENTS, ConnectorActivity.INSPECT]).flatMap((s) => [s.Action].flat());
    expect(some).toEqual(['events:PutEvents', 'events:DescribeEventBus', 'events:ListEventBuses']);
  });

  test('ARNs follow the stack partition rather than naming aws', () => {
    const stack = newStack('China', { env: { region: 'cn-north-1', account: '123456789012' } });
    const eventBus = new events.EventBus(stack, 'Bus');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    for (const statement of ConnectorPermissions.statements(stack, { eventBus, resourceNamePrefix: 'orders.', parameterPath: '/eventbridge-connector/orders' })) {
      role.addToPrincipalPolicy(statement);
    }
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const rendered = JSON.stringify(policies);
    expect(rendered).not.toMatch(/arn:aws:/);
    expect(rendered).toMatch(/AWS::Partition/);
  });
});
