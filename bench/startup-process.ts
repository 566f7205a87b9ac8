// Start-to-ready round trips of ConnectorClient.fromParameters (contract of 10 keys, Roles
// Anywhere bootstrap), then CreateSession calls for 1,000 concurrent sends across the session's
// expiry. Prints one JSON line. argv[2]: the fast PutEvents endpoint.
import { advanceClock, installShiftedClock } from './shifted-clock';
installShiftedClock();

/* eslint-disable import/first, import/order -- the clock must be shifted before the SDK loads */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { BootstrapEnvironment, ParameterKeys, SCHEMA_VERSION } from '../src/contract';
import { createCertificateAuthority } from '../src/local/certificates';
import { startMoto } from '../src/local/moto';
import { startRolesAnywhereService } from '../src/local/rolesanywhere-service';
import { ConnectorClient } from '../src/runtime/client';
import { startCountingProxy } from './counting-proxy';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const PATH = '/eventbridge-connector/bench';
const ANCHOR = `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:trust-anchor/0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10`;
const PROFILE = `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:profile/5e0c6a4d-2b1f-4c3e-8d7a-9f6b5a4c3d2e`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bench-connector`;
const SESSION_SECONDS = 3600;
/**
 * The first session is short (the profile's limit), the next one full length: moto's STS dates
 * expirations by the real clock, so after the clock jump a full-length session is again far from
 * expiry, as it would be in real time.
 */
const FIRST_SESSION_SECONDS = 900;

void (async () => {
  const eventsEndpoint = process.argv[2];
  const moto = await startMoto();
  const ca = createCertificateAuthority({ commonName: 'bench CA', keyType: 'ec' });
  const leaf = ca.issue({ commonName: 'bench-app', keyType: 'ec' });
  const ra = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    trustAnchors: [{ arn: ANCHOR, certificatesPem: ca.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE], durationSeconds: FIRST_SESSION_SECONDS }],
  });
  const ssm = new SSMClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'setup', secretAccessKey: 'setup' } });
  // DESIGN's minimal session contract has 9 keys; the construct adds ResourceNamePrefix (10).
  const minimal: Record<string, string> = {
    [ParameterKeys.REGION]: REGION,
    [ParameterKeys.EVENT_BUS_NAME]: 'bench',
    [ParameterKeys.EVENT_BUS_ARN]: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/bench`,
    [ParameterKeys.USE_STATIC_CREDENTIALS]: 'false',
    [ParameterKeys.SCHEMA_VERSION]: SCHEMA_VERSION,
    [ParameterKeys.ROLE_ARN]: ROLE,
    [ParameterKeys.PROFILE_ARN]: PROFILE,
    [ParameterKeys.TRUST_ANCHOR_ARN]: ANCHOR,
    [ParameterKeys.DURATION]: String(SESSION_SECONDS),
  };
  const contracts: Record<string, Record<string, string>> = {
    [`${PATH}-9`]: minimal,
    [PATH]: { ...minimal, [ParameterKeys.RESOURCE_NAME_PREFIX]: 'bench.' },
  };
  for (const [path, contract] of Object.entries(contracts)) {
    for (const [key, value] of Object.entries(contract)) {
      await ssm.send(new PutParameterCommand({ Name: `${path}/${key}`, Value: value, Type: 'String' }));
    }
  }
  ssm.destroy();

  const proxy = await startCountingProxy(moto.endpoint);
  const start = async (path: string) => {
    proxy.reset();
    const sessionsBefore = ra.sessionsCreated;
    const client = await ConnectorClient.fromParameters({
      env: {
        [BootstrapEnvironment.REGION]: REGION,
        [BootstrapEnvironment.TRUST_ANCHOR_ARN]: ANCHOR,
        [BootstrapEnvironment.PROFILE_ARN]: PROFILE,
        [BootstrapEnvironment.ROLE_ARN]: ROLE,
        [BootstrapEnvironment.PARAMETER_PATH]: path,
      },
      certificate: leaf.certificatePem,
      privateKey: leaf.privateKeyPem,
      endpoints: { ssm: proxy.endpoint, sts: proxy.endpoint, rolesAnywhere: ra.endpoint, events: eventsEndpoint },
    });
    const sessions = ra.sessionsCreated - sessionsBefore;
    return { client, keys: Object.keys(contracts[path]).length, roundTrips: proxy.count + sessions, awsRequests: { ...proxy.byOperation }, sessions };
  };
  const nineKeys = await start(`${PATH}-9`);
  nineKeys.client.destroy();
  const tenKeys = await start(PATH);
  const client = tenKeys.client;

  // One send on the first session, then jump to 200 s before its expiry, inside every refresh
  // window (the SDK's and ours), and send 1,000 at once.
  const event = { source: 'bench.orders', detailType: 'OrderPlaced', detail: { orderId: 'o' } };
  await client.putEvents([event]);
  const before = ra.sessionsCreated;
  ra.addProfile({ arn: PROFILE, roleArns: [ROLE], durationSeconds: SESSION_SECONDS });
  advanceClock((FIRST_SESSION_SECONDS - 200) * 1000);
  const results = await Promise.all(Array.from({ length: 1000 }, () => client.putEvents([event])));
  const failed = results.reduce((n, r) => n + r.failedEntryCount, 0);

  process.stdout.write(`${JSON.stringify({
    startup: [nineKeys, tenKeys].map(({ keys, roundTrips, awsRequests, sessions }) => ({ keys, roundTrips, awsRequests, sessions })),
    concurrentSends: 1000,
    failedSends: failed,
    createSessionsAcrossExpiry: ra.sessionsCreated - before,
  })}\n`);
  client.destroy();
  await proxy.stop();
  await ra.stop();
  await moto.stop();
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
