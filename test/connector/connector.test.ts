import { join } from 'node:path';
import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { EXAMPLE_CA, newStack, opensslFingerprint } from './fixtures';
import {
  AuthenticationMode,
  ConnectorActivity,
  ConnectorAuthentication,
  EventBridgeConnector,
  EventBridgeConnectorProps,
  TrustAnchor,
  TrustAnchorSource,
} from '../../src';
import { BootstrapOutputs, SESSION_KEYS } from '../../src/contract';
import { createTestPki } from '../rolesanywhere/test-pki';

const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });

function connectorIn(props: EventBridgeConnectorProps = { authentication: SESSION }, id = 'Orders') {
  const stack = newStack();
  const connector = new EventBridgeConnector(stack, id, props);
  const logicalId = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  return { stack, connector, template: Template.fromStack(stack), logicalId };
}

function parameterValue(template: Template, name: string): unknown {
  const found = Object.values(template.findResources('AWS::SSM::Parameter', { Properties: { Name: name } }));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties.Value;
}

describe('EventBridgeConnector in session mode', () => {
  test('composes a bus, a trust anchor from the CA, a role, a profile and the contract', () => {
    const { connector, template, logicalId } = connectorIn();
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: Match.stringLikeRegexp('BEGIN CERTIFICATE') } },
    });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', {
      RoleArns: [{ 'Fn::GetAtt': [logicalId(connector.role), 'Arn'] }],
      DurationSeconds: 3600,
    });
    expect(connector.authenticationMode).toBe(AuthenticationMode.ROLES_ANYWHERE);
    expect(connector.user).toBeUndefined();
    for (const key of SESSION_KEYS) expect(connector.parameters.keys).toContain(key);
  });

  test('writes the contract under /eventbridge-connector/<id> with a prefix derived from the id', () => {
    const { connector, template } = connectorIn();
    expect(connector.parameterPath).toBe('/eventbridge-connector/orders');
    expect(connector.resourceNamePrefix).toBe('orders.');
    expect(parameterValue(template, '/eventbridge-connector/orders/ResourceNamePrefix')).toBe('orders.');
  });

  test('derives a valid prefix from any construct id', () => {
    const { connector } = connectorIn({ authentication: SESSION, parameterPath: '/eventbridge-connector/orders' }, 'Orders & Billing!');
    expect(connector.resourceNamePrefix).toBe('orders-billing.');
  });

  test('lets its role read its own parameter path', () => {
    const { connector, template, logicalId } = connectorIn();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(connector.role) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParametersByPath' })]) },
    });
  });

  test('always lets its role read the contract, whatever activities are chosen', () => {
    const { connector } = connectorIn({ authentication: SESSION, activities: [ConnectorActivity.SEND_EVENTS] });
    expect(connector.activities).toEqual([ConnectorActivity.SEND_EVENTS, ConnectorActivity.READ_PARAMETERS]);
  });

  test('emits the bootstrap values as outputs named after the connector, exported for other stacks', () => {
    const { stack, connector, template, logicalId } = connectorIn();
    const expected: Record<string, unknown> = {
      [BootstrapOutputs.REGION]: { Ref: 'AWS::Region' },
      [BootstrapOutputs.TRUST_ANCHOR_ARN]: { 'Fn::GetAtt': [logicalId(connector.trustAnchor), 'TrustAnchorArn'] },
      [BootstrapOutputs.PROFILE_ARN]: { 'Fn::GetAtt': [logicalId(connector.profile), 'ProfileArn'] },
      [BootstrapOutputs.ROLE_ARN]: { 'Fn::GetAtt': [logicalId(connector.role), 'Arn'] },
      [BootstrapOutputs.PARAMETER_PATH]: '/eventbridge-connector/orders',
    };
    for (const [name, value] of Object.entries(expected)) {
      template.hasOutput(`Orders${name}`, { Value: value, Export: { Name: `${stack.stackName}-Orders${name}` } });
    }
  });

  test('pins the client certificate by its SHA-256 fingerprint', () => {
    const pki = createTestPki();
    try {
      const { template } = connectorIn({
        authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: pki.caPem, clientCertificate: pki.leafPem }),
      });
      expect(parameterValue(template, '/eventbridge-connector/orders/AWS_ClientCertificateID')).toBe(opensslFingerprint(join(pki.dir, 'leaf.pem')));
    } finally {
      pki.cleanup();
    }
  });

  test('a session name makes the profile accept role session names', () => {
    const { template } = connectorIn({
      authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, sessionName: 'orders-app', sessionDuration: Duration.hours(2) }),
    });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { AcceptRoleSessionName: true, DurationSeconds: 7200 });
    template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
    expect(parameterValue(template, '/eventbridge-connector/orders/SessionName')).toBe('orders-app');
    expect(parameterValue(template, '/eventbridge-connector/orders/Duration')).toBe('7200');
  });

  test('uses a given trust anchor instead of creating one', () => {
    const stack = newStack();
    const trustAnchor = new TrustAnchor(stack, 'SharedAnchor', { source: TrustAnchorSource.fromCertificateBundle(EXAMPLE_CA) });
    const connector = new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ trustAnchor }) });
    expect(connector.trustAnchor).toBe(trustAnchor);
    Template.fromStack(stack).resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 1);
  });
});

describe('EventBridgeConnector event bus', () => {
  test('names a new bus and archives its events for the retention given', () => {
    const { connector, template, logicalId } = connectorIn({ authentication: SESSION, eventBusName: 'orders', archive: { retention: Duration.days(7) } });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'orders' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalId(connector.eventBus), 'Arn'] },
      RetentionDays: 7,
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
    });
  });

  test('uses an imported bus and writes its name and ARN, and the region of the stack', () => {
    const stack = newStack();
    const eventBus = events.EventBus.fromEventBusArn(stack, 'Shared', 'arn:aws:events:eu-central-1:123456789012:event-bus/shared');
    new EventBridgeConnector(stack, 'Orders', { eventBus, authentication: SESSION });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::EventBus', 0);
    expect(parameterValue(template, '/eventbridge-connector/orders/EventBusName')).toBe('shared');
    expect(parameterValue(template, '/eventbridge-connector/orders/EventBusArn')).toBe('arn:aws:events:eu-central-1:123456789012:event-bus/shared');
    // The region of the parameters, role and profile: the stack's (a bus of another region fails synth).
    expect(parameterValue(template, '/eventbridge-connector/orders/Region')).toEqual({ Ref: 'AWS::Region' });
  });
});

describe('EventBridgeConnector in static mode', () => {
  test('creates a user with the connector permissions, its key in a secret, and warns', () => {
    const { stack, connector, template, logicalId } = connectorIn({ authentication: ConnectorAuthentication.staticCredentials() });
    expect(connector.authenticationMode).toBe(AuthenticationMode.STATIC_CREDENTIALS);
    expect(connector.role).toBeUndefined();
    expect(connector.trustAnchor).toBeUndefined();
    template.resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: logicalId(connector.user) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents' }), Match.objectLike({ Action: 'ssm:GetParametersByPath' })]) },
    });
    expect(parameterValue(template, '/eventbridge-connector/orders/UseStaticCredentials')).toBe('true');
    expect(parameterValue(template, '/eventbridge-connector/orders/SecretKey')).toBe('/aws/reference/secretsmanager/eventbridge-connector/orders/SecretKey');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('long-lived IAM access keys'));
  });

  test('emits only the region and the parameter path: there is nothing else to bootstrap', () => {
    const { template } = connectorIn({ authentication: ConnectorAuthentication.staticCredentials() });
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['OrdersParameterPath', 'OrdersRegion']);
  });
});


test('subjectCommonNames from a CommaDelimitedList parameter pass through to the trust policy as the list', () => {
  const stack = newStack();
  const names = new CfnParameter(stack, 'SubjectNames', { type: 'CommaDelimitedList' }).valueAsList;
  new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, subjectCommonNames: names }) });
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'aws:PrincipalTag/x509Subject/CN': { Ref: 'SubjectNames' } }) }) })] },
  });
});
