// A two-region app (the connector's stack and the secondary region's stack, each with an explicit
// env): both templates, the contract in both regions, what the role gets for the secondary
// region, cdk-nag (cfn-lint runs on every template through test/support), and what synth refuses.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ACCOUNT, PRIMARY, SECONDARY, twoRegionApp } from './fixtures';
import { ConnectorAuthentication, EventBridgeConnector, ParameterKeys, SecondaryRegionConnector, TrustAnchor } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';
import { findings } from '../support/nag';

const PATH = '/eventbridge-connector/orders';

/** `key -> value` of the contract parameters a template writes under the path. */
function contractOf(template: Template): Record<string, unknown> {
  const parameters = Object.values(template.findResources('AWS::SSM::Parameter')) as Array<{ Properties: { Name: string; Value: unknown } }>;
  return Object.fromEntries(parameters.filter((p) => p.Properties.Name.startsWith(`${PATH}/`)).map((p) => [p.Properties.Name.slice(PATH.length + 1), p.Properties.Value]));
}

/** The statements of the role's policies, flattened. */
function roleStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  // Both regions' grants overflow the inline policy's 10,240 characters into a managed policy.
  return [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(template.findResources('AWS::IAM::ManagedPolicy'))]
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('OrdersRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('a two-region app', () => {
  const { app, primaryStack, secondaryStack, connector, secondary } = twoRegionApp();
  const primary = Template.fromStack(primaryStack);
  const second = Template.fromStack(secondaryStack);

  test('cdk-nag finds nothing in either stack', () => {
    expect(findings(app)).toEqual([]);
  });

  test('the primary stack has the endpoint over both regions\' bus of one name, its health check, alarm and replication role', () => {
    primary.hasResourceProperties('AWS::Events::Endpoint', {
      EventBuses: [{ EventBusArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersEventBus'), 'Arn'] } }, { EventBusArn: `arn:aws:events:${SECONDARY}:${ACCOUNT}:event-bus/orders` }],
      RoutingConfig: { FailoverConfig: { Secondary: { Route: SECONDARY } } },
      ReplicationConfig: { State: 'ENABLED' },
    });
    primary.resourceCountIs('AWS::Route53::HealthCheck', 1);
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IngestionToInvocationStartLatency', Namespace: 'AWS/Events' });
    primary.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] },
      Policies: [{ PolicyName: 'Replication', PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: [Match.anyValue(), `arn:aws:events:${SECONDARY}:${ACCOUNT}:event-bus/orders`] }] } }],
    });
  });

  test('the primary contract gains EndpointId, EndpointArn and SecondaryRegion', () => {
    const contract = contractOf(primary);
    expect(contract[ParameterKeys.ENDPOINT_ID]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersGlobalEndpoint/), 'EndpointId'] });
    expect(contract[ParameterKeys.ENDPOINT_ARN]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersGlobalEndpoint/), 'Arn'] });
    expect(contract[ParameterKeys.SECONDARY_REGION]).toBe(SECONDARY);
    expect(contract[ParameterKeys.REGION]).toBe(PRIMARY);
    expect(contract[ParameterKeys.PRIMARY_REGION]).toBeUndefined();
  });

  test('the secondary stack writes a full contract of its region under the same path, with PrimaryRegion and no EndpointId', () => {
    const contract = contractOf(second);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${connector.secondaryRegionAttributes!.roleName}`;
    expect(contract).toEqual(expect.objectContaining({
      [ParameterKeys.REGION]: SECONDARY,
      [ParameterKeys.EVENT_BUS_NAME]: { Ref: expect.stringMatching(/^OrdersEventBus/) },
      [ParameterKeys.EVENT_BUS_ARN]: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersEventBus/), 'Arn'] },
      [ParameterKeys.ROLE_ARN]: roleArn,
      [ParameterKeys.TRUST_ANCHOR_ARN]: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTrustAnchor/), 'TrustAnchorArn'] },
      [ParameterKeys.PROFILE_ARN]: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersProfile/), 'ProfileArn'] },
      [ParameterKeys.DURATION]: '3600',
      [ParameterKeys.USE_STATIC_CREDENTIALS]: 'false',
      [ParameterKeys.RESOURCE_NAME_PREFIX]: 'orders.',
      [ParameterKeys.SCHEMA_VERSION]: '2',
      [ParameterKeys.PRIMARY_REGION]: PRIMARY,
      [ParameterKeys.QUEUE_URL]: { Ref: expect.stringMatching(/^OrdersInboxQueue/) },
      [ParameterKeys.API_DESTINATION_NAME]: { Ref: expect.stringMatching(/^OrdersReceiverApiDestination/) },
    }));
    for (const key of [ParameterKeys.ENDPOINT_ID, ParameterKeys.ENDPOINT_ARN, ParameterKeys.SECONDARY_REGION]) expect(contract[key]).toBeUndefined();
    // The role is the primary's, named by a literal: no cross-region reference.
    expect(JSON.stringify(second.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader|CrossRegion/);
  });

  test('the secondary stack has the bus of the same name, Roles Anywhere of its region, and both receiving paths, and no IAM of the role', () => {
    second.hasResourceProperties('AWS::Events::EventBus', { Name: 'orders' });
    second.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Source: { SourceType: 'CERTIFICATE_BUNDLE' } });
    second.hasResourceProperties('AWS::RolesAnywhere::Profile', { RoleArns: [`arn:aws:iam::${ACCOUNT}:role/${connector.secondaryRegionAttributes!.roleName}`], DurationSeconds: 3600 });
    second.hasResourceProperties('AWS::Events::ApiDestination', { Name: 'orders.receiver-dest', InvocationEndpoint: 'https://orders.example.com/eventbridge/events' });
    second.hasResourceProperties('AWS::Events::Connection', { Name: 'orders.receiver-conn' });
    second.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'eventbridge-connector-orders-inbox' });
    second.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'eventbridge-connector/orders/ApiKey' });
    second.resourceCountIs('AWS::Events::Rule', 2);
    expect(Object.values(second.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(connector.secondaryRegionAttributes!.roleName))).toEqual([]);
    expect(secondary.parameters.parameterPath).toBe(PATH);
  });

  test('the role trusts the secondary region\'s trust anchors of the account with the same certificate conditions', () => {
    const [role] = Object.values(primary.findResources('AWS::IAM::Role', { Properties: { RoleName: connector.secondaryRegionAttributes!.roleName } }));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Condition: {
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTrustAnchor/), 'TrustAnchorArn'] } },
          StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:PrincipalTag/x509Subject/CN': 'orders-app' },
        },
      }),
      expect.objectContaining({
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:rolesanywhere:${SECONDARY}:${ACCOUNT}:trust-anchor/*` },
          StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:PrincipalTag/x509Subject/CN': 'orders-app' },
        },
      }),
    ]);
    expect(connector.secondaryRegionAttributes!.roleName).toMatch(new RegExp(`^OrdersPrimary-Orders-[0-9A-F]{8}-${PRIMARY}$`));
  });

  test('the role may send to both buses, read the contract and consume the receivers of the secondary region, each by its ARN', () => {
    const statements = roleStatements(primary);
    const has = (action: string, resource: string) =>
      statements.some((s) => [s.Action].flat().includes(action) && [s.Resource].flat().includes(resource));
    const inSecondary = (service: string, rest: string) => `arn:aws:${service}:${SECONDARY}:${ACCOUNT}:${rest}`;
    expect({
      putEventsSecondary: has('events:PutEvents', inSecondary('events', 'event-bus/orders')),
      describeSecondary: has('events:DescribeEventBus', inSecondary('events', 'event-bus/orders')),
      readPathSecondary: has('ssm:GetParametersByPath', inSecondary('ssm', `parameter${PATH}`)),
      readEndpointIdSecondary: has('ssm:GetParameter', inSecondary('ssm', `parameter${PATH}/RoleARN`)),
      connectionsSecondary: has('events:CreateConnection', inSecondary('events', 'connection/orders.*')),
      apiKeySecondary: has('secretsmanager:GetSecretValue', inSecondary('secretsmanager', 'secret:eventbridge-connector/orders/ApiKey-??????')),
      apiKeyReferenceSecondary: has('ssm:GetParameter', inSecondary('ssm', 'parameter/aws/reference/secretsmanager/eventbridge-connector/orders/ApiKey')),
      queueSecondary: has('sqs:ReceiveMessage', inSecondary('sqs', 'eventbridge-connector-orders-inbox')),
    }).toEqual({
      putEventsSecondary: true,
      describeSecondary: true,
      readPathSecondary: true,
      readEndpointIdSecondary: true,
      connectionsSecondary: true,
      apiKeySecondary: true,
      apiKeyReferenceSecondary: true,
      queueSecondary: true,
    });
    // Nothing of the secondary region beyond the connector's own names.
    const secondaryResources = statements.flatMap((s) => [s.Resource].flat()).filter((r) => typeof r === 'string' && r.includes(`:${SECONDARY}:`)) as string[];
    expect(secondaryResources.filter((r) => !/event-bus\/orders$|parameter\/eventbridge-connector\/orders|\/orders\.\*$|connection\/orders\.\*$|eventbridge-connector[/-]orders/.test(r))).toEqual([]);
  });

  test('a given secondary trust anchor ARN narrows the trust to it', () => {
    const arn = `arn:aws:rolesanywhere:${SECONDARY}:${ACCOUNT}:trust-anchor/0123abcd-0123-4567-89ab-0123456789ab`;
    const { primaryStack: p } = twoRegionApp({ globalEndpoint: { secondaryTrustAnchorArn: arn } });
    const [role] = Object.values(Template.fromStack(p).findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } }));
    expect(role.Properties.AssumeRolePolicyDocument.Statement[1].Condition.ArnEquals).toEqual({ 'aws:SourceArn': arn });
  });
});

test('stacks with a literal region and the CLI\'s account (as docs/multi-region.md) synthesize cdk-nag clean, the ARNs built on the account token', () => {
  const app = new App();
  const p = new Stack(app, 'OrdersPrimary', { env: { region: PRIMARY } });
  const s = new Stack(app, 'OrdersSecondary', { env: { region: SECONDARY } });
  const connector = new EventBridgeConnector(p, 'Orders', {
    eventBusName: 'orders', secondaryRegion: SECONDARY, authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
  });
  connector.addQueueReceiver('Inbox');
  new SecondaryRegionConnector(s, 'Orders', { primary: connector.secondaryRegionAttributes! }).addQueueReceiver('Inbox');
  Template.fromStack(p).hasResourceProperties('AWS::Events::Endpoint', {
    EventBuses: [Match.anyValue(), { EventBusArn: { 'Fn::Join': ['', [`arn:aws:events:${SECONDARY}:`, { Ref: 'AWS::AccountId' }, ':event-bus/orders']] } }],
  });
  Template.fromStack(s).hasResourceProperties('AWS::RolesAnywhere::Profile', {
    RoleArns: [{ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, `:role/${connector.secondaryRegionAttributes!.roleName}`]] }],
  });
  expect(findings(app)).toEqual([]);
});

describe('a multi-region connector refuses at synthesis', () => {
  const auth = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
  const stack = (region: string | undefined = PRIMARY, account: string | undefined = ACCOUNT) => new Stack(new App(), 'Orders', { env: { account, region } });

  test('a generated bus name, naming the missing eventBusName', () => {
    expect(() => new EventBridgeConnector(stack(), 'Orders', { secondaryRegion: SECONDARY, authentication: auth }))
      .toThrow(`connector bus has a generated name and secondaryRegion '${SECONDARY}' is set: a multi-region connector needs eventBusName`);
  });

  test('the same region twice', () => {
    expect(() => new EventBridgeConnector(stack(), 'Orders', { eventBusName: 'orders', secondaryRegion: PRIMARY, authentication: auth }))
      .toThrow(`invalid secondaryRegion '${PRIMARY}': it is the stack's region too, expected another region`);
  });

  test('an environment-agnostic stack', () => {
    const agnostic = new Stack(new App(), 'Orders');
    expect(() => new EventBridgeConnector(agnostic, 'Orders', { eventBusName: 'orders', secondaryRegion: SECONDARY, authentication: auth }))
      .toThrow(`invalid secondaryRegion '${SECONDARY}': the stack is environment-agnostic, expected a stack with env.region`);
  });

  test('an imported bus of another account', () => {
    const s = stack();
    const eventBus = events.EventBus.fromEventBusArn(s, 'Foreign', `arn:aws:events:${PRIMARY}:210987654321:event-bus/orders`);
    expect(() => new EventBridgeConnector(s, 'Orders', { eventBus, secondaryRegion: SECONDARY, authentication: auth }))
      .toThrow(/^invalid eventBus 'arn:aws:events:eu-west-1:210987654321:event-bus\/orders': .*210987654321/);
  });

  test('static credentials, whose secret is regional', () => {
    expect(() => new EventBridgeConnector(stack(), 'Orders', { eventBusName: 'orders', secondaryRegion: SECONDARY, authentication: ConnectorAuthentication.staticCredentials() }))
      .toThrow(`invalid secondaryRegion '${SECONDARY}': the connector uses static credentials`);
  });

  test('global endpoint options without a secondary region', () => {
    expect(() => new EventBridgeConnector(stack(), 'Orders', { eventBusName: 'orders', globalEndpoint: { replication: false }, authentication: auth }))
      .toThrow("connector 'Orders' has globalEndpoint options but no secondaryRegion");
  });

  test('a single-region connector is unchanged: no endpoint, no multi-region keys, a generated role name', () => {
    const s = stack();
    const c = new EventBridgeConnector(s, 'Orders', { authentication: auth });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Events::Endpoint', 0);
    expect(c.parameters.keys).not.toEqual(expect.arrayContaining([ParameterKeys.ENDPOINT_ID]));
    expect([c.globalEndpoint, c.secondaryRegionAttributes]).toEqual([undefined, undefined]);
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: Match.absent(), AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'rolesanywhere.amazonaws.com' } })] } });
  });
});

describe('the secondary region connector refuses at synthesis', () => {
  const { connector } = twoRegionApp();
  const attributes = connector.secondaryRegionAttributes!;

  test('a stack of another region than the secondary, saying when it is the primary', () => {
    const s = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: PRIMARY } });
    expect(() => new SecondaryRegionConnector(s, 'Orders', { primary: attributes }))
      .toThrow(`invalid stack region '${PRIMARY}' for the secondary region connector: expected the connector's secondaryRegion '${SECONDARY}' (this is the primary region)`);
  });

  test('an environment-agnostic stack', () => {
    expect(() => new SecondaryRegionConnector(new Stack(new App(), 'S'), 'Orders', { primary: attributes }))
      .toThrow(`invalid stack region for the secondary region connector: the stack is environment-agnostic, expected a stack with env.region '${SECONDARY}'`);
  });

  test('the same region twice, and no CA to trust', () => {
    const s = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: SECONDARY } });
    expect(() => new SecondaryRegionConnector(s, 'A', { primary: { ...attributes, primaryRegion: SECONDARY } }))
      .toThrow(`invalid secondaryRegion '${SECONDARY}': it is the primaryRegion too, expected another region`);
    expect(() => new SecondaryRegionConnector(s, 'B', { primary: { ...attributes, caCertificates: undefined } }))
      .toThrow('secondary region connector needs a CA to trust: the primary was given a trust anchor, not caCertificates, so give trustAnchor');
  });

  test('a trust anchor of its region replaces the CA bundle', () => {
    const s = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: SECONDARY } });
    const trustAnchor = TrustAnchor.fromTrustAnchorArn(s, 'Anchor', `arn:aws:rolesanywhere:${SECONDARY}:${ACCOUNT}:trust-anchor/0123abcd-0123-4567-89ab-0123456789ab`);
    new SecondaryRegionConnector(s, 'Orders', { primary: { ...attributes, caCertificates: undefined }, trustAnchor });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 0);
    expect(contractOf(t)[ParameterKeys.TRUST_ANCHOR_ARN]).toBe(trustAnchor.trustAnchorArn);
  });
});
