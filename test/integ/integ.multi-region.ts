// Integ test: a multi-region connector (us-east-1, failing over to us-west-2) and its secondary
// region's stack, deployed secondary first. Asserted on deployment, from the primary region (the
// assertion stack's): the global endpoint is active over both regions' bus of one name, with
// replication on; the primary contract names the endpoint and the secondary region; an event put
// on the primary bus arrives in the primary queue. The secondary region's contract is asserted at
// synthesis (test/secondary-region): an assertion stack answers in its own region only.
import { readFileSync } from 'node:fs';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { assertThat, delivered, expectMessage, putEvent, TestEvent } from './delivery-assertions';
import { integApp } from './integ-app';
import { ConnectorAuthentication, EventBridgeConnector, ParameterKeys, SecondaryRegionConnector } from '../../src';

// Relative to the working directory (the repository root): the app may run bundled elsewhere.
const caCertificates = readFileSync('examples/reference/example-ca.pem', 'utf8');

const PARAMETER_PATH = '/eventbridge-connector/integ-multi-region';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const ENDPOINT_NAME = 'integ-multi-region';

const app = integApp();
// The account is the CLI's: only the regions must be literal.
const primaryStack = new Stack(app, 'MultiRegionPrimaryInteg', { env: { region: PRIMARY } });
const secondaryStack = new Stack(app, 'MultiRegionSecondaryInteg', { env: { region: SECONDARY } });

const connector = new EventBridgeConnector(primaryStack, 'Orders', {
  eventBusName: 'integ-multi-region',
  parameterPath: PARAMETER_PATH,
  secondaryRegion: SECONDARY,
  // Events are put rarely in this test: a missing period must not fail the region over.
  globalEndpoint: { endpointName: ENDPOINT_NAME, healthCheckAlarm: { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING } },
  authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates }),
});
const inbox = connector.addQueueReceiver('Inbox', { sources: ['integ.multi-region'] });
const secondary = new SecondaryRegionConnector(secondaryStack, 'Orders', { primary: connector.secondaryRegionAttributes! });
secondary.addQueueReceiver('Inbox', { sources: ['integ.multi-region'] });
// The endpoint names the secondary bus: that stack first.
primaryStack.addDependency(secondaryStack);

const assertions = new Stack(app, 'MultiRegionDeployAssert', { env: { region: PRIMARY } });
const integ = new IntegTest(app, 'MultiRegion', { testCases: [secondaryStack, primaryStack], assertionStack: assertions });
const event: TestEvent = { source: 'integ.multi-region', detailType: 'IntegCheck', detail: { check: 'multi-region' } };

const endpoint = assertThat(
  integ.assertions.awsApiCall('EventBridge', 'describeEndpoint', { Name: ENDPOINT_NAME }),
  ExpectedResult.objectLike({
    State: 'ACTIVE',
    ReplicationConfig: { State: 'ENABLED' },
    RoutingConfig: { FailoverConfig: { Secondary: { Route: SECONDARY } } },
    EventBuses: Match.arrayWith([Match.objectLike({ EventBusArn: Match.stringLikeRegexp(`:${SECONDARY}:.*:event-bus/integ-multi-region$`) })]),
  }),
  // Creating a global endpoint takes a few minutes.
  Duration.minutes(10),
);
const contract = assertThat(
  integ.assertions.awsApiCall('SSM', 'getParameter', { Name: `${PARAMETER_PATH}/${ParameterKeys.SECONDARY_REGION}` }),
  ExpectedResult.objectLike({ Parameter: { Value: SECONDARY } }),
);
endpoint.next(contract).next(putEvent(integ, connector.eventBus, event)).next(expectMessage(integ, inbox.queue, delivered(event)));

app.synth();
