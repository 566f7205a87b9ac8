/**
 * The demo's multi-region steps: the two-region stacks deployed locally (the secondary region's
 * first, into moto's us-west-2, then the primary's into us-east-1), the loopback stand-ins moto
 * lacks (a global endpoint for the deployed `AWS::Events::Endpoint`, an outage switch in front of
 * moto and of Roles Anywhere), and an app that keeps sending and receiving while the primary
 * region is down. Events carry a key in their detail: a replicated event gets another EventId in
 * the other region, so deliveries are counted by that key.
 */
import { BootstrapEnvironment, BootstrapOutputs } from '../../src/contract';
import { deployLocally, DeployedGlobalEndpoint, LocalDeployResult } from '../../src/local/deploy';
import { GlobalEndpoint, startGlobalEndpoint } from '../../src/local/global-endpoint';
import type { MotoServer } from '../../src/local/moto';
import { RegionOutageProxy, startRegionOutageProxy } from '../../src/local/region-outage';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { ConnectorClient } from '../../src/runtime/client';
import { SecondaryEnvironment } from '../../src/runtime/constants';
import type { QueueConsumer } from '../../src/runtime/consumer/consumer';

export const PRIMARY_STACK = 'OrdersGlobalPrimary';
export const SECONDARY_STACK = 'OrdersGlobalSecondary';
const CONNECTOR_ID = 'Orders';

type Note = (line: string) => void;
type Cleanups = Array<() => Promise<void> | void>;

export interface TwoRegionDeployment {
  readonly primary: LocalDeployResult;
  readonly secondary: LocalDeployResult;
  readonly endpoint: DeployedGlobalEndpoint;
  /** One loopback Roles Anywhere service playing both regions (each trust anchor's ARN says its region). */
  readonly rolesAnywhere: RolesAnywhereService;
}

/** Deploys the secondary stack, then the primary (its endpoint routes to the secondary's bus). */
export async function deployTwoRegions(
  templates: { primary: object; secondary: object },
  moto: MotoServer,
  regions: { primary: string; secondary: string },
  note: Note,
  cleanups: Cleanups,
): Promise<TwoRegionDeployment> {
  const rolesAnywhere = await startRolesAnywhereService({ stsEndpoint: moto.endpoint });
  cleanups.push(() => rolesAnywhere.stop());
  note(`Roles Anywhere for both regions (loopback, ours)  ${rolesAnywhere.endpoint}`);
  const deploy = (stackName: string, template: object, region: string) =>
    deployLocally({ template: template as never, stackName, endpoint: moto.endpoint, region, rolesAnywhere });
  const secondary = await deploy(SECONDARY_STACK, templates.secondary, regions.secondary);
  const primary = await deploy(PRIMARY_STACK, templates.primary, regions.primary);
  for (const [result, region] of [[secondary, regions.secondary], [primary, regions.primary]] as const) {
    const count = (by: string) => result.resources.filter((r) => r.deployedBy === by).length;
    note(`${result.stackName} into ${region}: ${count('cloudformation')} by moto's CloudFormation, ${count('service-api')} through moto's APIs, ` +
      `${count('rolesanywhere')} into Roles Anywhere, ${count('global-endpoint')} global endpoint recorded, ${count('not-deployed')} not deployed (alarms)`);
  }
  // Workarounds both stacks share are listed once.
  for (const line of new Set([...secondary.workarounds, ...primary.workarounds])) note(`workaround: ${line}`);
  const [endpoint] = primary.globalEndpoints;
  if (endpoint === undefined) throw new Error(`${PRIMARY_STACK} has no AWS::Events::Endpoint`);
  return { primary, secondary, endpoint, rolesAnywhere };
}

export interface FailoverServices {
  /** In front of moto: a region marked down refuses SSM, SQS and EventBridge. */
  readonly aws: RegionOutageProxy;
  /** In front of Roles Anywhere: a region marked down refuses CreateSession. */
  readonly rolesAnywhere: RegionOutageProxy;
  readonly global: GlobalEndpoint;
}

/** The outage switches and a global endpoint stand-in started for the deployed endpoint. */
export async function startFailoverServices(
  deployment: TwoRegionDeployment,
  moto: MotoServer,
  note: Note,
  cleanups: Cleanups,
): Promise<FailoverServices> {
  const aws = await startRegionOutageProxy({ target: moto.endpoint });
  cleanups.push(() => aws.stop());
  const rolesAnywhere = await startRegionOutageProxy({ target: deployment.rolesAnywhere.endpoint });
  cleanups.push(() => rolesAnywhere.stop());
  const e = deployment.endpoint;
  const global = await startGlobalEndpoint({
    endpointId: e.endpointId,
    primary: { region: e.primaryRegion, endpoint: aws.endpoint },
    secondary: { region: e.secondaryRegion, endpoint: aws.endpoint },
    replication: e.replication,
    // The stand-in checks SigV4a as EventBridge would, so it needs the secrets of the sessions handed out.
    secretFor: (accessKeyId) => deployment.rolesAnywhere.secretOf(accessKeyId),
  });
  cleanups.push(() => global.stop());
  note(`global endpoint ${e.name} (loopback, ours)  ${global.endpoint}`);
  note(`  EndpointId ${e.endpointId}: ${e.primaryRegion}, failing over to ${e.secondaryRegion}, replication ${e.replication ? 'on' : 'off'}; SigV4a checked`);
  note(`outage switch in front of moto            ${aws.endpoint}`);
  note(`outage switch in front of Roles Anywhere  ${rolesAnywhere.endpoint}`);
  return { aws, rolesAnywhere, global };
}

export interface FailoverApp {
  readonly start: () => Promise<ConnectorClient>;
  readonly client: ConnectorClient;
  /** Deliveries per key, from the consumers of both regions' queues. */
  readonly seen: Map<string, number>;
  /** The regions (the events' `region`) each key was delivered from. */
  readonly regionsOf: Map<string, Set<string>>;
  readonly consumer: QueueConsumer;
}

/** The app: bootstrap values of both regions, every AWS call through the outage switches, PutEvents through the global endpoint. */
export async function startFailoverApp(
  deployment: TwoRegionDeployment,
  services: FailoverServices,
  pki: { certificatePem: string; privateKeyPem: string },
  note: Note,
  cleanups: Cleanups,
): Promise<FailoverApp> {
  const output = (result: LocalDeployResult, name: string) => {
    const value = result.outputs[`${CONNECTOR_ID}${name}`];
    if (value === undefined) throw new Error(`stack output ${CONNECTOR_ID}${name} of ${result.stackName} missing`);
    return value;
  };
  const { primary, secondary } = deployment;
  const env = {
    [BootstrapEnvironment.REGION]: output(primary, BootstrapOutputs.REGION),
    [BootstrapEnvironment.TRUST_ANCHOR_ARN]: output(primary, BootstrapOutputs.TRUST_ANCHOR_ARN),
    [BootstrapEnvironment.PROFILE_ARN]: output(primary, BootstrapOutputs.PROFILE_ARN),
    [BootstrapEnvironment.ROLE_ARN]: output(primary, BootstrapOutputs.ROLE_ARN),
    [BootstrapEnvironment.PARAMETER_PATH]: output(primary, BootstrapOutputs.PARAMETER_PATH),
    // What the app needs to start and keep a session while the primary does not answer.
    [SecondaryEnvironment.REGION]: output(secondary, BootstrapOutputs.REGION),
    [SecondaryEnvironment.TRUST_ANCHOR_ARN]: output(secondary, BootstrapOutputs.TRUST_ANCHOR_ARN),
    [SecondaryEnvironment.PROFILE_ARN]: output(secondary, BootstrapOutputs.PROFILE_ARN),
  };
  const aws = services.aws.endpoint;
  const start = () => ConnectorClient.fromParameters({
    env,
    certificate: pki.certificatePem,
    privateKey: pki.privateKeyPem,
    endpoints: { ssm: aws, sts: aws, sqs: aws, events: services.global.endpoint, rolesAnywhere: services.rolesAnywhere.endpoint },
    // How long the primary's SSM may take at startup before the secondary's contract is read.
    primaryTimeoutMs: 3_000,
    // The loopback failover is immediate: short backoffs keep the demo quick.
    putEvents: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 8 },
  });
  const client = await start();
  cleanups.push(() => client.destroy());
  note(`contract ${client.constants?.parameterPath ?? env[BootstrapEnvironment.PARAMETER_PATH]} read in ${client.region}: EndpointId ${client.constants?.endpointId}, ` +
    `SecondaryRegion ${client.constants?.secondaryRegion}`);

  const queue = secondary.resources.find((r) => r.type === 'AWS::SQS::Queue' && /^OrdersInboxQueue[0-9A-F]{8}$/.test(r.logicalId));
  if (!queue?.physicalId) throw new Error(`the queue receiver of ${secondary.stackName} was not deployed`);
  const seen = new Map<string, number>();
  const regionsOf = new Map<string, Set<string>>();
  const consumer = client.consumer({ secondaryQueueUrl: queue.physicalId, waitTimeSeconds: 1 });
  consumer.on<{ key: string }>('OrderPlaced', (event) => {
    seen.set(event.detail.key, (seen.get(event.detail.key) ?? 0) + 1);
    if (!regionsOf.has(event.detail.key)) regionsOf.set(event.detail.key, new Set());
    regionsOf.get(event.detail.key)!.add(event.region);
  });
  consumer.start();
  cleanups.push(async () => void (await consumer.stop()));
  note(`queue consumer polling both regions: ${client.constants?.queue?.queueUrl} and ${queue.physicalId}`);
  return { start, client, seen, regionsOf, consumer };
}

const order = (key: string) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { key, orderId: key } });

export interface FailoverResult {
  readonly acknowledged: readonly string[];
}

/** Sends before, during and after an outage of the primary region, and a process starts while it is down. */
export async function runFailover(
  app: FailoverApp,
  services: FailoverServices,
  deployment: TwoRegionDeployment,
  note: Note,
): Promise<FailoverResult> {
  const { primaryRegion, secondaryRegion } = deployment.endpoint;
  const ra = deployment.rolesAnywhere;
  const acknowledged: string[] = [];
  const send = async (client: ConnectorClient, phase: string, n: number) => {
    const keys = Array.from({ length: n }, (_, i) => `${phase}-${i}`);
    const result = await client.putEvents(keys.map(order));
    result.entries.forEach((r, i) => {
      if ('eventId' in r && r.eventId !== undefined) acknowledged.push(keys[i]);
    });
    if (result.failedEntryCount > 0) {
      throw new Error(`${result.failedEntryCount} of ${n} events (${phase}) failed: ${JSON.stringify(result.entries.find((e) => 'errorCode' in e))}`);
    }
  };
  const routed = () => `${services.global.routed[primaryRegion] ?? 0} request(s) routed to ${primaryRegion}, ${services.global.routed[secondaryRegion] ?? 0} to ${secondaryRegion}`;
  const setPrimaryDown = (down: boolean) => {
    services.aws.setDown(primaryRegion, down);
    services.rolesAnywhere.setDown(primaryRegion, down);
    // What the Route 53 health check says once the alarm fires (minutes on AWS, at once here).
    return services.global.setPrimaryHealthy(!down);
  };

  await send(app.client, 'before', 10);
  note(`primary healthy: 10 events acknowledged through the global endpoint (${routed()})`);

  await setPrimaryDown(true);
  note(`primary ${primaryRegion} down: its EventBridge, SSM, SQS and Roles Anywhere answer 503; the health switch fails over`);
  await send(app.client, 'during', 10);
  note(`10 events acknowledged through the global endpoint by the running app (${routed()})`);
  // Receiving goes on too: the consumer's second queue is the secondary region's.
  const during = Array.from({ length: 10 }, (_, i) => `during-${i}`);
  const receivedInSecondary = () => during.filter((k) => app.regionsOf.get(k)?.has(secondaryRegion)).length;
  const until = Date.now() + 30_000;
  while (receivedInSecondary() < during.length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  note(`${receivedInSecondary()} of them received from ${secondaryRegion}'s queue while ${primaryRegion} is still down`);
  if (receivedInSecondary() < during.length) throw new Error(`only ${receivedInSecondary()} of the events sent during the outage were received from ${secondaryRegion}`);
  const started = Date.now();
  const late = await app.start();
  try {
    const fallbacks = late.stats().regionFallbacks;
    note(`a process started now is ready in ${Date.now() - started} ms: contract read in ${late.region}, session from ${secondaryRegion}'s trust anchor ` +
      `(regionFallbacks ${JSON.stringify(fallbacks)})`);
    if (late.region !== secondaryRegion || fallbacks?.session !== 1 || fallbacks.contract !== 1) {
      throw new Error(`the process started during the outage did not fall back to ${secondaryRegion}: region ${late.region}, ${JSON.stringify(fallbacks)}`);
    }
    await send(late, 'late', 5);
    note(`it sends 5 events to the ${secondaryRegion} bus directly (its contract names no endpoint)`);
  } finally {
    await late.close();
  }

  await setPrimaryDown(false);
  await send(app.client, 'after', 10);
  note(`primary restored: 10 more events acknowledged (${routed()}); ${services.global.replicated} entries replicated so far, ` +
    `${services.global.replicationBacklog} waiting`);
  note(`outage switch refused ${services.aws.refused[primaryRegion] ?? 0} AWS requests and ${services.rolesAnywhere.refused[primaryRegion] ?? 0} CreateSession calls to ${primaryRegion}`);
  note(`Roles Anywhere sessions created: ${ra.sessionsByRegion[primaryRegion] ?? 0} in ${primaryRegion}, ${ra.sessionsByRegion[secondaryRegion] ?? 0} in ${secondaryRegion}`);
  if (!((ra.sessionsByRegion[secondaryRegion] ?? 0) > 0)) throw new Error(`no session was created in ${secondaryRegion}`);
  return { acknowledged };
}

/**
 * Waits until every acknowledged key arrived and the replicated copies stopped arriving (half a
 * second without a new delivery, the replication backlog sent), then checks that nothing arrived that was
 * not acknowledged.
 */
export async function checkReceived(app: FailoverApp, services: FailoverServices, result: FailoverResult, note: Note): Promise<void> {
  const { acknowledged } = result;
  const deliveries = () => [...app.seen.values()].reduce((a, b) => a + b, 0);
  const until = Date.now() + 60_000;
  while (!acknowledged.every((k) => app.seen.has(k)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  await services.global.flushReplication();
  for (let last = -1; last !== deliveries() && Date.now() < until;) {
    last = deliveries();
    await new Promise((r) => setTimeout(r, 500));
  }
  const missing = acknowledged.filter((k) => !app.seen.has(k));
  const unacknowledged = [...app.seen.keys()].filter((k) => !acknowledged.includes(k));
  const copies = new Map<number, number>();
  for (const n of app.seen.values()) copies.set(n, (copies.get(n) ?? 0) + 1);
  note(`${acknowledged.length} acknowledged, ${acknowledged.length - missing.length} received at least once, ${unacknowledged.length} received that were not acknowledged`);
  note(`${deliveries()} deliveries from the two queues: ${[...copies].sort(([a], [b]) => a - b).map(([n, keys]) => `${keys} events ${n === 1 ? 'once' : `${n} times`}`).join(', ')} ` +
    '(replication puts an event sent through the endpoint on both regions\' buses, under another EventId in the other one: count or deduplicate by a key in the detail)');
  if (missing.length > 0) throw new Error(`${missing.length} acknowledged events never arrived: ${missing.slice(0, 5).join(', ')}`);
  if (unacknowledged.length > 0) throw new Error(`${unacknowledged.length} events arrived that were not acknowledged: ${unacknowledged.slice(0, 5).join(', ')}`);
  note('every acknowledged event received at least once; none received that was not acknowledged');
}
