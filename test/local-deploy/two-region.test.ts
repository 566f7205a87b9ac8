// The reference app's two-region stacks deployed on one moto: the secondary region's stack into
// us-west-2, then the primary's into us-east-1, its AWS::Events::Endpoint (which moto lacks)
// recorded with the EndpointId the contract carries, and refused before its secondary bus exists.
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App } from 'aws-cdk-lib';
import { addTwoRegionStacks, TWO_REGION_EVENT_BUS_NAME, TWO_REGION_PARAMETER_PATH, TWO_REGION_PRIMARY, TWO_REGION_SECONDARY } from '../../examples/reference/two-region-stacks';
import { ParameterKeys } from '../../src/contract';
import { deployLocally } from '../../src/local/deploy';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { EXAMPLE_CA } from '../connector/fixtures';
import { PRIMARY as FIXTURE_PRIMARY, SECONDARY as FIXTURE_SECONDARY, twoRegionApp } from '../secondary-region/fixtures';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let rolesAnywhere: RolesAnywhereService;

beforeAll(async () => {
  moto = await startMoto();
  rolesAnywhere = await startRolesAnywhereService({ stsEndpoint: moto.endpoint });
});

afterAll(async () => {
  await rolesAnywhere?.stop();
  await moto?.stop();
});

/** Both templates, synthesized without an account as `npx cdk synth` does. */
function templates() {
  const app = new App();
  const { primaryStack, secondaryStack } = addTwoRegionStacks(app, { caCertificates: EXAMPLE_CA });
  const assembly = app.synth();
  return { primary: assembly.getStackByName(primaryStack.stackName).template, secondary: assembly.getStackByName(secondaryStack.stackName).template };
}

async function contractIn(region: string): Promise<Record<string, string>> {
  const ssm = new SSMClient({ region, endpoint: moto.endpoint, credentials: CREDENTIALS });
  const contract: Record<string, string> = {};
  try {
    let token: string | undefined;
    do {
      const answer = await ssm.send(new GetParametersByPathCommand({ Path: TWO_REGION_PARAMETER_PATH, NextToken: token }));
      for (const p of answer.Parameters ?? []) contract[p.Name!.slice(TWO_REGION_PARAMETER_PATH.length + 1)] = p.Value!;
      token = answer.NextToken;
    } while (token);
    return contract;
  } finally {
    ssm.destroy();
  }
}

test('the primary stack is refused before the secondary region\'s bus exists, before anything is created', async () => {
  await expect(deployLocally({ template: templates().primary, stackName: 'OrdersGlobalPrimary', endpoint: moto.endpoint, region: TWO_REGION_PRIMARY, rolesAnywhere }))
    .rejects.toThrow(`routes to arn:aws:events:${TWO_REGION_SECONDARY}:123456789012:event-bus/${TWO_REGION_EVENT_BUS_NAME}, which does not exist: deploy the secondary region's stack (${TWO_REGION_SECONDARY}) first`);
  expect(await contractIn(TWO_REGION_PRIMARY)).toEqual({});
});

test('the secondary stack deploys into us-west-2 and the primary into us-east-1, its global endpoint recorded with the contract\'s EndpointId', async () => {
  const { primary, secondary } = templates();
  const second = await deployLocally({ template: secondary, stackName: 'OrdersGlobalSecondary', endpoint: moto.endpoint, region: TWO_REGION_SECONDARY, rolesAnywhere });
  expect(second.globalEndpoints).toEqual([]);
  const events = new EventBridgeClient({ region: TWO_REGION_SECONDARY, endpoint: moto.endpoint, credentials: CREDENTIALS });
  const bus = await events.send(new DescribeEventBusCommand({ Name: TWO_REGION_EVENT_BUS_NAME })).finally(() => events.destroy());
  expect(bus.Arn).toBe(`arn:aws:events:${TWO_REGION_SECONDARY}:123456789012:event-bus/${TWO_REGION_EVENT_BUS_NAME}`);

  const first = await deployLocally({ template: primary, stackName: 'OrdersGlobalPrimary', endpoint: moto.endpoint, region: TWO_REGION_PRIMARY, rolesAnywhere });
  const [endpoint] = first.globalEndpoints;
  expect(first.globalEndpoints).toHaveLength(1);
  expect(endpoint).toMatchObject({
    primaryRegion: TWO_REGION_PRIMARY,
    secondaryRegion: TWO_REGION_SECONDARY,
    eventBusName: TWO_REGION_EVENT_BUS_NAME,
    replication: true,
    endpointId: expect.stringMatching(/^[a-z0-9]{5}\.[a-z0-9]{3}$/),
    arn: `arn:aws:events:${TWO_REGION_PRIMARY}:123456789012:endpoint/${endpoint.name}`,
  });
  const byType = (type: string) => first.resources.filter((r) => r.type === type);
  expect(byType('AWS::Events::Endpoint')).toEqual([expect.objectContaining({ deployedBy: 'global-endpoint', physicalId: endpoint.name })]);
  // moto's CloudFormation creates the health check; the endpoint names it by the id its Ref gives.
  const [healthCheck] = byType('AWS::Route53::HealthCheck');
  expect(healthCheck.deployedBy).toBe('cloudformation');
  expect(endpoint.healthCheckArn).toBe(`arn:aws:route53:::healthcheck/${healthCheck.physicalId}`);
  expect(byType('AWS::CloudWatch::Alarm').every((r) => r.deployedBy === 'not-deployed')).toBe(true);
  expect(byType('AWS::IAM::ManagedPolicy').map((r) => r.deployedBy)).toEqual(['cloudformation']);
  expect(first.workarounds.join('\n')).toMatch(/Fn::GetAtt HealthCheckId of AWS::Route53::HealthCheck replaced by its Ref/);
  expect(first.workarounds.join('\n')).toContain(`EndpointId ${endpoint.endpointId}, ${TWO_REGION_PRIMARY} failing over to ${TWO_REGION_SECONDARY}`);

  // Each region's contract, as the runtime reads it.
  const primaryContract = await contractIn(TWO_REGION_PRIMARY);
  expect(primaryContract).toMatchObject({
    [ParameterKeys.ENDPOINT_ID]: endpoint.endpointId,
    [ParameterKeys.ENDPOINT_ARN]: endpoint.arn,
    [ParameterKeys.SECONDARY_REGION]: TWO_REGION_SECONDARY,
    [ParameterKeys.REGION]: TWO_REGION_PRIMARY,
  });
  const secondaryContract = await contractIn(TWO_REGION_SECONDARY);
  expect(secondaryContract).toMatchObject({
    [ParameterKeys.REGION]: TWO_REGION_SECONDARY,
    [ParameterKeys.PRIMARY_REGION]: TWO_REGION_PRIMARY,
    [ParameterKeys.EVENT_BUS_ARN]: bus.Arn,
    [ParameterKeys.ROLE_ARN]: primaryContract[ParameterKeys.ROLE_ARN],
  });
  expect(secondaryContract[ParameterKeys.ENDPOINT_ID]).toBeUndefined();
  expect(secondaryContract[ParameterKeys.TRUST_ANCHOR_ARN]).toMatch(new RegExp(`^arn:aws:rolesanywhere:${TWO_REGION_SECONDARY}:123456789012:trust-anchor/`));
});

test('a two-region app with both receivers in both regions and an explicit account deploys too', async () => {
  const { app, primaryStack, secondaryStack } = twoRegionApp();
  const assembly = app.synth();
  const deploy = (stackName: string, region: string) =>
    deployLocally({ template: assembly.getStackByName(stackName).template, stackName, endpoint: moto.endpoint, region, rolesAnywhere });
  const second = await deploy(secondaryStack.stackName, FIXTURE_SECONDARY);
  const first = await deploy(primaryStack.stackName, FIXTURE_PRIMARY);
  // The API destination path of each region: its connection, destination and API key secret through moto's APIs.
  for (const result of [second, first]) {
    expect(result.resources.filter((r) => ['AWS::Events::Connection', 'AWS::Events::ApiDestination', 'AWS::SecretsManager::Secret'].includes(r.type)).map((r) => r.deployedBy))
      .toEqual(['service-api', 'service-api', 'service-api']);
  }
  expect(first.globalEndpoints).toEqual([expect.objectContaining({ primaryRegion: FIXTURE_PRIMARY, secondaryRegion: FIXTURE_SECONDARY, eventBusName: 'orders' })]);
});

describe('an AWS::Events::Endpoint is checked as CreateEndpoint documents it before it is recorded', () => {
  const SECONDARY_BUS = `arn:aws:events:${TWO_REGION_SECONDARY}:123456789012:event-bus/${TWO_REGION_EVENT_BUS_NAME}`;
  /** A template of one endpoint (and a parameter, since moto wants a resource in the stack). */
  const template = (stackName: string, endpoint: Record<string, unknown>) => ({
    Resources: {
      Marker: { Type: 'AWS::SSM::Parameter', Properties: { Name: `/${stackName}/marker`, Type: 'String', Value: 'x' } },
      Endpoint: {
        Type: 'AWS::Events::Endpoint',
        Properties: {
          Name: 'orders-endpoint',
          EventBuses: [{ EventBusArn: `arn:aws:events:${TWO_REGION_PRIMARY}:123456789012:event-bus/${TWO_REGION_EVENT_BUS_NAME}` }, { EventBusArn: SECONDARY_BUS }],
          RoutingConfig: { FailoverConfig: { Primary: { HealthCheck: 'arn:aws:route53:::healthcheck/abc' }, Secondary: { Route: TWO_REGION_SECONDARY } } },
          ReplicationConfig: { State: 'DISABLED' },
          ...endpoint,
        },
      },
    },
  });
  let n = 0;
  const deploy = (endpoint: Record<string, unknown>) => {
    const stackName = `Endpoint${n++}`;
    return deployLocally({ template: template(stackName, endpoint) as never, stackName, endpoint: moto.endpoint, region: TWO_REGION_PRIMARY });
  };

  test('buses of two names are refused', async () => {
    const other = `arn:aws:events:${TWO_REGION_PRIMARY}:123456789012:event-bus/other`;
    await expect(deploy({ EventBuses: [{ EventBusArn: other }, { EventBusArn: SECONDARY_BUS }] }))
      .rejects.toThrow(/invalid EventBuses .* of a global endpoint: expected two buses of one name/);
  });

  test('a secondary route of the stack\'s own region is refused', async () => {
    await expect(deploy({ RoutingConfig: { FailoverConfig: { Primary: { HealthCheck: 'arn:aws:route53:::healthcheck/abc' }, Secondary: { Route: TWO_REGION_PRIMARY } } } }))
      .rejects.toThrow(`invalid RoutingConfig.FailoverConfig.Secondary.Route '${TWO_REGION_PRIMARY}' of global endpoint Endpoint: expected a region other than the stack's ${TWO_REGION_PRIMARY}`);
  });

  test('replication without a role is refused; without replication the endpoint is recorded as such', async () => {
    await expect(deploy({ ReplicationConfig: { State: 'ENABLED' } }))
      .rejects.toThrow("missing RoleArn of global endpoint Endpoint: replication is 'ENABLED', expected the role EventBridge replicates with");
    const result = await deploy({});
    expect(result.globalEndpoints).toEqual([expect.objectContaining({ name: 'orders-endpoint', replication: false, healthCheckArn: 'arn:aws:route53:::healthcheck/abc' })]);
  });
});
