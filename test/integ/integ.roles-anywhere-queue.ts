// Integ test: a connector in session mode (IAM Roles Anywhere: trust anchor from the example CA the
// construct tests use, profile, role, SSM contract) with a queue receiver. Asserted on deployment:
// the trust anchor and the profile are enabled and the profile names the connector's role, the
// contract names them, and an event put on the connector's bus arrives in the queue. Signing a
// CreateSession needs the CA's private key, which is not in the repository: the runtime's session
// path is tested against the local Roles Anywhere service (test/local, test/local-deploy).
import { readFileSync } from 'node:fs';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import { assertThat, delivered, expectMessage, putEvent, TestEvent } from './delivery-assertions';
import { integApp } from './integ-app';
import { ConnectorAuthentication, EventBridgeConnector, ParameterKeys } from '../../src';

// Relative to the working directory (the repository root): the app may run bundled elsewhere.
const caCertificates = readFileSync('examples/reference/example-ca.pem', 'utf8');

const PARAMETER_PATH = '/eventbridge-connector/integ-roles-anywhere';

const app = integApp();
const stack = new Stack(app, 'RolesAnywhereQueueInteg');
const connector = new EventBridgeConnector(stack, 'Orders', {
  parameterPath: PARAMETER_PATH,
  authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates, sessionDuration: Duration.hours(1) }),
});
const inbox = connector.addQueueReceiver('Inbox', { sources: ['integ.roles-anywhere'] });

const integ = new IntegTest(app, 'RolesAnywhereQueue', { testCases: [stack] });
const event: TestEvent = { source: 'integ.roles-anywhere', detailType: 'IntegCheck', detail: { check: 'roles-anywhere-queue' } };

const trustAnchor = assertThat(
  integ.assertions.awsApiCall('RolesAnywhere', 'getTrustAnchor', { trustAnchorId: connector.trustAnchor!.trustAnchorId }),
  ExpectedResult.objectLike({ trustAnchor: { enabled: true, source: Match.objectLike({ sourceType: 'CERTIFICATE_BUNDLE' }) } }),
);
const profile = assertThat(
  integ.assertions.awsApiCall('RolesAnywhere', 'getProfile', { profileId: connector.profile!.profileId }),
  ExpectedResult.objectLike({ profile: { enabled: true, durationSeconds: 3600, roleArns: [connector.role!.roleArn] } }),
);
// What the runtime reads at startup to open a session.
const contract = assertThat(
  integ.assertions.awsApiCall('SSM', 'getParameter', { Name: `${PARAMETER_PATH}/${ParameterKeys.TRUST_ANCHOR_ARN}` }),
  ExpectedResult.objectLike({ Parameter: { Value: connector.trustAnchor!.trustAnchorArn } }),
);
trustAnchor.next(profile).next(contract).next(putEvent(integ, connector.eventBus, event)).next(expectMessage(integ, inbox.queue, delivered(event)));

app.synth();
