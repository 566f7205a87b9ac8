/**
 * A running client (started while both regions answer) whose Roles Anywhere session expires while
 * the primary region's Roles Anywhere refuses every request (503, a loopback outage): the next
 * session comes from the secondary region's trust anchor and profile, with one CreateSession in
 * flight however many sends wait for it; the fallback is logged once and counted each time in
 * `stats().regionFallbacks`; once the primary answers again, the next refresh is made there.
 *
 * Sessions are made to expire in seconds rather than an hour: a proxy in front of the loopback
 * service moves each session's `expiration` to 2 s past the provider's refresh window (300 s),
 * so the SDK and the provider take it for stale 2 s after it was made. No clock is faked.
 */
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { BootstrapEnvironment as E, ParameterKeys as K, SCHEMA_VERSION } from '../../src/contract';
import { createCertificateAuthority } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RegionOutageProxy, startRegionOutageProxy } from '../../src/local/region-outage';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { ConnectorClient, SecondaryEnvironment as S } from '../../src/runtime';
import { createAssumeRoleUser, createConnectorRole } from '../support/moto-iam';

const ACCOUNT = '123456789012';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';
const PATH = '/eventbridge-connector/orders';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-connector`;
const SETUP = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const anchorArn = (region: string) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:trust-anchor/${region === PRIMARY ? '0b5b7c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d' : '1c6c8d4f-2e3a-4b7c-8d9e-8f7a6b5c4d3e'}`;
const profileArn = (region: string) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:profile/${region === PRIMARY ? '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b' : '7a2f3e4d-5c6b-4a89-9bac-1d2e3f4a5b6c'}`;
/** The provider's default refresh window, and how long past it each session is left valid. */
const REFRESH_WINDOW_MS = 300_000;
const FRESH_FOR_MS = 2_000;

const root = createCertificateAuthority({ commonName: 'Orders Test Root CA' });
const leaf = root.issue({ commonName: 'orders-app' });

let moto: MotoServer;
let rolesAnywhere: RolesAnywhereService;
let outage: RegionOutageProxy;
let shortening: Server;
let shorteningUrl: string;
/** When the last session handed out turns stale (ms since the epoch). */
let staleAt = 0;
let inFlight = 0;
let maxInFlight = 0;

/** Passes CreateSession on to the outage proxy, and shortens the sessions it answers with. */
function startShorteningProxy(target: URL): Promise<void> {
  shortening = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const options = { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, timeout: 30_000 };
      const upstream = httpRequest(options, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(parts);
          if (answer.statusCode === 201 || answer.statusCode === 200) {
            const parsed = JSON.parse(body.toString('utf8')) as { credentialSet: Array<{ credentials: { expiration: string } }> };
            const expiration = Date.now() + REFRESH_WINDOW_MS + FRESH_FOR_MS;
            for (const set of parsed.credentialSet) set.credentials.expiration = new Date(expiration).toISOString();
            staleAt = expiration - REFRESH_WINDOW_MS;
            body = Buffer.from(JSON.stringify(parsed));
          }
          inFlight--;
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(body.length) });
          res.end(body);
        });
      });
      upstream.on('timeout', () => upstream.destroy(new Error('no answer within 30 s')));
      upstream.on('error', () => {
        inFlight--;
        res.destroy();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => shortening.listen(0, '127.0.0.1', () => {
    shorteningUrl = `http://127.0.0.1:${(shortening.address() as AddressInfo).port}`;
    resolve();
  }));
}

/** Each region's bus, and its contract in its SSM (no EndpointId: events go to the region's bus). */
async function wireRegion(region: string): Promise<void> {
  const config = { region, endpoint: moto.endpoint, credentials: SETUP };
  const events = new EventBridgeClient(config);
  const ssm = new SSMClient(config);
  try {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
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
      ...(region === PRIMARY ? { [K.SECONDARY_REGION]: SECONDARY } : { [K.PRIMARY_REGION]: PRIMARY }),
    };
    for (const [key, value] of Object.entries(contract)) {
      await ssm.send(new PutParameterCommand({ Name: `${PATH}/${key}`, Value: value, Type: 'String', Overwrite: true }));
    }
  } finally {
    events.destroy();
    ssm.destroy();
  }
}

beforeAll(async () => {
  moto = await startMoto();
  const servicePrincipal = await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service');
  await createConnectorRole(moto.endpoint, 'orders-connector', `arn:aws:iam::${ACCOUNT}:user/rolesanywhere-service`, ['*']);
  rolesAnywhere = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: servicePrincipal,
    trustAnchors: [PRIMARY, SECONDARY].map((r) => ({ arn: anchorArn(r), certificatesPem: root.certificatePem })),
    profiles: [PRIMARY, SECONDARY].map((r) => ({ arn: profileArn(r), roleArns: [ROLE_ARN] })),
  });
  outage = await startRegionOutageProxy({ target: rolesAnywhere.endpoint });
  await startShorteningProxy(new URL(outage.endpoint));
  await wireRegion(PRIMARY);
  await wireRegion(SECONDARY);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (shortening ? shortening.close(() => resolve()) : resolve()));
  await outage?.stop();
  await rolesAnywhere?.stop();
  await moto?.stop();
});

/** Until the last session is stale: the fault under test is a session expiring, which only time brings. */
async function untilStale(): Promise<void> {
  const bound = Date.now() + 30_000;
  while (Date.now() <= staleAt + 50 && Date.now() < bound) await new Promise((r) => setTimeout(r, Math.max(10, staleAt + 60 - Date.now())));
}

const order = (key: string) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { key } });

test('a running client\'s next session comes from the secondary region while the primary\'s Roles Anywhere refuses', async () => {
  const warnings: string[] = [];
  const client = await ConnectorClient.fromParameters({
    env: {
      [E.REGION]: PRIMARY,
      [E.TRUST_ANCHOR_ARN]: anchorArn(PRIMARY),
      [E.PROFILE_ARN]: profileArn(PRIMARY),
      [E.ROLE_ARN]: ROLE_ARN,
      [E.PARAMETER_PATH]: PATH,
      [S.REGION]: SECONDARY,
      [S.TRUST_ANCHOR_ARN]: anchorArn(SECONDARY),
      [S.PROFILE_ARN]: profileArn(SECONDARY),
    },
    certificate: leaf.certificatePem,
    privateKey: leaf.privateKeyPem,
    endpoints: { ssm: moto.endpoint, events: moto.endpoint, rolesAnywhere: shorteningUrl },
    logger: { debug: () => undefined, info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined },
  });
  const sendMany = async (phase: string) => {
    // Twenty sends at once, each needing the credentials the stale session no longer gives.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.putEvents([order(`${phase}-${i}`)])));
    return results.reduce((n, r) => n + r.failedEntryCount, 0);
  };
  try {
    expect(await sendMany('running')).toBe(0);
    expect(rolesAnywhere.sessionsByRegion[SECONDARY] ?? 0).toBe(0);
    expect(client.stats().regionFallbacks).toEqual({ contract: 0, session: 0 });
    const primarySessions = rolesAnywhere.sessionsByRegion[PRIMARY];

    outage.setDown(PRIMARY, true);
    await untilStale();
    maxInFlight = 0;
    expect(await sendMany('expired-once')).toBe(0);
    expect(outage.refused[PRIMARY]).toBeGreaterThan(0);
    expect(rolesAnywhere.sessionsByRegion[SECONDARY]).toBe(1);
    expect(maxInFlight).toBe(1);
    expect(client.stats().regionFallbacks).toEqual({ contract: 0, session: 1, region: SECONDARY });

    // Expired again with the primary still refusing: the primary is tried first, then the secondary again; no second log line.
    const refusedBefore = outage.refused[PRIMARY];
    await untilStale();
    expect(await sendMany('expired-twice')).toBe(0);
    expect(outage.refused[PRIMARY]).toBeGreaterThan(refusedBefore);
    expect(rolesAnywhere.sessionsByRegion[SECONDARY]).toBe(2);
    expect(maxInFlight).toBe(1);
    expect(client.stats().regionFallbacks).toEqual({ contract: 0, session: 2, region: SECONDARY });
    const fallbackLines = warnings.filter((w) => w.includes('created the Roles Anywhere session in the secondary region'));
    expect(fallbackLines).toHaveLength(1);
    expect(fallbackLines[0]).toContain(`secondary region ${SECONDARY}: the primary region ${PRIMARY} did not answer`);

    // The primary answers again: the next refresh is made there, and nothing more is counted.
    outage.setDown(PRIMARY, false);
    await untilStale();
    expect(await sendMany('recovered')).toBe(0);
    expect(rolesAnywhere.sessionsByRegion[PRIMARY]).toBe(primarySessions + 1);
    expect(rolesAnywhere.sessionsByRegion[SECONDARY]).toBe(2);
    expect(client.stats().regionFallbacks?.session).toBe(2);
  } finally {
    await client.close();
  }
});
