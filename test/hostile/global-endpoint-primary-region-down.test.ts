/**
 * A regional outage on loopback (issue 22): a connector with a global endpoint over two moto
 * regions keeps sending, authenticating and receiving while the primary region's EventBridge,
 * Roles Anywhere and SSM refuse every request, and after it comes back. The two regions' contracts
 * are put into moto's SSM directly (what the constructs write), each with its own bus, queue and
 * rule, trust anchor and profile.
 *
 * Asserted: every event acknowledged before, during and after the outage reaches a handler, and
 * exactly once: the producer stamps an idempotency key (`stampIdempotencyKey`) that the replica in
 * the other region (another EventId) and a retry across the failover carry alike, and both
 * regions' consumers deduplicate on it in one store; none is acknowledged without arriving, the
 * session is refreshed from the secondary region's trust anchor, and a process started while the
 * primary is down gets ready.
 */
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { BootstrapEnvironment as E, ParameterKeys as K, SCHEMA_VERSION } from '../../src/contract';
import { createCertificateAuthority } from '../../src/local/certificates';
import { GlobalEndpoint, startGlobalEndpoint } from '../../src/local/global-endpoint';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RegionOutageProxy, startRegionOutageProxy } from '../../src/local/region-outage';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { ConnectorClient, MemoryIdempotencyStore, QueueConsumer, SecondaryEnvironment as S } from '../../src/runtime';
import { createAssumeRoleUser, createConnectorRole } from '../support/moto-iam';

const ACCOUNT = '123456789012';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const PATH = '/eventbridge-connector/orders';
const ENDPOINT_ID = 'abcde.veo';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-connector`;
const SETUP = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const anchorArn = (region: string) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:trust-anchor/${region === PRIMARY ? '0b5b7c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d' : '1c6c8d4f-2e3a-4b7c-8d9e-8f7a6b5c4d3e'}`;
const profileArn = (region: string) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:profile/${region === PRIMARY ? '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b' : '7a2f3e4d-5c6b-4a89-9bac-1d2e3f4a5b6c'}`;

const root = createCertificateAuthority({ commonName: 'Orders Test Root CA' });
const leaf = root.issue({ commonName: 'orders-app' });

let moto: MotoServer;
let awsOutage: RegionOutageProxy;
let rolesAnywhere: RolesAnywhereService;
let rolesAnywhereOutage: RegionOutageProxy;
let global: GlobalEndpoint;
const queueUrls: Record<string, string> = {};
let env: Record<string, string>;

/** The bus, queue and rule of one region, and its contract in that region's SSM. */
async function wireRegion(region: string): Promise<void> {
  const config = { region, endpoint: moto.endpoint, credentials: SETUP };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  const ssm = new SSMClient(config);
  try {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-events' }));
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    await events.send(new PutRuleCommand({ Name: 'orders-to-queue', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'orders-to-queue', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn }] }));
    queueUrls[region] = queue.QueueUrl!;
    const contract: Record<string, string> = {
      [K.REGION]: region,
      [K.EVENT_BUS_NAME]: 'orders',
      [K.EVENT_BUS_ARN]: `arn:aws:events:${region}:${ACCOUNT}:event-bus/orders`,
      [K.RESOURCE_NAME_PREFIX]: 'orders.',
      [K.SCHEMA_VERSION]: SCHEMA_VERSION,
      [K.USE_STATIC_CREDENTIALS]: 'false',
      [K.ROLE_ARN]: ROLE_ARN,
      [K.PROFILE_ARN]: profileArn(region),
      [K.TRUST_ANCHOR_ARN]: anchorArn(region),
      [K.DURATION]: '900',
      [K.QUEUE_URL]: queue.QueueUrl!,
      ...(region === PRIMARY ? { [K.ENDPOINT_ID]: ENDPOINT_ID, [K.SECONDARY_REGION]: SECONDARY } : { [K.PRIMARY_REGION]: PRIMARY }),
    };
    for (const [key, value] of Object.entries(contract)) {
      await ssm.send(new PutParameterCommand({ Name: `${PATH}/${key}`, Value: value, Type: 'String', Overwrite: true }));
    }
  } finally {
    events.destroy();
    sqs.destroy();
    ssm.destroy();
  }
}

beforeAll(async () => {
  moto = await startMoto();
  awsOutage = await startRegionOutageProxy({ target: moto.endpoint });
  const servicePrincipal = await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service');
  await createConnectorRole(moto.endpoint, 'orders-connector', `arn:aws:iam::${ACCOUNT}:user/rolesanywhere-service`, ['*']);
  // One loopback Roles Anywhere playing both regions (each trust anchor's ARN says its own), behind its outage switch.
  rolesAnywhere = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: servicePrincipal,
    trustAnchors: [PRIMARY, SECONDARY].map((r) => ({ arn: anchorArn(r), certificatesPem: root.certificatePem })),
    profiles: [PRIMARY, SECONDARY].map((r) => ({ arn: profileArn(r), roleArns: [ROLE_ARN] })),
  });
  rolesAnywhereOutage = await startRegionOutageProxy({ target: rolesAnywhere.endpoint });
  await wireRegion(PRIMARY);
  await wireRegion(SECONDARY);
  global = await startGlobalEndpoint({
    endpointId: ENDPOINT_ID,
    primary: { region: PRIMARY, endpoint: awsOutage.endpoint },
    secondary: { region: SECONDARY, endpoint: awsOutage.endpoint },
    secretFor: (id) => rolesAnywhere.secretOf(id),
  });
  env = {
    [E.REGION]: PRIMARY,
    [E.TRUST_ANCHOR_ARN]: anchorArn(PRIMARY),
    [E.PROFILE_ARN]: profileArn(PRIMARY),
    [E.ROLE_ARN]: ROLE_ARN,
    [E.PARAMETER_PATH]: PATH,
    [S.REGION]: SECONDARY,
    [S.TRUST_ANCHOR_ARN]: anchorArn(SECONDARY),
    [S.PROFILE_ARN]: profileArn(SECONDARY),
  };
});

afterAll(async () => {
  await global?.stop();
  await rolesAnywhereOutage?.stop();
  await rolesAnywhere?.stop();
  await awsOutage?.stop();
  await moto?.stop();
});

function setPrimaryDown(down: boolean): Promise<void> {
  awsOutage.setDown(PRIMARY, down);
  rolesAnywhereOutage.setDown(PRIMARY, down);
  return global.setPrimaryHealthy(!down);
}

const start = () => ConnectorClient.fromParameters({
  env,
  certificate: leaf.certificatePem,
  privateKey: leaf.privateKeyPem,
  endpoints: { ssm: awsOutage.endpoint, events: global.endpoint, sqs: awsOutage.endpoint, rolesAnywhere: rolesAnywhereOutage.endpoint },
  primaryTimeoutMs: 3_000,
  putEvents: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 8, stampIdempotencyKey: true },
});

/**
 * The receiving process: a consumer per region with one handler and one idempotency store, so the
 * two copies of a replicated event (one key, two EventIds) run the handler once; counted by the
 * event's own name in its detail. (It is another process in practice, with its own credentials;
 * moto does not check them here.)
 */
function consumeBothRegions(seen: Map<string, number>): { consumers: QueueConsumer[]; clients: SQSClient[] } {
  const clients = [PRIMARY, SECONDARY].map((region) => new SQSClient({ region, endpoint: awsOutage.endpoint, credentials: SETUP }));
  const store = new MemoryIdempotencyStore();
  const consumers = clients.map((sqs, i) => {
    const queueUrl = queueUrls[i === 0 ? PRIMARY : SECONDARY];
    return new QueueConsumer(sqs, { queueUrl, waitTimeSeconds: 1, visibilityTimeoutSeconds: 30, idempotency: { store } })
      .on<{ key: string }>('OrderPlaced', async (event) => {
        if (event.idempotencyKey === undefined) throw new Error(`event ${event.id} arrived without the producer's key`);
        seen.set(event.detail.key, (seen.get(event.detail.key) ?? 0) + 1);
      })
      .start();
  });
  return { consumers, clients };
}

const order = (key: string) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { key } });

test('sending, sessions and receiving survive the primary region going down and coming back', async () => {
  const client = await start();
  const seen = new Map<string, number>();
  const { consumers, clients: sqsClients } = consumeBothRegions(seen);
  const acknowledged: string[] = [];
  const send = async (phase: string, n: number) => {
    const keys = Array.from({ length: n }, (_, i) => `${phase}-${i}`);
    const result = await client.putEvents(keys.map(order));
    result.entries.forEach((r, i) => {
      if (r.eventId !== undefined) acknowledged.push(keys[i]);
    });
    return result;
  };
  let late: ConnectorClient | undefined;
  try {
    expect(client.region).toBe(PRIMARY);
    expect((await send('before', 5)).failedEntryCount).toBe(0);

    await setPrimaryDown(true);
    expect((await send('during', 5)).failedEntryCount).toBe(0);
    // The session of a process started now is created with the secondary region's trust anchor.
    const sessionsInSecondary = rolesAnywhere.sessionsByRegion[SECONDARY] ?? 0;
    // A process started while the primary is down gets ready, on the secondary region's contract.
    late = await start();
    expect(late.region).toBe(SECONDARY);
    expect(late.constants?.endpointId).toBeUndefined();
    expect(late.stats().regionFallbacks).toEqual({ contract: 1, session: 1, region: SECONDARY });
    expect(rolesAnywhere.sessionsByRegion[SECONDARY]).toBe(sessionsInSecondary + 1);
    const lateResult = await late.putEvents([order('late-0'), order('late-1')]);
    expect(lateResult.failedEntryCount).toBe(0);
    acknowledged.push('late-0', 'late-1');
    expect((await send('still-down', 5)).failedEntryCount).toBe(0);

    await setPrimaryDown(false);
    expect((await send('after', 5)).failedEntryCount).toBe(0);

    // Every acknowledged event reaches the handler, once; nothing arrives that was not acknowledged.
    const until = Date.now() + 30_000;
    while (!acknowledged.every((k) => seen.has(k)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(acknowledged.filter((k) => !seen.has(k))).toEqual([]);
    expect([...seen.keys()].filter((k) => !acknowledged.includes(k))).toEqual([]);
    // Replicas of the events sent through the global endpoint came too, and ran nothing again.
    await global.flushReplication();
    expect(global.replicated).toBeGreaterThan(0);
    const received = () => consumers.reduce((n, c) => n + c.stats().received, 0);
    const drained = Date.now() + 5_000;
    while (received() < acknowledged.length + global.replicated && Date.now() < drained) await new Promise((r) => setTimeout(r, 100));
    expect(received()).toBeGreaterThanOrEqual(acknowledged.length + global.replicated);
    expect([...seen.entries()].filter(([, runs]) => runs !== 1)).toEqual([]);
    expect(awsOutage.refused[PRIMARY]).toBeGreaterThan(0);
    expect(global.routed[SECONDARY]).toBeGreaterThan(0);
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    sqsClients.forEach((c) => c.destroy());
    await late?.close();
    await client.close();
  }
});
