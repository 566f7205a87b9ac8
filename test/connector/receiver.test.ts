import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CA, newStack } from './fixtures';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { ParameterKeys, RECEIVING_KEYS } from '../../src/contract';

function connectorWithReceiver(authentication = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA })) {
  const stack = newStack();
  const connector = new EventBridgeConnector(stack, 'Orders', { authentication });
  const receiver = connector.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
  return { stack, connector, receiver, template: Template.fromStack(stack) };
}

describe('EventBridgeConnector.addReceiver', () => {
  test('delivers from the connector bus, under the connector prefix, with the receiving keys on its path', () => {
    const { stack, connector, receiver, template } = connectorWithReceiver();
    expect(connector.receiver).toBe(receiver);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: stack.getLogicalId(connector.eventBus.node.defaultChild as any) },
    });
    template.hasResourceProperties('AWS::Events::Connection', { Name: 'orders.receiver-conn' });
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      Name: 'orders.receiver-dest',
      InvocationEndpoint: 'https://orders.example.com/events',
    });
    const names = Object.values(template.findResources('AWS::SSM::Parameter')).map((p: any) => p.Properties.Name);
    for (const key of RECEIVING_KEYS) expect(names).toContain(`/eventbridge-connector/orders/${key}`);
    expect(names).toContain(`/eventbridge-connector/orders/${ParameterKeys.ROLE_ARN}`);
  });

  test('lets the connector role read the API key the deliveries carry', () => {
    const { stack, connector, receiver, template } = connectorWithReceiver();
    const secret = stack.getLogicalId(receiver.apiKeySecret.node.defaultChild as any);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(connector.role!.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']), Resource: { Ref: secret } }),
        ]),
      },
    });
  });

  test('in static mode the connector user reads the key', () => {
    const { stack, connector, template } = connectorWithReceiver(ConnectorAuthentication.staticCredentials());
    template.hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: stack.getLogicalId(connector.user!.node.defaultChild as any) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']) })]) },
    });
  });

  test('refuses a second receiver: the contract has one set of receiving keys', () => {
    const { connector } = connectorWithReceiver();
    expect(() => connector.addReceiver('Another', { endpoint: 'https://other.example.com/events' })).toThrow(
      "connector 'Orders' already has receiver 'Receiver': the contract has one set of receiving keys, so add one receiver per connector",
    );
  });
});

test('the longest prefix a connector accepts (40 characters) also takes a receiver, within 64-character names', () => {
  const stack = newStack();
  const connector = new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.staticCredentials(), resourceNamePrefix: `${'p'.repeat(39)}.` });
  connector.addReceiver('AVeryLongReceiverIdIndeed', { endpoint: 'https://orders.example.com/events' });
  const names = Object.values(Template.fromStack(stack).findResources('AWS::Events::Connection')).map((r: any) => r.Properties.Name as string);
  expect(names).toEqual([expect.stringMatching(/^p{39}\.[a-z0-9-]{1,24}$/)]);
});
