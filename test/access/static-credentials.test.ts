import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ConnectorActivity, StaticCredentials } from '../../src';
import { newStack } from '../connector/fixtures';

function credentialsIn(props: { secretName?: string; activities?: ConnectorActivity[] } = {}) {
  const stack = newStack();
  const eventBus = new events.EventBus(stack, 'Bus');
  const credentials = new StaticCredentials(stack, 'Static', {
    eventBus,
    resourceNamePrefix: 'orders.',
    parameterPath: '/eventbridge-connector/orders',
    ...props,
  });
  const id = (construct: any) => stack.getLogicalId(construct.node.defaultChild);
  return { stack, credentials, template: Template.fromStack(stack), id };
}

describe('StaticCredentials', () => {
  test('gives an IAM user the connector permissions', () => {
    const { credentials, template, id } = credentialsIn();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: id(credentials.user) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents' })]) },
    });
  });

  test('keeps the secret access key in Secrets Manager, named after the parameter path', () => {
    const { credentials, template, id } = credentialsIn();
    expect(credentials.secretName).toBe('eventbridge-connector/orders/SecretKey');
    template.hasResourceProperties('AWS::IAM::AccessKey', { UserName: { Ref: id(credentials.user) } });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'eventbridge-connector/orders/SecretKey',
      SecretString: { 'Fn::GetAtt': [id(credentials.accessKey), 'SecretAccessKey'] },
    });
  });

  test('takes another secret name', () => {
    const { template } = credentialsIn({ secretName: 'team/orders-connector-key' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'team/orders-connector-key' });
  });

  test('warns at synthesis that long-lived keys are in use', () => {
    const { stack } = credentialsIn();
    Annotations.fromStack(stack).hasWarning('/Connector/Static', Match.stringLikeRegexp('long-lived IAM access keys are in use'));
  });
});
