// An env-agnostic stack (the README's `new Stack(app, 'Orders')`) cannot check at synthesis that an
// imported bus or trust anchor is in its account and region: a template rule fails the deployment
// early with a description naming the ARN, and synthesis warns.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ConnectorAuthentication, EventBridgeConnector, TrustAnchor } from '../../src';

const BUS = 'arn:aws:events:us-east-1:999988887777:event-bus/x';
const CN_ANCHOR = 'arn:aws-cn:rolesanywhere:cn-north-1:999988887777:trust-anchor/0c9a1f6e-2b1d-4c55-8e0a-7f2b9d1e4c22';

function orders(stack: Stack) {
  const eventBus = events.EventBus.fromEventBusArn(stack, 'Bus', BUS);
  return new EventBridgeConnector(stack, 'Orders', { eventBus, authentication: ConnectorAuthentication.staticCredentials() });
}

test('an imported bus with a receiver: the rule asserts its account and region', () => {
  const stack = new Stack(new App(), 'Orders');
  orders(stack).addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
  const rules = Template.fromStack(stack).toJSON().Rules;
  const assertions = Object.values(rules as Record<string, any>).flatMap((rule) => rule.Assertions);
  expect(assertions).toContainEqual({
    Assert: { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws'] }, { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '999988887777'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }] },
    AssertDescription: `eventBus '${BUS}' is in partition aws, account 999988887777, region us-east-1: deploy this stack there (a receiving rule on a bus is created in the bus's account and region)`,
  });
  Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(`eventBus '${BUS}' is in partition aws, account 999988887777, region us-east-1, and this stack is env-agnostic`));
});

test('a trust anchor of another partition: the rule asserts partition, account and region', () => {
  const stack = new Stack(new App(), 'Orders');
  new EventBridgeConnector(stack, 'Orders', {
    authentication: ConnectorAuthentication.rolesAnywhere({ trustAnchor: TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', CN_ANCHOR) }),
  });
  const rules = Object.values(Template.fromStack(stack).toJSON().Rules as Record<string, any>);
  expect(rules.flatMap((r) => r.Assertions.map((a: any) => a.AssertDescription))).toContainEqual(
    `trustAnchor '${CN_ANCHOR}' is in partition aws-cn, account 999988887777, region cn-north-1: deploy this stack there (a trust anchor only serves profiles of its own account and region)`);
});

test('a stack with an env is checked at synthesis and gets no rule', () => {
  const stack = new Stack(new App(), 'Orders', { env: { account: '999988887777', region: 'us-east-1' } });
  orders(stack).addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
  // Only the rule aws-cdk adds to every stack.
  expect(Object.keys(Template.fromStack(stack).toJSON().Rules)).toEqual(['CheckBootstrapVersion']);
  Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('env-agnostic'));
});
