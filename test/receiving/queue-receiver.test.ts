import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { busStack, ENV, logicalIdOf } from './receiver-stack';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { QueueReceiver } from '../../src/receiving';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

function connectorWithQueue(options: ConstructorParameters<typeof QueueReceiver>[2] extends infer P ? Omit<P & object, 'eventBus'> : never = {}) {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: ENV });
  const connector = new EventBridgeConnector(stack, 'Orders', {
    eventBusName: 'orders',
    authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
  });
  const receiver = connector.addQueueReceiver('Inbox', options);
  return { app, stack, connector, receiver, template: Template.fromStack(stack) };
}

describe('connector.addQueueReceiver', () => {
  const { stack, connector, receiver, template } = connectorWithQueue({ sources: ['com.example.orders'], detailTypes: ['OrderPlaced', 'OrderShipped'] });

  test('an encrypted queue that refuses plain HTTP, with a dead-letter queue after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(receiver.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(receiver.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('a rule on the connector bus with the pattern from sources and detailTypes, targeting the queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(connector.eventBus as any) },
      EventPattern: { 'source': ['com.example.orders'], 'detail-type': ['OrderPlaced', 'OrderShipped'] },
      Targets: [{ Arn: { 'Fn::GetAtt': [logicalIdOf(receiver.queue), 'Arn'] }, Id: Match.anyValue() }],
    });
  });

  test('EventBridge may send to the queue only for this rule, from this account', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'EventBridgeRuleSendsEvents',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [logicalIdOf(receiver.queue), 'Arn'] },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOf(receiver.rule), 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
            },
          },
        ]),
      },
    });
  });

  test('writes QueueUrl and QueueArn under the connector path', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/eventbridge-connector/orders/QueueUrl', Value: { Ref: logicalIdOf(receiver.queue) } });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/eventbridge-connector/orders/QueueArn',
      Value: { 'Fn::GetAtt': [logicalIdOf(receiver.queue), 'Arn'] },
    });
  });

  test('an alarm on the first message in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(receiver.deadLetterQueue), 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  describe('the connector role, simulated', () => {
    const deployed = new DeployedTemplates([template.toJSON()]);
    const role = stack.getLogicalId(connector.role!.node.defaultChild as any);
    const own = deployed.arnOf(logicalIdOf(receiver.queue));
    const other = `arn:aws:sqs:${REGION}:${ACCOUNT}:billing-inbox`;
    test.each([
      ['sqs:ReceiveMessage', 'Allowed'],
      ['sqs:DeleteMessage', 'Allowed'],
      ['sqs:ChangeMessageVisibility', 'Allowed'],
      ['sqs:GetQueueAttributes', 'Allowed'],
      ['sqs:SendMessage', 'ImplicitlyDenied'],
      ['sqs:PurgeQueue', 'ImplicitlyDenied'],
    ])('%s on its own queue: %s', async (action, decision) => {
      expect(await deployed.decide(role, action, own)).toBe(decision);
    });
    test.each(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'])('%s on another queue: denied', async (action) => {
      expect(await deployed.decide(role, action, other)).toBe('ImplicitlyDenied');
      expect(await deployed.decide(role, action, deployed.arnOf(logicalIdOf(receiver.deadLetterQueue)))).toBe('ImplicitlyDenied');
    });
  });

  test('cdk-nag AwsSolutions finds nothing', () => {
    const violations = new AwsSolutionsChecks().validateScope(connectorWithQueue().stack).violations;
    expect(violations.filter((v) => v.violatingResources.some((r) => (r.constructPath ?? '').includes('/Inbox/')))).toEqual([]);
  });

  test('one queue receiver per connector', () => {
    const { connector: c } = connectorWithQueue();
    expect(() => c.addQueueReceiver('Second')).toThrow("connector 'Orders' already has queue receiver 'Inbox'");
  });
});

describe('QueueReceiver alone', () => {
  test('without sources or a pattern, every event on the bus; no parameters without a path', () => {
    const { stack, bus } = busStack();
    new QueueReceiver(stack, 'Inbox', { eventBus: bus, alarms: false, maxReceiveCount: 3, visibilityTimeout: Duration.minutes(2) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: [{ prefix: '' }] } });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('a full event pattern', () => {
    const { stack, bus } = busStack();
    new QueueReceiver(stack, 'Inbox', { eventBus: bus, eventPattern: { source: ['a'], detail: { status: ['paid'] } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['a'], detail: { status: ['paid'] } } });
  });

  test.each([
    [{ sources: [] }, "invalid sources '[]': expected 1 to 100 values, or leave sources out to match every value"],
    [{ detailTypes: [''] }, "invalid detailTypes value '\"\"': expected a string of 1 to 256 characters"],
    [{ sources: ['a'], eventPattern: { source: ['a'] } }, 'invalid eventPattern: it is exclusive with sources and detailTypes'],
    [{ eventPattern: {} }, 'invalid eventPattern {}: EventBridge requires at least one field'],
    [{ maxReceiveCount: 0 }, "invalid maxReceiveCount '0': expected a whole number from 1 to 1000"],
    [{ visibilityTimeout: Duration.hours(13) }, "invalid visibilityTimeout '13 hours': expected whole seconds from 0 to 43200 (SQS's limit)"],
    [{ retentionPeriod: Duration.days(15) }, "invalid retentionPeriod '15 days': expected whole seconds from 60 to 1209600 (SQS's limit)"],
    [{ parameterPath: 'orders' }, "invalid parameter path 'orders'"],
  ])('refuses %j at synthesis', (props, message) => {
    const { stack, bus } = busStack();
    expect(() => new QueueReceiver(stack, 'Inbox', { eventBus: bus, ...(props as object) })).toThrow(message);
  });
});
