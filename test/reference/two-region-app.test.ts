// The reference app's multi-region connector (examples/reference/two-region-stacks.ts): both
// stacks as recorded, cdk-nag clean beside the single-region stacks of the same app (cfn-lint runs
// on every template through test/support), and what each region gets.
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REFERENCE_PARAMETER_PATH, ReferenceConnectorStack, ReferenceConsumerStack } from '../../examples/reference/stacks';
import {
  addTwoRegionStacks,
  TWO_REGION_EVENT_BUS_NAME,
  TWO_REGION_PARAMETER_PATH,
  TWO_REGION_PRIMARY,
  TWO_REGION_RESOURCE_NAME_PREFIX,
  TWO_REGION_SECONDARY,
} from '../../examples/reference/two-region-stacks';
import { ParameterKeys } from '../../src/contract';
import { EXAMPLE_CA } from '../connector/fixtures';
import { findings } from '../support/nag';

/** The whole reference app, as examples/reference/app.ts builds it. */
function referenceApp() {
  const app = new App();
  const connector = new ReferenceConnectorStack(app, 'OrdersConnector', { caCertificates: EXAMPLE_CA });
  new ReferenceConsumerStack(app, 'OrdersConsumer', { parameterPath: REFERENCE_PARAMETER_PATH }).addStackDependency(connector);
  return { app, ...addTwoRegionStacks(app, { caCertificates: EXAMPLE_CA }) };
}

/** `key -> value` of the contract parameters a template writes. */
function contractOf(template: Template): Record<string, unknown> {
  const parameters = Object.values(template.findResources('AWS::SSM::Parameter')) as Array<{ Properties: { Name: string; Value: unknown } }>;
  return Object.fromEntries(parameters.map((p) => [p.Properties.Name.slice(TWO_REGION_PARAMETER_PATH.length + 1), p.Properties.Value]));
}

describe('the reference app\'s two-region stacks', () => {
  const { app, primaryStack, secondaryStack, connector } = referenceApp();
  const primary = Template.fromStack(primaryStack);
  const secondary = Template.fromStack(secondaryStack);

  test('synthesize the primary stack as recorded', () => {
    expect(primary.toJSON()).toMatchSnapshot();
  });

  test('synthesize the secondary stack as recorded', () => {
    expect(secondary.toJSON()).toMatchSnapshot();
  });

  test('cdk-nag finds nothing in the whole app, and passes as a validation plugin at synth', () => {
    expect(findings(app)).toEqual([]);
    const checked = referenceApp();
    Validations.of(checked.app).addPlugins(new AwsSolutionsChecks(checked.app));
    expect(() => checked.app.synth()).not.toThrow();
  });

  test('each stack is in its region; the primary depends on the secondary, which refers to nothing of it', () => {
    expect([primaryStack.region, secondaryStack.region]).toEqual([TWO_REGION_PRIMARY, TWO_REGION_SECONDARY]);
    expect(primaryStack.dependencies).toEqual([secondaryStack]);
    expect(JSON.stringify(secondary.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader|CrossRegion/);
  });

  test('the primary has the endpoint over both regions\' bus of one name, its health check, alarm and replication role', () => {
    primary.hasResourceProperties('AWS::Events::EventBus', { Name: TWO_REGION_EVENT_BUS_NAME });
    primary.hasResourceProperties('AWS::Events::Endpoint', {
      EventBuses: [
        { EventBusArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersEventBus'), 'Arn'] } },
        { EventBusArn: { 'Fn::Join': ['', [`arn:aws:events:${TWO_REGION_SECONDARY}:`, { Ref: 'AWS::AccountId' }, `:event-bus/${TWO_REGION_EVENT_BUS_NAME}`]] } },
      ],
      RoutingConfig: { FailoverConfig: { Secondary: { Route: TWO_REGION_SECONDARY } } },
      ReplicationConfig: { State: 'ENABLED' },
    });
    primary.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ Type: 'CLOUDWATCH_METRIC' }) });
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IngestionToInvocationStartLatency', Namespace: 'AWS/Events' });
    primary.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] } });
    const contract = contractOf(primary);
    expect(contract[ParameterKeys.ENDPOINT_ID]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersGlobalEndpoint/), 'EndpointId'] });
    expect(contract[ParameterKeys.SECONDARY_REGION]).toBe(TWO_REGION_SECONDARY);
    expect(contract[ParameterKeys.RESOURCE_NAME_PREFIX]).toBe(TWO_REGION_RESOURCE_NAME_PREFIX);
  });

  test('the secondary has the bus of the same name, Roles Anywhere of its region listing the role, its queue and its contract', () => {
    secondary.hasResourceProperties('AWS::Events::EventBus', { Name: TWO_REGION_EVENT_BUS_NAME });
    secondary.resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 1);
    secondary.hasResourceProperties('AWS::RolesAnywhere::Profile', {
      RoleArns: [{ 'Fn::Join': ['', Match.arrayWith([`:role/${connector.secondaryRegionAttributes!.roleName}`])] }],
      DurationSeconds: 3600,
    });
    secondary.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'eventbridge-connector-orders-global-inbox' });
    const contract = contractOf(secondary);
    expect(contract[ParameterKeys.REGION]).toBe(TWO_REGION_SECONDARY);
    expect(contract[ParameterKeys.PRIMARY_REGION]).toBe(TWO_REGION_PRIMARY);
    expect(contract[ParameterKeys.ENDPOINT_ID]).toBeUndefined();
  });
});
