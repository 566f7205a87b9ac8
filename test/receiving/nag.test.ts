import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { ENDPOINT, ENV } from './receiver-stack';
import { ConnectorReceiver } from '../../src/receiving';
import { findings } from '../support/nag';

/** Every acknowledgement recorded in the tree: construct path, rule id and reason. */
function acknowledgements(scope: IConstruct) {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
        path: c.node.path,
        rule: id.replace(/^annotation::/i, ''),
        reason,
      }))),
  );
}

function connectorStack(): { app: App; stack: Stack; receiver: ConnectorReceiver } {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: ENV });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'orders' });
  const receiver = new ConnectorReceiver(stack, 'Receiver', {
    eventBus: bus,
    endpoint: ENDPOINT,
    parameterPath: '/eventbridge-connector/orders',
    resourceNamePrefix: 'orders.',
  });
  receiver.grantReadApiKey(new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() }));
  app.synth();
  return { app, stack, receiver };
}

describe('AwsSolutions checks on a stack with a receiver', () => {
  const { app, stack, receiver } = connectorStack();
  Template.fromStack(stack);

  test('leave no unacknowledged finding', () => {
    expect(findings(app)).toEqual([]);
  });

  test('acknowledge only the generated secret\'s rotation and the dead-letter queue having no DLQ of its own', () => {
    expect(acknowledgements(app).map(({ path, rule }) => ({ path, rule }))).toEqual([
      { path: receiver.apiKeySecret.node.path, rule: 'AwsSolutions-SMG4' },
      { path: receiver.deadLetterQueue.node.path, rule: 'AwsSolutions-SQS3' },
    ]);
  });

  test('each acknowledgement gives a reason a reviewer can check against the template', () => {
    const reasons = Object.fromEntries(acknowledgements(app).map((a) => [a.rule, a.reason]));
    // SMG4: the key is copied into the connection at deploy time, so rotation would break deliveries.
    expect(reasons['AwsSolutions-SMG4']).toMatch(/connection copies the API key when the stack deploys/);
    expect(reasons['AwsSolutions-SMG4']).toMatch(/rotation would change the secret but not the connection/);
    // SQS3: the queue is the rule target's DeadLetterConfig, visible in the template.
    expect(reasons['AwsSolutions-SQS3']).toMatch(/DeadLetterConfig of the EventBridge rule target points at it/);
  });

  test('a secret and a queue the user brings are not acknowledged on their behalf: the same rules fire on them', () => {
    const own = new App();
    const ownStack = new Stack(own, 'Orders', { env: ENV });
    const bus = new events.EventBus(ownStack, 'Bus', { eventBusName: 'orders' });
    const apiKeySecret = new secretsmanager.Secret(ownStack, 'Key');
    const deadLetterQueue = new sqs.Queue(ownStack, 'Undelivered', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    new ConnectorReceiver(ownStack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, apiKeySecret, deadLetterQueue });
    expect(findings(own)).toEqual([
      { rule: 'AwsSolutions-SMG4', resources: [apiKeySecret.node.defaultChild!.node.path] },
      { rule: 'AwsSolutions-SQS3', resources: [deadLetterQueue.node.defaultChild!.node.path] },
    ]);
    expect(acknowledgements(own)).toEqual([]);
  });
});
