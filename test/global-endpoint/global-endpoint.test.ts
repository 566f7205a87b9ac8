// GlobalEndpoint: the endpoint over two buses of one name, AWS's default health check, the
// least-privilege replication role, the grant, the importer, and what synthesis refuses.
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GlobalEndpoint } from '../../src';
import { findings } from '../support/nag';

const ACCOUNT = '123456789012';
const SECONDARY_BUS = `arn:aws:events:us-west-2:${ACCOUNT}:event-bus/orders`;

function stack(region = 'us-east-1'): Stack {
  return new Stack(new App(), 'Orders', { env: { account: ACCOUNT, region } });
}

function endpointOf(s: Stack, props: Partial<ConstructorParameters<typeof GlobalEndpoint>[2]> = {}): GlobalEndpoint {
  const eventBus = new events.EventBus(s, 'Bus', { eventBusName: 'orders' });
  return new GlobalEndpoint(s, 'Endpoint', { eventBus, secondaryRegion: 'us-west-2', ...props });
}

describe('GlobalEndpoint', () => {
  test('routes between the bus and the one of the same name in the secondary region, failing over by AWS\'s health check', () => {
    const s = stack();
    const endpoint = endpointOf(s);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Endpoint', {
      EventBuses: [{ EventBusArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] } }, { EventBusArn: SECONDARY_BUS }],
      RoutingConfig: {
        FailoverConfig: {
          Primary: { HealthCheck: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::healthcheck/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointHealthCheck'), 'HealthCheckId'] }]] } },
          Secondary: { Route: 'us-west-2' },
        },
      },
      ReplicationConfig: { State: 'ENABLED' },
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointReplicationRole'), 'Arn'] },
    });
    // AWS's template (eb-ge-cfn): average latency above 30 s for 5 minutes, missing data breaching.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'IngestionToInvocationStartLatency',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 5,
      Threshold: 30000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: { Ref: Match.stringLikeRegexp('^EndpointHealthCheckAlarm') }, Region: 'us-east-1' } },
    });
    expect(endpoint.secondaryEventBusArn).toBe(SECONDARY_BUS);
    expect(endpoint.eventBusName).toBe('orders');
  });

  test('the replication role may only put events on the two buses, and only EventBridge assumes it', () => {
    const s = stack();
    endpointOf(s);
    const roles = Template.fromStack(s).findResources('AWS::IAM::Role');
    const [role] = Object.values(roles);
    expect(Object.keys(roles)).toHaveLength(1);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }]);
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'Replication',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] }, SECONDARY_BUS] }] },
    }]);
    expect(Template.fromStack(s).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('replication: false creates no role and disables replication', () => {
    const s = stack();
    const endpoint = endpointOf(s, { replication: false });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::Events::Endpoint', { ReplicationConfig: { State: 'DISABLED' }, RoleArn: Match.absent() });
    expect(endpoint.replicationRole).toBeUndefined();
  });

  test('a health check id of your own replaces the alarm and the health check', () => {
    const s = stack();
    endpointOf(s, { healthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789' });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.resourceCountIs('AWS::Route53::HealthCheck', 0);
    t.hasResourceProperties('AWS::Events::Endpoint', {
      RoutingConfig: { FailoverConfig: { Primary: { HealthCheck: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::healthcheck/abcdef01-2345-6789-abcd-ef0123456789']] } } } },
    });
  });

  test('the alarm takes another metric, threshold, periods and missing-data rule', () => {
    const s = stack();
    const metric = new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', statistic: 'Sum' });
    endpointOf(s, { healthCheckAlarm: { metric, threshold: 5, evaluationPeriods: 2, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING } });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedInvocations', Statistic: 'Sum', Threshold: 5, EvaluationPeriods: 2, TreatMissingData: 'notBreaching',
    });
  });

  test('grantPutEvents allows events:PutEvents on both regions\' buses and nothing else', () => {
    const s = stack();
    const endpoint = endpointOf(s);
    const app = new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    endpoint.grantPutEvents(app);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] }, SECONDARY_BUS] }] },
    });
  });

  test('fromEndpointAttributes builds both buses\' ARNs from the name and grants on them', () => {
    const s = stack('eu-west-1');
    const endpoint = GlobalEndpoint.fromEndpointAttributes(s, 'Imported', {
      endpointArn: `arn:aws:events:eu-west-1:${ACCOUNT}:endpoint/orders`, endpointId: 'abcde.xyz', eventBusName: 'orders', secondaryRegion: 'eu-central-1',
    });
    expect([endpoint.primaryEventBusArn, endpoint.secondaryEventBusArn, endpoint.endpointId]).toEqual([
      `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/orders`, `arn:aws:events:eu-central-1:${ACCOUNT}:event-bus/orders`, 'abcde.xyz',
    ]);
    expect(s.resolve(endpoint.endpointUrl)).toEqual({ 'Fn::Join': ['', ['https://abcde.xyz.endpoint.events.', { Ref: 'AWS::URLSuffix' }]] });
    const given = GlobalEndpoint.fromEndpointAttributes(s, 'Given', {
      endpointArn: `arn:aws:events:eu-west-1:${ACCOUNT}:endpoint/orders`,
      endpointId: 'abcde.xyz',
      eventBusName: 'orders',
      secondaryRegion: 'eu-central-1',
      endpointUrl: 'https://abcde.xyz.endpoint.events.example.test',
    });
    expect(given.endpointUrl).toBe('https://abcde.xyz.endpoint.events.example.test');
    const grant = endpoint.grantPutEvents(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    expect(grant.success).toBe(true);
    expect(() => GlobalEndpoint.fromEndpointAttributes(s, 'Bad', { endpointArn: 'arn:aws:events:eu-west-1:1:rule/x', endpointId: 'a.b', eventBusName: 'orders', secondaryRegion: 'eu-central-1' }))
      .toThrow("invalid endpointArn 'arn:aws:events:eu-west-1:1:rule/x': expected a global endpoint ARN");
  });

  test('cdk-nag finds nothing to report', () => {
    const s = stack();
    endpointOf(s);
    Template.fromStack(s);
    expect(findings(s)).toEqual([]);
  });
});

describe('GlobalEndpoint refuses at synthesis', () => {
  test('a bus whose name CDK generates, naming the bus', () => {
    const s = stack();
    const eventBus = new events.EventBus(s, 'Bus');
    expect(() => new GlobalEndpoint(s, 'Endpoint', { eventBus, secondaryRegion: 'us-west-2' }))
      .toThrow("invalid eventBus 'Orders/Bus': its name is generated or a token, expected a bus created with a literal eventBusName");
  });

  test('a bus named by a token', () => {
    const s = stack();
    const eventBus = new events.EventBus(s, 'Bus', { eventBusName: new CfnParameter(s, 'Name').valueAsString });
    expect(() => new GlobalEndpoint(s, 'Endpoint', { eventBus, secondaryRegion: 'us-west-2' })).toThrow(/invalid eventBus 'Orders\/Bus': its name is generated or a token/);
  });

  test('the default bus', () => {
    const s = stack();
    const eventBus = events.EventBus.fromEventBusName(s, 'Default', 'default');
    expect(() => new GlobalEndpoint(s, 'Endpoint', { eventBus, secondaryRegion: 'us-west-2' })).toThrow("invalid eventBus name 'default': expected a custom bus");
  });

  test('the stack\'s own region as the secondary', () => {
    expect(() => endpointOf(stack(), { secondaryRegion: 'us-east-1' }))
      .toThrow("invalid secondaryRegion 'us-east-1': it is the stack's region too, expected another region");
  });

  test('a secondary region of another partition, and one that is no region code', () => {
    expect(() => endpointOf(stack(), { secondaryRegion: 'cn-north-1' }))
      .toThrow("invalid secondaryRegion 'cn-north-1': it is in partition aws-cn and the stack's region us-east-1 in aws, expected a region of aws");
    expect(() => endpointOf(stack(), { secondaryRegion: 'Oregon' })).toThrow("invalid secondaryRegion 'Oregon': expected a region code such as eu-west-1");
  });

  test('an imported bus of another account or region, naming its ARN', () => {
    const s = stack();
    const foreign = events.EventBus.fromEventBusArn(s, 'Foreign', 'arn:aws:events:us-east-1:210987654321:event-bus/orders');
    expect(() => new GlobalEndpoint(s, 'Endpoint', { eventBus: foreign, secondaryRegion: 'us-west-2' }))
      .toThrow(/^invalid eventBus 'arn:aws:events:us-east-1:210987654321:event-bus\/orders': .*account 210987654321/);
    const elsewhere = events.EventBus.fromEventBusArn(s, 'Elsewhere', `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/orders`);
    expect(() => new GlobalEndpoint(s, 'Endpoint2', { eventBus: elsewhere, secondaryRegion: 'us-west-2' }))
      .toThrow(/^invalid eventBus 'arn:aws:events:eu-west-1:123456789012:event-bus\/orders': .*eu-west-1/);
  });

  test('a malformed endpoint name, a health check ARN for its id, and a health check id with alarm options', () => {
    expect(() => endpointOf(stack(), { endpointName: 'orders endpoint' })).toThrow("invalid endpointName 'orders endpoint': expected 1 to 64 letters, digits, '.', '-' or '_'");
    expect(() => endpointOf(stack(), { healthCheckId: 'arn:aws:route53:::healthcheck/abc' }))
      .toThrow("invalid healthCheckId 'arn:aws:route53:::healthcheck/abc': expected a Route 53 health check id");
    expect(() => endpointOf(stack(), { healthCheckId: 'abc', healthCheckAlarm: { threshold: 1 } })).toThrow("invalid healthCheckId 'abc': healthCheckAlarm is given too");
    expect(() => endpointOf(stack(), { healthCheckAlarm: { evaluationPeriods: 0 } })).toThrow("invalid healthCheckAlarm evaluationPeriods '0': expected a whole number, at least 1");
  });

  test('tokens pass: a secondary region from a parameter', () => {
    const s = stack();
    const region = new CfnParameter(s, 'Secondary').valueAsString;
    expect(() => endpointOf(s, { secondaryRegion: region })).not.toThrow();
  });
});
