// Bad input fails at synthesis with a message that names the bad value and says what was expected.
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { EXAMPLE_CA, newStack } from './fixtures';
import {
  ConnectorActivity,
  ConnectorAuthentication,
  ConnectorParameters,
  ConnectorPermissions,
  EventBridgeConnector,
  EventBridgeConnectorProps,
  StaticCredentials,
  TrustAnchor,
  TrustAnchorSource,
} from '../../src';

const ca = (options: Parameters<typeof ConnectorAuthentication.rolesAnywhere>[0] = {}) =>
  ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, ...options });

function connector(props: EventBridgeConnectorProps, id = 'Orders'): () => void {
  return () => new EventBridgeConnector(newStack(), id, props);
}

function parameters(overrides: Record<string, unknown>): () => void {
  return () => {
    const stack = newStack();
    const eventBus = new events.EventBus(stack, 'Bus');
    new ConnectorParameters(stack, 'Parameters', {
      parameterPath: '/eventbridge-connector/orders',
      eventBus,
      resourceNamePrefix: 'orders.',
      session: {
        roleArn: 'arn:aws:iam::123456789012:role/r',
        profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/6d3f1f0e-8f3a-4a57-9bd5-2f1f5f0f3a11',
        trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0c9a1f6e-2b1d-4c55-8e0a-7f2b9d1e4c22',
        durationSeconds: 3600,
      },
      ...overrides,
    } as any);
  };
}

function written(action: (p: ConnectorParameters, stack: Stack) => unknown): () => void {
  return () => {
    const stack = newStack();
    const c = new EventBridgeConnector(stack, 'Orders', { authentication: ca() });
    action(c.parameters, stack);
  };
}

const BAD_INPUTS: Array<[string, () => unknown, RegExp]> = [
  // Paths and names
  ['a parameter path without a leading /', connector({ authentication: ca(), parameterPath: 'eventbridge-connector/orders' }), /invalid parameter path 'eventbridge-connector\/orders': expected a path such as/],
  ['a parameter path with a trailing /', connector({ authentication: ca(), parameterPath: '/eventbridge-connector/orders/' }), /invalid parameter path '\/eventbridge-connector\/orders\/'/],
  ['a parameter path under the reserved aws prefix', connector({ authentication: ca(), parameterPath: '/aws/orders' }), /invalid parameter path '\/aws\/orders': paths may not begin with 'aws' or 'ssm'/],
  ['a parameter path with a space', connector({ authentication: ca(), parameterPath: '/eventbridge connector/orders' }), /invalid parameter path '\/eventbridge connector\/orders'/],
  ['an id with no letter or digit to name the default path', connector({ authentication: ca() }, '--'), /invalid connector id '--': expected ASCII letters or digits to derive the parameter path and resource name prefix from, or set parameterPath and resourceNamePrefix/],
  ['a resource name prefix with a space', connector({ authentication: ca(), resourceNamePrefix: 'orders app.' }), /invalid resourceNamePrefix 'orders app\.': expected 1 to 39 letters, digits, '-' or '_' ended by one '\.', such as 'orders-app\.'/],
  ['a resource name prefix with a wildcard', connector({ authentication: ca(), resourceNamePrefix: 'orders*' }), /invalid resourceNamePrefix 'orders\*'.*such as 'orders\.'/],
  // A grant on `orders-*` would reach `orders-eu-conn` of a connector in another app, which synth cannot see.
  ['a resource name prefix without the delimiter', connector({ authentication: ca(), resourceNamePrefix: 'orders-' }),
    /^invalid resourceNamePrefix 'orders-': expected 1 to 39 letters, digits, '-' or '_' ended by one '\.', such as 'orders\.' \('\.' is the delimiter no prefix contains elsewhere, so one connector's names never start with another's prefix\)/],
  ['a resource name prefix with a delimiter inside', connector({ authentication: ca(), resourceNamePrefix: 'orders.eu.' }), /invalid resourceNamePrefix 'orders\.eu\.'.*such as 'orders-eu\.'/],
  ['a session duration of NaN seconds', () => ca({ sessionDuration: Duration.seconds(NaN) }), /^invalid session duration 'Duration.seconds\(NaN\)': expected a whole number of seconds from 900 to 43200$/],
  ['an id so long its export names pass 255 characters', connector({ authentication: ca(), parameterPath: '/eventbridge-connector/long', resourceNamePrefix: 'long.' }, 'A'.repeat(300)), /^invalid connector id 'A{160}\.\.\.' \(300 characters\): the export names of its outputs \(<stack name>-<id><output>\) would have 324 characters, expected at most 255/],
  ['a prefix the connector took but its receiver would refuse (45 characters)', connector({ authentication: ca(), resourceNamePrefix: `${'p'.repeat(44)}.` }), /invalid resourceNamePrefix 'p{44}\.': expected 1 to 39 letters, .*at most 40 characters \(it has 45\) so that the 24 a receiver generates after it fit EventBridge's 64/],
  ['an id whose derived prefix is too long, not cut', connector({ authentication: ca() }, 'O'.repeat(40)), /invalid connector id 'O{40}': the resource name prefix derived from it, 'o{40}\.', has 41 characters, expected at most 40: set resourceNamePrefix/],
  ['an id with a letter outside ASCII', connector({ authentication: ca() }, 'Ørders'), /invalid connector id 'Ørders': expected ASCII letters or digits to derive/],
  ['a resource name prefix too long', connector({ authentication: ca(), resourceNamePrefix: `${'o'.repeat(40)}.` }), /invalid resourceNamePrefix 'o{40}\.': expected 1 to 39 .*\(it has 41\)/],
  // Event bus
  ['a bus given and named', () => {
    const stack = newStack();
    new EventBridgeConnector(stack, 'Orders', { authentication: ca(), eventBus: new events.EventBus(stack, 'Bus'), eventBusName: 'orders' });
  }, /invalid eventBusName 'orders': eventBus is given too, expected one of them/],
  ['an archive retention in hours', connector({ authentication: ca(), archive: { retention: Duration.hours(36) } }), /invalid archive retention '1 day 12 hours': expected a whole number of days, at least 1/],
  ['an archive retention of zero days', connector({ authentication: ca(), archive: { retention: Duration.days(0) } }), /invalid archive retention '0 days'/],
  // Authentication
  ['no authentication and so no CA', connector({}), /connector 'Orders' uses IAM Roles Anywhere \(the default\) and needs a CA to trust: give authentication: ConnectorAuthentication.rolesAnywhere\(\{ caCertificates \}\)/],
  ['session mode without a CA or trust anchor', connector({ authentication: ConnectorAuthentication.rolesAnywhere() }), /connector 'Orders' uses IAM Roles Anywhere and needs a CA to trust/],
  ['both a trust anchor and CA certificates', () => {
    const stack = newStack();
    const trustAnchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(EXAMPLE_CA) });
    ConnectorAuthentication.rolesAnywhere({ trustAnchor, caCertificates: EXAMPLE_CA });
  }, /trustAnchor and caCertificates are exclusive/],
  ['CA certificates that are not PEM', connector({ authentication: ca({ caCertificates: 'my-ca.pem' }) }), /invalid certificate bundle: no PEM block found/],
  ['a session shorter than 15 minutes', () => ca({ sessionDuration: Duration.minutes(10) }), /invalid session duration 600 seconds: expected 900 to 43200 seconds/],
  ['a session longer than 12 hours', () => ca({ sessionDuration: Duration.hours(13) }), /invalid session duration 46800 seconds: expected 900 to 43200/],
  ['a session of a fraction of a second', () => ca({ sessionDuration: Duration.millis(900_500) }), /invalid session duration 15 minutes 500 millis: expected a whole number of seconds/],
  ['a session name of one character', () => ca({ sessionName: 'a' }), /invalid session name 'a': expected 2 to 64 letters, digits or _\+=,\.@-/],
  ['a session name with a space', () => ca({ sessionName: 'orders app' }), /invalid session name 'orders app'/],
  ['a session name the profile would refuse', () => ca({ sessionName: 'orders-app', acceptRoleSessionName: false }), /session name 'orders-app' needs acceptRoleSessionName/],
  ['a client certificate that is not PEM', () => ca({ clientCertificate: 'client.pem' }), /invalid client certificate 'client.pem': expected a PEM certificate/],
  ['a client certificate with control characters, escaped and not cut', () => ca({ clientCertificate: 'x\u0000\u001b[2J' }), /^invalid client certificate 'x\\x00\\x1b\[2J': expected a PEM certificate/],
  ['a client certificate that cannot be parsed', () => ca({ clientCertificate: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n' }), /invalid client certificate: cannot parse the PEM certificate/],
  ['an empty subject name list', connector({ authentication: ca({ subjectCommonNames: [] }) }), /subjectCommonNames is empty: expected at least one subject common name/],
  ['session options handed to static mode', () => ConnectorAuthentication.staticCredentials({ sessionDuration: Duration.hours(1) } as any), /static credentials take no session options, got sessionDuration/],
  ['no activities', connector({ authentication: ca(), activities: [] }), /invalid activities \[\]: expected at least one of SEND_EVENTS, MANAGE_DESTINATIONS, INSPECT, READ_PARAMETERS/],
  ['an unknown activity', connector({ authentication: ca(), activities: ['DELETE_EVERYTHING' as ConnectorActivity] }), /unknown connector activity 'DELETE_EVERYTHING': expected one of SEND_EVENTS/],
  // Parameters
  ['parameters in both modes', parameters({ staticCredentials: {} }), /connector parameters at '\/eventbridge-connector\/orders' need exactly one of session and staticCredentials, got both/],
  ['parameters in neither mode', parameters({ session: undefined }), /need exactly one of session and staticCredentials, got neither/],
  ['a contract duration outside the Roles Anywhere bounds', parameters({ session: { durationSeconds: 60, roleArn: 'r', profileArn: 'p', trustAnchorArn: 't' } }), /invalid session duration 60 seconds: expected a whole number from 900 to 43200/],
  ['a client certificate id that is no fingerprint', parameters({ session: { durationSeconds: 900, roleArn: 'arn:aws:iam::123456789012:role/r', profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/6d3f1f0e-8f3a-4a57-9bd5-2f1f5f0f3a11', trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0c9a1f6e-2b1d-4c55-8e0a-7f2b9d1e4c22', clientCertificateId: 'abc123' } }), /invalid client certificate id 'abc123': expected a SHA-256 fingerprint, 64 hex digits/],
  ['an unknown contract key', written((p) => p.addParameter('DatabasePassword', 'x')), /unknown contract key 'DatabasePassword': expected one of Region, EventBusName/],
  ['a contract key written twice', written((p) => p.addParameter('Region', 'eu-west-1')), /contract key 'Region' is already written under '\/eventbridge-connector\/orders'/],
  ['the value of a key not written', written((p) => p.valueFor('SessionName')), /contract key 'SessionName' is not written under '\/eventbridge-connector\/orders': written keys are Region, /],
  ['an import by a relative path', () => ConnectorParameters.fromPath(newStack(), 'Orders', 'eventbridge-connector/orders'), /invalid parameter path 'eventbridge-connector\/orders'/],
  ['an imported value of an unknown key', () => ConnectorParameters.fromPath(newStack(), 'Orders', '/eventbridge-connector/orders').valueFor('Password'), /unknown contract key 'Password'/],
  // Access
  ['permissions for an invalid prefix', () => {
    const stack = newStack();
    ConnectorPermissions.statements(stack, { eventBus: new events.EventBus(stack, 'Bus'), resourceNamePrefix: '', parameterPath: '/eventbridge-connector/orders' });
  }, /invalid resourceNamePrefix '': expected 1 to 39/],
  ['static credentials with an invalid secret name', () => {
    const stack = newStack();
    new StaticCredentials(stack, 'Static', { eventBus: new events.EventBus(stack, 'Bus'), resourceNamePrefix: 'orders.', parameterPath: '/eventbridge-connector/orders', secretName: 'orders key!' });
  }, /invalid secret name 'orders key!': expected 1 to 512 letters, digits and \/_\+=\.@-/],
];

describe('bad input', () => {
  test('the table covers at least 25 cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(25);
  });

  test.each(BAD_INPUTS)('%s', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});
