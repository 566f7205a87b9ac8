import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { busStack, ENDPOINT, logicalIdOf, receiverStack } from './receiver-stack';
import { ConnectorReceiver } from '../../src/receiving';


describe('ConnectorReceiver with defaults', () => {
  const { stack, bus, receiver } = receiverStack();
  const template = Template.fromStack(stack);
  const secretId = logicalIdOf(receiver.apiKeySecret);
  const queueId = logicalIdOf(receiver.deadLetterQueue);
  const destinationId = logicalIdOf(receiver.apiDestination);
  const ruleId = logicalIdOf(receiver.rule);

  test('generates a 64-character alphanumeric API key in Secrets Manager', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    // The value of the secret is the key itself, not a JSON document with a field.
    const secret = template.findResources('AWS::SecretsManager::Secret')[secretId];
    expect(secret.Properties.GenerateSecretString.SecretStringTemplate).toBeUndefined();
  });

  test('the connection sends the key from the secret in the x-api-key header', () => {
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          ApiKeyValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
        },
      },
    });
  });

  test('the API destination POSTs to the endpoint through the connection, at 50 invocations per second', () => {
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: ENDPOINT,
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 50,
      ConnectionArn: { 'Fn::GetAtt': [logicalIdOf(receiver.connection), 'Arn'] },
    });
  });

  test('CloudFormation names the connection and the API destination when no prefix is given', () => {
    expect(template.findResources('AWS::Events::Connection')[logicalIdOf(receiver.connection)].Properties.Name).toBeUndefined();
    expect(template.findResources('AWS::Events::ApiDestination')[destinationId].Properties.Name).toBeUndefined();
  });

  test('the rule on the bus matches every event and targets the destination with the longest retry policy and the DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(bus) },
      EventPattern: { source: [{ prefix: '' }] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [destinationId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        },
      ],
    });
  });

  test('the target role is assumable by EventBridge for this rule of this account only, and may only invoke this API destination', () => {
    const rule = template.findResources('AWS::Events::Rule')[ruleId];
    const roleId = rule.Properties.Targets[0].RoleArn['Fn::GetAtt'][0];
    const role = template.findResources('AWS::IAM::Role')[roleId];
    // Confused-deputy conditions: this account, and this rule (its ARN built from its name).
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': expect.anything() },
          ArnEquals: { 'aws:SourceArn': expect.anything() },
        },
      },
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [{ Action: 'events:InvokeApiDestination', Effect: 'Allow', Resource: { 'Fn::GetAtt': [destinationId, 'Arn'] } }],
      },
    });
  });

  test('the dead-letter queue is encrypted and keeps messages for 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  test('the dead-letter queue policy denies plain HTTP and lets only this rule send messages', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'sqs:*',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('alarms on the first message in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  test('alarms on the first failed invocation, with the dimensions EventBridge uses for a custom bus', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [
        { Name: 'EventBusName', Value: { Ref: logicalIdOf(bus) } },
        { Name: 'RuleName', Value: { Ref: ruleId } },
      ],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  test('exposes both alarms', () => {
    expect(receiver.alarms).toHaveLength(2);
    expect(receiver.alarms).toEqual([receiver.deadLetterAlarm, receiver.failedInvocationsAlarm]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('writes no SSM parameters without a parameter path', () => {
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    expect(receiver.parameterPath).toBeUndefined();
  });
});

describe('ConnectorReceiver with options', () => {
  test('uses the given header, method, rate, retry policy and event pattern', () => {
    const { stack } = receiverStack({
      apiKeyHeaderName: 'X-Orders-Key',
      httpMethod: events.HttpMethod.PUT,
      rateLimitPerSecond: 300,
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
      eventPattern: { source: ['orders.app'], detailType: ['OrderPlaced'] },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'X-Orders-Key' } },
    });
    template.hasResourceProperties('AWS::Events::ApiDestination', { HttpMethod: 'PUT', InvocationRateLimitPerSecond: 300 });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['orders.app'], 'detail-type': ['OrderPlaced'] },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } })],
    });
  });

  test('uses a given secret instead of generating one, by its full ARN', () => {
    const { stack, bus } = busStack();
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/api-key-AbCdEf';
    const apiKeySecret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', arn);
    const receiver = new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, apiKeySecret });
    const template = Template.fromStack(stack);
    expect(receiver.apiKeySecret).toBe(apiKeySecret);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: `{{resolve:secretsmanager:${arn}:SecretString:::}}` } },
    });
  });

  test('a secret imported by name is referenced by its name', () => {
    const { stack, bus } = busStack();
    const apiKeySecret = secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'orders/api-key');
    new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, apiKeySecret });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Connection', {
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: '{{resolve:secretsmanager:orders/api-key:SecretString:::}}' } },
    });
  });

  test('uses a given dead-letter queue and grants this rule access to it', () => {
    const { stack, bus } = busStack();
    const deadLetterQueue = new sqs.Queue(stack, 'Undelivered', { enforceSSL: true });
    const receiver = new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, deadLetterQueue });
    const template = Template.fromStack(stack);
    const queueId = logicalIdOf(deadLetterQueue);
    expect(receiver.deadLetterQueue).toBe(deadLetterQueue);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOf(receiver.rule), 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  test('alarms: false creates no alarms', () => {
    const { stack, receiver } = receiverStack({ alarms: false });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(receiver.alarms).toEqual([]);
    expect(receiver.deadLetterAlarm).toBeUndefined();
    expect(receiver.failedInvocationsAlarm).toBeUndefined();
  });

  test('on the default bus, the failed-invocations alarm uses the RuleName dimension alone', () => {
    const { stack } = busStack();
    const defaultBus = events.EventBus.fromEventBusName(stack, 'Default', 'default');
    const receiver = new ConnectorReceiver(stack, 'Receiver', { eventBus: defaultBus, endpoint: ENDPOINT });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: logicalIdOf(receiver.rule) } }],
    });
  });

  test('a resource name prefix starts the connection and API destination names, so a role scoped to it can manage them', () => {
    const { stack, receiver } = receiverStack({ resourceNamePrefix: 'orders.' });
    const template = Template.fromStack(stack);
    const connectionName = template.findResources('AWS::Events::Connection')[logicalIdOf(receiver.connection)].Properties.Name;
    const destinationName = template.findResources('AWS::Events::ApiDestination')[logicalIdOf(receiver.apiDestination)].Properties.Name;
    for (const name of [connectionName, destinationName]) {
      // After the prefix, no other '.': the name starts with no other connector's prefix.
      expect(name).toMatch(/^orders\.[-_A-Za-z0-9]+$/);
      expect(name.length).toBeLessThanOrEqual(64);
    }
    expect([connectionName, destinationName]).toEqual(['orders.receiver-conn', 'orders.receiver-dest']);
  });

  test('names built from the longest prefix and a deep construct path stay within 64 characters', () => {
    const prefix = `${'p'.repeat(39)}.`;
    const { stack, bus } = busStack();
    let scope: Construct = stack;
    for (let i = 0; i < 6; i++) scope = new Construct(scope, `AVeryLongConstructIdNumber${i}`);
    const receiver = new ConnectorReceiver(scope, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, resourceNamePrefix: prefix });
    const name = Template.fromStack(stack).findResources('AWS::Events::Connection')[logicalIdOf(receiver.connection)].Properties.Name;
    expect(name.startsWith(prefix)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[.\-_A-Za-z0-9]+$/);
  });

  test('two receivers with one prefix get distinct names', () => {
    const { stack, bus } = busStack();
    const a = new ConnectorReceiver(stack, 'A', { eventBus: bus, endpoint: ENDPOINT, resourceNamePrefix: 'orders.' });
    const b = new ConnectorReceiver(stack, 'B', { eventBus: bus, endpoint: ENDPOINT, resourceNamePrefix: 'orders.' });
    const connections = Template.fromStack(stack).findResources('AWS::Events::Connection');
    expect(connections[logicalIdOf(a.connection)].Properties.Name).not.toEqual(connections[logicalIdOf(b.connection)].Properties.Name);
  });
});

describe('grantReadApiKey', () => {
  test('lets the application read the API key from Secrets Manager and through its SSM reference, and nothing else', () => {
    const { stack, bus } = busStack();
    const apiKeySecret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/api-key-AbCdEf');
    const receiver = new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, apiKeySecret });
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    receiver.grantReadApiKey(app);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(app) }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Effect: 'Allow',
            Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/api-key-AbCdEf',
          },
          {
            Action: 'ssm:GetParameter',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/orders/api-key']],
            },
          },
        ],
      },
    });
  });

  test('covers the generated secret too', () => {
    const { stack, receiver } = receiverStack();
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = receiver.grantReadApiKey(app);
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(app) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: logicalIdOf(receiver.apiKeySecret) } }),
        ]),
      },
    });
  });
});
