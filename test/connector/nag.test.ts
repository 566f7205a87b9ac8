// cdk-nag's AwsSolutions pack on every combination of the library's constructs a user may write:
// no unacknowledged finding on what the library creates, and every acknowledgement is the
// library's own, with a reason.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { EXAMPLE_CA } from './fixtures';
import {
  ConnectorAuthentication,
  ConnectorParameters,
  EventBridgeConnector,
  Profile,
  RolesAnywherePrincipal,
  TrustAnchor,
  TrustAnchorSource,
} from '../../src';
import { findings } from '../support/nag';

const ENDPOINT = 'https://orders.example.com/events';

function acknowledgements(scope: IConstruct) {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

const COMBINATIONS: Array<[string, (stack: Stack) => void]> = [
  ['a connector in session mode', (s) => {
    new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
  }],
  ['a connector in session mode with an archive and a receiver', (s) => {
    const c = new EventBridgeConnector(s, 'Orders', { archive: {}, authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
    c.addReceiver('Receiver', { endpoint: ENDPOINT });
  }],
  ['a connector in static mode', (s) => {
    new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.staticCredentials() });
  }],
  ['a connector in static mode with a receiver', (s) => {
    new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.staticCredentials() }).addReceiver('Receiver', { endpoint: ENDPOINT });
  }],
  ['grantRead of a session-mode contract to an application role', (s) => {
    const c = new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
    c.parameters.grantRead(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
  }],
  ['grantRead of a static-mode contract imported by path', (s) => {
    const p = ConnectorParameters.fromPathAttributes(s, 'Orders', { parameterPath: '/eventbridge-connector/orders', staticCredentials: true });
    p.grantRead(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
  }],
  ['the Roles Anywhere constructs alone', (s) => {
    const trustAnchor = new TrustAnchor(s, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(EXAMPLE_CA) });
    const role = new iam.Role(s, 'Role', { assumedBy: new RolesAnywherePrincipal(trustAnchor) });
    new Profile(s, 'Profile', { roles: [role] });
  }],
];

describe('AwsSolutions checks', () => {
  test.each(COMBINATIONS)('%s: no unacknowledged finding', (_what, build) => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: { account: '123456789012', region: 'eu-west-1' } });
    build(stack);
    Template.fromStack(stack);
    expect(findings(app)).toEqual([]);
  });

  test('each acknowledgement sits on a resource the library made and names its scoped wildcard or reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders');
    new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
    new EventBridgeConnector(stack, 'Billing', { authentication: ConnectorAuthentication.staticCredentials() });
    const acks = acknowledgements(app);
    expect(acks.map((a) => `${a.path} ${a.id.replace(/^annotation::/i, '')}`).sort()).toEqual([
      'Orders/Billing/StaticCredentials/SecretKey AwsSolutions-SMG4',
      'Orders/Billing/StaticCredentials/User AwsSolutions-IAM5[Resource::*]',
      'Orders/Billing/StaticCredentials/User AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:api-destination/billing.*]',
      'Orders/Billing/StaticCredentials/User AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:connection/billing.*]',
      'Orders/Billing/StaticCredentials/User AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:events!connection/billing.*]',
      'Orders/Orders/Role AwsSolutions-IAM5[Resource::*]',
      'Orders/Orders/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:api-destination/orders.*]',
      'Orders/Orders/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:connection/orders.*]',
      'Orders/Orders/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:events!connection/orders.*]',
    ]);
    for (const a of acks) expect(a.reason).toMatch(/prefix|no resource type|IAM access key/);
  });
});
