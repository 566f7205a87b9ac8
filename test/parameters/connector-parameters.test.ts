import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConnectorParameters, StaticCredentials } from '../../src';
import { COMMON_KEYS, ParameterKeys, SCHEMA_VERSION, SESSION_KEYS, STATIC_KEYS, secretReference } from '../../src/contract';
import { newStack } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

const PATH = '/eventbridge-connector/orders';
const SESSION = {
  roleArn: 'arn:aws:iam::123456789012:role/orders-connector',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/6d3f1f0e-8f3a-4a57-9bd5-2f1f5f0f3a11',
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0c9a1f6e-2b1d-4c55-8e0a-7f2b9d1e4c22',
  durationSeconds: 7200,
};

function sessionParameters(stack: Stack = newStack(), extra: Partial<typeof SESSION & { sessionName: string; clientCertificateId: string }> = {}) {
  const eventBus = new events.EventBus(stack, 'Bus', { eventBusName: 'orders' });
  return new ConnectorParameters(stack, 'Parameters', { parameterPath: PATH, eventBus, resourceNamePrefix: 'orders.', session: { ...SESSION, ...extra } });
}

function staticParameters(stack: Stack = newStack()) {
  const eventBus = new events.EventBus(stack, 'Bus', { eventBusName: 'orders' });
  const credentials = new StaticCredentials(stack, 'Static', { eventBus, resourceNamePrefix: 'orders.', parameterPath: PATH });
  return { credentials, parameters: new ConnectorParameters(stack, 'Parameters', { parameterPath: PATH, eventBus, resourceNamePrefix: 'orders.', staticCredentials: credentials }) };
}

/** Parameter name to value, as the template writes them. */
function writtenParameters(stack: Stack): Record<string, unknown> {
  const resources = Template.fromStack(stack).findResources('AWS::SSM::Parameter');
  return Object.fromEntries(Object.values(resources).map((r: any) => {
    expect(r.Properties.Type).toBe('String');
    return [r.Properties.Name, r.Properties.Value];
  }));
}

describe('ConnectorParameters', () => {
  test('session mode writes one String parameter per contract key under the path', () => {
    const stack = newStack();
    sessionParameters(stack);
    const written = writtenParameters(stack);
    expect(Object.keys(written).sort()).toEqual([...COMMON_KEYS, ...SESSION_KEYS].map((key) => `${PATH}/${key}`).sort());
    expect(written[`${PATH}/${ParameterKeys.USE_STATIC_CREDENTIALS}`]).toBe('false');
    expect(written[`${PATH}/${ParameterKeys.SCHEMA_VERSION}`]).toBe(SCHEMA_VERSION);
    expect(written[`${PATH}/${ParameterKeys.DURATION}`]).toBe('7200');
    expect(written[`${PATH}/${ParameterKeys.ROLE_ARN}`]).toBe(SESSION.roleArn);
    expect(written[`${PATH}/${ParameterKeys.RESOURCE_NAME_PREFIX}`]).toBe('orders.');
    expect(written[`${PATH}/${ParameterKeys.REGION}`]).toEqual({ Ref: 'AWS::Region' });
  });

  test('session mode writes the session name and a normalized certificate id when given', () => {
    const stack = newStack();
    const fingerprint = 'AF:A8:F8:E4:93:83:6F:FF:8B:00:97:B6:5F:7E:DE:45:D9:30:06:B6:AF:DA:56:FD:59:B9:E7:E2:5F:F4:F5:61';
    sessionParameters(stack, { sessionName: 'orders-app', clientCertificateId: fingerprint });
    const written = writtenParameters(stack);
    expect(written[`${PATH}/${ParameterKeys.SESSION_NAME}`]).toBe('orders-app');
    expect(written[`${PATH}/${ParameterKeys.CLIENT_CERTIFICATE_ID}`]).toBe(fingerprint.replace(/:/g, '').toLowerCase());
  });

  test('static mode writes the access key id and a reference to the secret, never the secret key', () => {
    const stack = newStack();
    const { credentials } = staticParameters(stack);
    const written = writtenParameters(stack);
    expect(Object.keys(written).sort()).toEqual([...COMMON_KEYS, ...STATIC_KEYS].map((key) => `${PATH}/${key}`).sort());
    expect(written[`${PATH}/${ParameterKeys.USE_STATIC_CREDENTIALS}`]).toBe('true');
    expect(written[`${PATH}/${ParameterKeys.ACCESS_KEY}`]).toEqual({ Ref: stack.getLogicalId(credentials.accessKey.node.defaultChild as any) });
    expect(written[`${PATH}/${ParameterKeys.SECRET_KEY}`]).toBe(secretReference('eventbridge-connector/orders/SecretKey'));
    expect(JSON.stringify(written)).not.toContain('SecretAccessKey');
  });

  test('grantRead includes reading by path, which StringParameter.grantRead does not', () => {
    const stack = newStack();
    const parameters = sessionParameters(stack);
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    parameters.grantRead(reader);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(reader.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'ssm:GetParametersByPath', Resource: { 'Fn::Join': ['', Match.arrayWith([`:parameter${PATH}`])] } }),
          Match.objectLike({ Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith([`:parameter${PATH}/RoleARN`])] }]) }),
        ],
      },
    });
  });

  test('addParameter writes a further contract key, e.g. of the receiving path', () => {
    const stack = newStack();
    const parameters = sessionParameters(stack);
    parameters.addParameter(ParameterKeys.CONNECTION_NAME, 'orders-receiver');
    expect(parameters.keys).toContain(ParameterKeys.CONNECTION_NAME);
    expect(writtenParameters(stack)[`${PATH}/${ParameterKeys.CONNECTION_NAME}`]).toBe('orders-receiver');
  });

  test('valueFor gives a written value to this stack', () => {
    const stack = newStack();
    const parameters = sessionParameters(stack);
    const id = stack.getLogicalId(parameters.parameterOf(ParameterKeys.ROLE_ARN)!.node.defaultChild as any);
    expect(stack.resolve(parameters.valueFor(ParameterKeys.ROLE_ARN))).toEqual({ 'Fn::GetAtt': [id, 'Value'] });
  });
});

describe('ConnectorParameters.fromPath', () => {
  test('lets another stack read the contract by path and grant a role read access', () => {
    const stack = newStack('Consumer');
    const imported = ConnectorParameters.fromPath(stack, 'Orders', PATH);
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    imported.grantRead(role);
    const busArn = imported.valueFor(ParameterKeys.EVENT_BUS_ARN);
    new iam.Policy(stack, 'UsesBus', { roles: [role], statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn] })] });

    const template = Template.fromStack(stack);
    expect(imported.parameterPath).toBe(PATH);
    template.hasParameter('*', { Type: 'AWS::SSM::Parameter::Value<String>', Default: `${PATH}/EventBusArn` });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParametersByPath' })]) },
    });
  });

  test('in static mode also lets the grantee resolve the secret key reference', () => {
    const stack = newStack('Consumer');
    const imported = ConnectorParameters.fromPathAttributes(stack, 'Orders', { parameterPath: PATH, staticCredentials: true });
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    imported.grantRead(role);
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(statements).toContain(':parameter/aws/reference/secretsmanager/eventbridge-connector/orders/SecretKey');
    expect(statements).toContain(':secret:eventbridge-connector/orders/SecretKey-??????');
  });
});

describe('a reader granted by grantRead', () => {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

  function readerOf(parametersIn: (stack: Stack) => ConnectorParameters) {
    const stack = newStack();
    const parameters = parametersIn(stack);
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    parameters.grantRead(reader);
    return { deployed: new DeployedTemplates([Template.fromStack(stack).toJSON()]), reader: stack.getLogicalId(reader.node.defaultChild as any) };
  }

  test.each([
    ['ssm:GetParametersByPath', 'parameter/eventbridge-connector/orders', 'Allowed'],
    ['ssm:GetParameter', 'parameter/eventbridge-connector/orders/EventBusArn', 'Allowed'],
    ['ssm:GetParameters', 'parameter/eventbridge-connector/orders/RoleARN', 'Allowed'],
    ['ssm:GetParametersByPath', 'parameter/eventbridge-connector/billing', 'ImplicitlyDenied'],
    ['ssm:GetParametersByPath', 'parameter/eventbridge-connector', 'ImplicitlyDenied'],
    ['ssm:GetParameter', 'parameter/eventbridge-connector/billing/EventBusArn', 'ImplicitlyDenied'],
    ['ssm:GetParameter', 'parameter/eventbridge-connector/orders-v2/EventBusArn', 'ImplicitlyDenied'],
    ['ssm:PutParameter', 'parameter/eventbridge-connector/orders/EventBusArn', 'ImplicitlyDenied'],
  ])('of a session-mode contract: %s on %s is %s', async (action, resource, decision) => {
    const { deployed, reader } = readerOf((stack) => sessionParameters(stack));
    expect(await deployed.decide(reader, action, arn('ssm', resource))).toBe(decision);
  });

  test.each([
    ['ssm:GetParameter', arn('ssm', 'parameter/aws/reference/secretsmanager/eventbridge-connector/orders/SecretKey'), 'Allowed'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:eventbridge-connector/orders/SecretKey-AbCdEf'), 'Allowed'],
    ['ssm:GetParameter', arn('ssm', 'parameter/aws/reference/secretsmanager/eventbridge-connector/billing/SecretKey'), 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:eventbridge-connector/billing/SecretKey-AbCdEf'), 'ImplicitlyDenied'],
  ])('of a static-mode contract: %s on %s is %s', async (action, resource, decision) => {
    const { deployed, reader } = readerOf((stack) => staticParameters(stack).parameters);
    expect(await deployed.decide(reader, action, resource)).toBe(decision);
  });
});
