// What synthesizes deploys and works: imported resources of another account or region, ARNs,
// the pinned certificate, raw strings, tokens, and connectors of one app that would overlap.
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { EXAMPLE_CA } from './fixtures';
import {
  ConnectorAuthentication,
  ConnectorParameters,
  EventBridgeConnector,
  EventBridgeConnectorProps,
  Profile,
  TrustAnchor,
} from '../../src';
import { checkClientCertificate, CLIENT_CERTIFICATE_EXPIRY_WARNING_ID } from '../../src/access/client-certificate';
import { createTestPki, TestPki } from '../rolesanywhere/test-pki';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const ANCHOR_ID = '0c9a1f6e-2b1d-4c55-8e0a-7f2b9d1e4c22';
const PROFILE_ID = '6d3f1f0e-8f3a-4a57-9bd5-2f1f5f0f3a11';

function stackIn(env = ENV): Stack {
  return new Stack(new App(), 'Orders', { env });
}

function connectorWithBus(busArn: string, props: Partial<EventBridgeConnectorProps> = {}): EventBridgeConnector {
  const stack = stackIn();
  const eventBus = events.EventBus.fromEventBusArn(stack, 'Central', busArn);
  return new EventBridgeConnector(stack, 'Orders', { eventBus, authentication: SESSION, ...props });
}

describe('imported resources of another account or region', () => {
  const foreignAccountBus = 'arn:aws:events:eu-west-1:444455556666:event-bus/central';

  test('an archive on a bus of another account fails synth, naming the ARN and the stack account', () => {
    expect(() => connectorWithBus(foreignAccountBus, { archive: {} })).toThrow(
      /^invalid eventBus 'arn:aws:events:eu-west-1:444455556666:event-bus\/central': it is in account 444455556666, expected account 111122223333 \(an archive on a bus is created in the bus's account/);
  });

  test('a receiver on a bus of another account fails synth', () => {
    const connector = connectorWithBus(foreignAccountBus);
    expect(() => connector.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' })).toThrow(
      /invalid eventBus '.*444455556666:event-bus\/central': it is in account 444455556666, expected account 111122223333 \(a receiving rule on a bus/);
  });

  test('a bus of another region fails synth: the parameters, role and profile are in the stack region', () => {
    expect(() => connectorWithBus('arn:aws:events:us-east-1:111122223333:event-bus/central')).toThrow(
      /invalid eventBus '.*us-east-1:111122223333:event-bus\/central': it is in region us-east-1, expected region eu-west-1/);
  });

  test('an imported bus ARN of an unknown partition fails synth', () => {
    expect(() => connectorWithBus('arn:aws-bogus:events:eu-west-1:111122223333:event-bus/central')).toThrow(
      /^invalid eventBus 'arn:aws-bogus:events:eu-west-1:111122223333:event-bus\/central': unknown partition 'aws-bogus'/);
  });

  test('sending to a bus of another account is granted on that exact ARN, and Region is the stack region', () => {
    const connector = connectorWithBus(foreignAccountBus);
    const template = Template.fromStack(Stack.of(connector));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents', Resource: foreignAccountBus })]) },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/eventbridge-connector/orders/Region', Value: 'eu-west-1' });
    template.hasOutput('OrdersRegion', { Value: 'eu-west-1' });
  });

  test('a trust anchor of another region or account fails synth', () => {
    for (const arn of [
      `arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/${ANCHOR_ID}`,
      `arn:aws:rolesanywhere:eu-west-1:444455556666:trust-anchor/${ANCHOR_ID}`,
    ]) {
      const stack = stackIn();
      const trustAnchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', arn);
      expect(() => new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ trustAnchor }) }))
        .toThrow(/^invalid trustAnchor '.*': it is in (region us-east-1|account 444455556666), expected account 111122223333, region eu-west-1/);
    }
  });

  test('a profile that lists a role of another account fails synth', () => {
    const stack = stackIn();
    const role = { roleArn: 'arn:aws:iam::444455556666:role/app' } as any;
    new Profile(stack, 'Profile', { roles: [role] });
    expect(() => Template.fromStack(stack)).toThrow(/invalid role 'arn:aws:iam::444455556666:role\/app': it is in account 444455556666, expected account 111122223333/);
  });
});

describe('ARNs are checked as the runtime checks them', () => {
  const parameters = (session: Record<string, unknown>) => () => {
    const stack = stackIn();
    new ConnectorParameters(stack, 'Parameters', {
      parameterPath: '/eventbridge-connector/orders',
      eventBus: new events.EventBus(stack, 'Bus'),
      resourceNamePrefix: 'orders.',
      session: {
        roleArn: 'arn:aws:iam::111122223333:role/app',
        profileArn: `arn:aws:rolesanywhere:eu-west-1:111122223333:profile/${PROFILE_ID}`,
        trustAnchorArn: `arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/${ANCHOR_ID}`,
        durationSeconds: 3600,
        ...session,
      },
    });
  };

  test.each([
    ['a role ARN of another service', { roleArn: 'arn:aws:s3:::bucket' }, /^invalid roleArn 'arn:aws:s3:::bucket': expected an IAM role ARN/],
    ['a profile ARN that is no ARN', { profileArn: 'not-an-arn' }, /^invalid profileArn 'not-an-arn': expected a Roles Anywhere profile ARN/],
    ['an unknown partition', { profileArn: `arn:aws-bogus:rolesanywhere:eu-west-1:111122223333:profile/${PROFILE_ID}` }, /unknown partition 'aws-bogus', expected one of aws, aws-cn/],
    ['a region of no partition', { profileArn: `arn:aws:rolesanywhere:moon-1:111122223333:profile/${PROFILE_ID}` }, /'moon-1' is not a region of partition aws/],
    ['an account of 11 digits', { roleArn: 'arn:aws:iam::11112222333:role/app' }, /invalid roleArn 'arn:aws:iam::11112222333:role\/app'/],
    ['a trust anchor and profile in two regions', { trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/${ANCHOR_ID}` }, /is in us-east-1 but profile .* is in eu-west-1: expected both in one region/],
    ['a role of another account', { roleArn: 'arn:aws:iam::444455556666:role/app' }, /role '.*' is in account '444455556666' but profile .* is in '111122223333': expected the role in the profile's account/],
  ])('%s fails synth', (_what, session, message) => {
    expect(parameters(session)).toThrow(message);
  });
});

describe('the pinned client certificate', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.cleanup());

  const pinned = (caCertificates: string, clientCertificate: string) => () =>
    new EventBridgeConnector(stackIn(), 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates, clientCertificate }) });

  test('a CA certificate fails synth: the runtime refuses to present one', () => {
    expect(pinned(pki.caPem, pki.caPem)).toThrow(/^invalid clientCertificate 'CN=Test Root CA': it is a CA certificate \(basicConstraints CA:TRUE\), expected the application's end-entity certificate/);
  });

  test('a certificate that no CA of the bundle issued fails synth, naming the bundle', () => {
    expect(pinned(pki.secondCaPem, pki.leafPem)).toThrow(/invalid clientCertificate 'CN=app.example.com': issued by 'CN=Test Root CA', expected a certificate issued and signed by a CA of the trust anchor's bundle \('CN=Second Test CA'\)/);
  });

  test('a certificate whose issuer name matches but whose signature does not verify fails synth', () => {
    // A CA with the same subject but another key: checkIssued matches the name, verify refuses the signature.
    const impostor = createTestPki();
    try {
      expect(pinned(impostor.caPem, pki.leafPem)).toThrow(/invalid clientCertificate 'CN=app.example.com': issued by 'CN=Test Root CA', expected a certificate issued and signed/);
    } finally {
      impostor.cleanup();
    }
  });

  test('a certificate the bundle issued, valid now, is pinned', () => {
    expect(pinned(pki.caPem, pki.leafPem)).not.toThrow();
  });

  test('a certificate that is not valid at synthesis fails; one expiring within 30 days warns', () => {
    const stack = stackIn();
    const later = new Date(Date.now() + 400 * 24 * 3600 * 1000);
    expect(() => checkClientCertificate(stack, pki.leafPem, pki.caPem, later)).toThrow(/invalid clientCertificate 'CN=app.example.com': valid from .* to .*, expected a certificate valid now/);
    // The test leaf is valid for 30 days from now.
    checkClientCertificate(stack, pki.leafPem, pki.caPem);
    Annotations.fromStack(stack).hasWarning('/Orders', Match.stringLikeRegexp(`the pinned clientCertificate 'CN=app.example.com' expires on .*${CLIENT_CERTIFICATE_EXPIRY_WARNING_ID}`));
  });
});

describe('raw strings are validated as written', () => {
  const receiverWith = (endpoint: string) => () => {
    const connector = new EventBridgeConnector(stackIn(), 'Orders', { authentication: SESSION });
    connector.addReceiver('Receiver', { endpoint });
  };

  test.each([
    ['an empty fragment', 'https://x.example.com/e#', /invalid endpoint 'https:\/\/x.example.com\/e#': a fragment is never sent to the server/],
    ['a trailing space', 'https://x.example.com/e ', /invalid endpoint 'https:\/\/x.example.com\/e ': expected only URL characters/],
    ['a newline, shown escaped', 'https://x.example.com/e\nInjected: yes', /invalid endpoint 'https:\/\/x.example.com\/e\\nInjected: yes': expected only URL characters/],
    ['an upper-case scheme written raw', 'HTTPS://x.example.com/e', /invalid endpoint 'HTTPS:\/\/x.example.com\/e': API destinations only call HTTPS endpoints/],
    ['credentials', 'https://user:pw@x.example.com/e', /invalid endpoint 'https:\/\/\*\*\*@x.example.com\/e': credentials in the URL are not allowed/],
    ['4,096 characters, bounded in the message', `https://x.example.com/${'a'.repeat(4074)}`, /invalid endpoint 'https:\/\/x.example.com\/a+\.\.\.' \(4096 characters\): 4096 characters, at most 2048/],
  ])('an endpoint with %s fails synth', (_what, endpoint, message) => {
    expect(receiverWith(endpoint)).toThrow(message);
  });

  test.each([
    ['bad name!', /invalid archiveName 'bad name!': expected 1 to 48 letters, digits/],
    ['a'.repeat(49), /invalid archiveName 'a{49}': expected 1 to 48/],
  ])('archive name %s fails synth', (archiveName, message) => {
    expect(() => new EventBridgeConnector(stackIn(), 'Orders', { authentication: SESSION, archive: { archiveName } })).toThrow(message);
  });

  test('a new bus named default, or with a slash, fails synth', () => {
    for (const eventBusName of ['default', 'orders/eu']) {
      expect(() => new EventBridgeConnector(stackIn(), 'Orders', { authentication: SESSION, eventBusName })).toThrow(/invalid eventBusName '.*': expected 1 to 256 letters/);
    }
  });
});

describe('every prop that can be a token is accepted unresolved', () => {
  const param = (stack: Stack, id: string, type = 'String') => new CfnParameter(stack, id, { type });

  test('a token session duration sets the role maximum session duration to 12 hours and writes the token', () => {
    const stack = stackIn();
    const seconds = param(stack, 'D', 'Number').valueAsNumber;
    new EventBridgeConnector(stack, 'Orders', {
      authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, sessionDuration: Duration.seconds(seconds) }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 43200 });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: { Ref: 'D' } });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/eventbridge-connector/orders/Duration', Value: { Ref: 'D' } });
  });

  const cases: Array<[string, (stack: Stack) => void]> = [
    ['eventBusName', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, eventBusName: param(s, 'P').valueAsString })],
    ['parameterPath', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, parameterPath: param(s, 'P').valueAsString })],
    ['resourceNamePrefix', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, resourceNamePrefix: param(s, 'P').valueAsString })],
    ['archive.archiveName', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, archive: { archiveName: param(s, 'P').valueAsString } })],
    ['archive.description', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, archive: { description: param(s, 'P').valueAsString } })],
    ['archive.retention', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, archive: { retention: Duration.days(param(s, 'P', 'Number').valueAsNumber) } })],
    ['sessionName', (s) => new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, sessionName: param(s, 'P').valueAsString }) })],
    ['subjectCommonNames', (s) => new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, subjectCommonNames: [param(s, 'P').valueAsString] }) })],
    ['an imported bus ARN', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION, archive: {}, eventBus: events.EventBus.fromEventBusArn(s, 'Bus', param(s, 'P').valueAsString) })],
    ['an imported trust anchor ARN', (s) => new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ trustAnchor: TrustAnchor.fromTrustAnchorArn(s, 'Anchor', param(s, 'P').valueAsString) }) })],
    ['receiver endpoint', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION }).addReceiver('Receiver', { endpoint: param(s, 'P').valueAsString })],
    ['receiver apiKeyHeaderName', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION }).addReceiver('Receiver', { endpoint: 'https://x.example.com/e', apiKeyHeaderName: param(s, 'P').valueAsString })],
    ['receiver rateLimitPerSecond', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION }).addReceiver('Receiver', { endpoint: 'https://x.example.com/e', rateLimitPerSecond: param(s, 'P', 'Number').valueAsNumber })],
    ['receiver retryAttempts', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION }).addReceiver('Receiver', { endpoint: 'https://x.example.com/e', retryAttempts: param(s, 'P', 'Number').valueAsNumber })],
    ['receiver maxEventAge', (s) => new EventBridgeConnector(s, 'Orders', { authentication: SESSION }).addReceiver('Receiver', { endpoint: 'https://x.example.com/e', maxEventAge: Duration.seconds(param(s, 'P', 'Number').valueAsNumber) })],
    ['static secretName', (s) => new EventBridgeConnector(s, 'Orders', { authentication: ConnectorAuthentication.staticCredentials({ secretName: param(s, 'P').valueAsString }) })],
  ];
  test.each(cases)('%s', (_prop, build) => {
    const stack = stackIn();
    build(stack);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('connectors of one app that would reach each other fail synth, naming both', () => {
  function app(build: (stack: Stack) => void): () => void {
    return () => {
      const stack = stackIn();
      build(stack);
      Template.fromStack(stack);
    };
  }

  test('two connectors with one resource name prefix', () => {
    expect(app((s) => {
      new EventBridgeConnector(s, 'Orders', { authentication: SESSION });
      new EventBridgeConnector(s, 'Shop', { authentication: SESSION, resourceNamePrefix: 'orders.' });
    })).toThrow(/connectors 'Orders\/Orders\/Parameters' and 'Orders\/Shop\/Parameters' both have resource name prefix 'orders\.': expected one prefix per connector, as the grant on 'orders\.\*' of each would reach the connections and API key secrets of the other/);
  });

  test('Orders and OrdersEU stand side by side: the delimiter keeps orders.* off orders-eu.*', () => {
    expect(app((s) => {
      new EventBridgeConnector(s, 'Orders', { authentication: SESSION });
      new EventBridgeConnector(s, 'OrdersEU', { authentication: SESSION });
    })).not.toThrow();
  });

  test('a connector nested under the path of another', () => {
    expect(app((s) => {
      new EventBridgeConnector(s, 'Orders', { authentication: SESSION });
      new EventBridgeConnector(s, 'Eu', { authentication: SESSION, parameterPath: '/eventbridge-connector/orders/eu' });
    })).toThrow(/connector 'Orders\/Eu\/Parameters' writes parameter path '\/eventbridge-connector\/orders\/eu' under the path '\/eventbridge-connector\/orders' of 'Orders\/Orders\/Parameters'/);
  });

  test('two connectors writing the same path', () => {
    expect(app((s) => {
      new EventBridgeConnector(s, 'Orders', { authentication: SESSION });
      new EventBridgeConnector(s, 'orders', { authentication: SESSION, resourceNamePrefix: 'shop.' });
    })).toThrow(/connectors 'Orders\/orders\/Parameters' and 'Orders\/Orders\/Parameters' both write parameter path '\/eventbridge-connector\/orders'|connectors 'Orders\/Orders\/Parameters' and 'Orders\/orders\/Parameters' both write/);
  });

  test('Orders and Billing stand side by side', () => {
    expect(app((s) => {
      new EventBridgeConnector(s, 'Orders', { authentication: SESSION });
      new EventBridgeConnector(s, 'Billing', { authentication: SESSION });
    })).not.toThrow();
  });
});
