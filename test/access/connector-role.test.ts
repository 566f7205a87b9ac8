import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ConnectorActivity, ConnectorRole, TrustAnchor, TrustAnchorSource } from '../../src';
import { EXAMPLE_CA, newStack } from '../connector/fixtures';

function roleIn(props: Partial<ConstructorParameters<typeof ConnectorRole>[2]> = {}) {
  const stack = newStack();
  const trustAnchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(EXAMPLE_CA) });
  const eventBus = new events.EventBus(stack, 'Bus');
  const role = new ConnectorRole(stack, 'Role', {
    trustAnchor,
    eventBus,
    resourceNamePrefix: 'orders.',
    parameterPath: '/eventbridge-connector/orders',
    ...props,
  });
  return { stack, role, template: Template.fromStack(stack), anchorId: stack.getLogicalId(trustAnchor.node.defaultChild as any) };
}

describe('ConnectorRole', () => {
  test('trusts IAM Roles Anywhere only through its trust anchor, with the three actions sessions need', () => {
    const { template, anchorId } = roleIn();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
            Effect: 'Allow',
            Principal: { Service: 'rolesanywhere.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [anchorId, 'TrustAnchorArn'] } } },
          },
        ],
      },
    });
  });

  test('narrows the trust to certificate names when asked', () => {
    const { template } = roleIn({ subjectCommonNames: ['orders-app'], issuerCommonNames: ['Example CA'] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              ArnEquals: Match.anyValue(),
              StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'orders-app', 'aws:PrincipalTag/x509Issuer/CN': 'Example CA' },
            },
          }),
        ],
      },
    });
  });

  test.each([
    [undefined, 3600, 3600],
    [Duration.minutes(15), 900, 3600],
    [Duration.hours(12), 43200, 43200],
    [Duration.seconds(5400), 5400, 5400],
  ])('a session of %s lets the role last at least as long', (sessionDuration, sessionSeconds, maxSessionDuration) => {
    const { role, template } = roleIn({ sessionDuration });
    expect(role.sessionDurationSeconds).toBe(sessionSeconds);
    template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: maxSessionDuration });
  });

  test('carries the permissions of its activities only', () => {
    const { role, template } = roleIn({ activities: [ConnectorActivity.SEND_EVENTS] });
    expect(role.activities).toEqual([ConnectorActivity.SEND_EVENTS]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'events:PutEvents' })] },
    });
  });
});
