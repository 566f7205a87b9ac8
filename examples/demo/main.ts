/**
 * `npm run demo`: the product end to end on loopback services, with no AWS account.
 *
 *  1. a demo CA and a client certificate (the app's identity outside AWS);
 *  2. `cdk synth` of the reference app, trusting that CA;
 *  3. moto (AWS emulator) and the loopback IAM Roles Anywhere service on free ports;
 *  4. the synthesized connector stack deployed on them;
 *  5. an app on the runtime: bootstrap values + certificate -> Roles Anywhere session -> the
 *     contract from SSM -> registerApp -> putEvents -> events received through its handler,
 *     routed by detail-type (delivery by the local API destination stand-in, since moto does
 *     not call API destinations), and again through the queue receiver (rule -> SQS -> consumer);
 *  6. one 2 MiB event, over the 1 MiB request limit, through the claim check: its detail stored in
 *     S3 (moto), the reference sent, the payload fetched back whole by the handler and the consumer;
 *  7. the multi-region connector (failover.ts): its secondary stack deployed into moto's us-west-2
 *     and its primary stack into us-east-1, a global endpoint stand-in for the deployed endpoint,
 *     and an app that keeps sending and receiving (both regions' queues) while the primary
 *     region's EventBridge, SSM, SQS and Roles Anywhere refuse, and after they come back.
 *
 * Everything it writes is under .demo/; every process it starts is stopped; it exits non-zero if
 * any step failed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { checkReceived, deployTwoRegions, PRIMARY_STACK, runFailover, SECONDARY_STACK, startFailoverApp, startFailoverServices } from './failover';
import { registration, Report } from './report';
import { BootstrapEnvironment, BootstrapOutputs } from '../../src/contract';
import { startApiDestinationDelivery, ApiDestinationDelivery } from '../../src/local/api-destination-delivery';
import { createCertificateAuthority } from '../../src/local/certificates';
import { deployLocally, LocalDeployResult } from '../../src/local/deploy';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { ConnectorClient } from '../../src/runtime/client';
import { TWO_REGION_PRIMARY, TWO_REGION_SECONDARY } from '../reference/two-region-stacks';

const WORK = resolve('.demo');
const CONNECTOR_STACK = 'OrdersConnector';
const CONNECTOR_ID = 'Orders';
const REGION = 'us-east-1';
/** The claim-check store: made in moto by the demo (the local deploy has no S3 yet), given to the client. */
const PAYLOADS = { bucket: 'orders-payloads', keyPrefix: 'payloads/orders/' };
/** One invoice of 2 MiB: over PutEvents' 1 MiB request limit, so it goes through the claim check. */
const INVOICE = { orderId: 'o-invoice', pdf: 'JVBERi0xLjcK'.repeat(Math.ceil((2 * 1024 * 1024) / 12)) };

/** What the app sends: two routed detail-types and one the app has no handler for. */
const BATCH = [
  ...Array.from({ length: 60 }, (_, i) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: `o-${i}`, total: 10 + i } })),
  ...Array.from({ length: 30 }, (_, i) => ({ source: 'com.example.orders', detailType: 'OrderShipped', detail: { orderId: `o-${i}`, carrier: 'ups' } })),
  ...Array.from({ length: 10 }, (_, i) => ({ source: 'com.example.stock', detailType: 'StockAdjusted', detail: { sku: `s-${i}`, delta: -1 } })),
];

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const report = new Report();
  const cleanups: Array<() => Promise<void> | void> = [];
  const facts: Array<[string, string]> = [];
  let exitCode = 0;
  process.stdout.write('cdk-eventbridge-connector demo: constructs and runtime end to end on loopback services\n');
  try {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });

    const pki = await report.step('generate a demo CA and the app\'s client certificate', async (note) => {
      const ca = createCertificateAuthority({ commonName: 'cdk-eventbridge-connector demo CA', keyType: 'ec' });
      const client = ca.issue({ commonName: 'orders-app', keyType: 'ec' });
      writeFileSync(join(WORK, 'ca.pem'), ca.certificatePem);
      writeFileSync(join(WORK, 'client.pem'), client.certificatePem);
      writeFileSync(join(WORK, 'client.key'), client.privateKeyPem, { mode: 0o600 });
      note(`CA      ${ca.certificate.subject.replace(/\n/g, ', ')} (EC P-256), .demo/ca.pem`);
      note(`client  ${client.certificate.subject.replace(/\n/g, ', ')}, serial ${BigInt(`0x${client.certificate.serialNumber}`)}, .demo/client.pem`);
      return { ca, client };
    });

    const templates = await report.step('synthesize the reference app (npx cdk synth)', async (note) => {
      const outdir = join(WORK, 'cdk.out');
      execFileSync(process.execPath, [
        require.resolve('aws-cdk/bin/cdk'), 'synth', '--quiet', '--output', outdir,
        '--context', `caCertificate=${join(WORK, 'ca.pem')}`,
        '--context', `clientCertificate=${join(WORK, 'client.pem')}`,
      ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' } });
      const read = (stack: string) => JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));
      const connector = read(CONNECTOR_STACK);
      const types = Object.values(connector.Resources as Record<string, { Type: string }>).map((r) => r.Type);
      note(`${CONNECTOR_STACK}: ${types.length} resources, ${types.filter((t) => t === 'AWS::SSM::Parameter').length} contract parameters, ` +
        `${types.filter((t) => t.startsWith('AWS::RolesAnywhere::')).length} Roles Anywhere resources (.demo/cdk.out)`);
      const globalPrimary = read(PRIMARY_STACK);
      const globalSecondary = read(SECONDARY_STACK);
      const count = (template: { Resources: Record<string, { Type: string }> }) => Object.keys(template.Resources).length;
      note(`${SECONDARY_STACK} (${TWO_REGION_SECONDARY}): ${count(globalSecondary)} resources; ${PRIMARY_STACK} (${TWO_REGION_PRIMARY}): ` +
        `${count(globalPrimary)} resources, with the global endpoint, its health check, alarm and replication role`);
      return { connector, globalPrimary, globalSecondary };
    });

    const services = await report.step('start moto and the loopback Roles Anywhere service', async (note) => {
      const moto: MotoServer = await startMoto();
      cleanups.push(() => moto.stop());
      const rolesAnywhere: RolesAnywhereService = await startRolesAnywhereService({ stsEndpoint: moto.endpoint, region: REGION });
      cleanups.push(() => rolesAnywhere.stop());
      note(`moto (third-party AWS emulator)        ${moto.endpoint}`);
      note(`Roles Anywhere (loopback, ours)         ${rolesAnywhere.endpoint}`);
      return { moto, rolesAnywhere };
    });

    const deployed: LocalDeployResult = await report.step(`deploy ${CONNECTOR_STACK} locally`, async (note) => {
      const result = await deployLocally({
        template: templates.connector,
        stackName: CONNECTOR_STACK,
        endpoint: services.moto.endpoint,
        region: REGION,
        rolesAnywhere: services.rolesAnywhere,
      });
      const count = (by: string) => result.resources.filter((r) => r.deployedBy === by).length;
      note(`${count('cloudformation')} resources by moto's CloudFormation, ${count('service-api')} through moto's APIs, ` +
        `${count('rolesanywhere')} into the Roles Anywhere service, ${count('not-deployed')} not deployed (alarms, metadata)`);
      for (const line of result.workarounds) note(`workaround: ${line}`);
      return result;
    });

    const output = (name: string) => {
      const value = deployed.outputs[`${CONNECTOR_ID}${name}`];
      if (value === undefined) throw new Error(`stack output ${CONNECTOR_ID}${name} missing`);
      return value;
    };
    const bootstrapEnv = {
      [BootstrapEnvironment.REGION]: output(BootstrapOutputs.REGION),
      [BootstrapEnvironment.TRUST_ANCHOR_ARN]: output(BootstrapOutputs.TRUST_ANCHOR_ARN),
      [BootstrapEnvironment.PROFILE_ARN]: output(BootstrapOutputs.PROFILE_ARN),
      [BootstrapEnvironment.ROLE_ARN]: output(BootstrapOutputs.ROLE_ARN),
      [BootstrapEnvironment.PARAMETER_PATH]: output(BootstrapOutputs.PARAMETER_PATH),
    };
    writeFileSync(join(WORK, 'bootstrap.env'), Object.entries(bootstrapEnv).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');

    const app = await report.step('start the app: bootstrap values + certificate -> session -> contract', async (note) => {
      const s3 = new S3Client({ region: REGION, endpoint: services.moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
      await s3.send(new CreateBucketCommand({ Bucket: PAYLOADS.bucket }));
      s3.destroy();
      const started = Date.now();
      const client = await ConnectorClient.fromParameters({
        env: bootstrapEnv,
        certificate: pki.client.certificatePem,
        privateKey: pki.client.privateKeyPem,
        endpoints: {
          ssm: services.moto.endpoint,
          sts: services.moto.endpoint,
          events: services.moto.endpoint,
          sqs: services.moto.endpoint,
          s3: services.moto.endpoint,
          rolesAnywhere: services.rolesAnywhere.endpoint,
        },
        claimCheck: { ...PAYLOADS, keepDetailFields: ['orderId'] },
      });
      cleanups.push(() => client.destroy());
      note(`ready in ${Date.now() - started} ms: ${services.rolesAnywhere.sessionsCreated} Roles Anywhere session, ` +
        `contract read from ${bootstrapEnv[BootstrapEnvironment.PARAMETER_PATH]}`);
      note(`bus ${client.eventBusName} in ${client.region}, credentials ${client.constants?.useStaticCredentials ? 'static' : 'Roles Anywhere session'}`);
      const identity = await client.validateCredentials();
      note(`ValidateCredentials: ${identity.arn}`);

      const received = new Map<string, Set<string>>();
      const receiver = await client.receiver();
      const record = (type: string) => (event: { id: string }) => {
        if (!received.has(type)) received.set(type, new Set());
        received.get(type)!.add(event.id);
      };
      receiver.on<{ orderId: string; total: number }>('OrderPlaced', record('OrderPlaced'));
      receiver.on<{ orderId: string; carrier: string }>('OrderShipped', record('OrderShipped'));
      const invoices: { http?: string; queue?: string } = {};
      const digest = (detail: unknown) => createHash('sha256').update(JSON.stringify(detail)).digest('hex');
      receiver.on('InvoiceIssued', (event) => {
        invoices.http = digest(event.detail);
      });
      const server: Server = createServer(receiver.handle);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/eventbridge/events`;
      note(`receive handler listening on ${url} (routes: OrderPlaced, OrderShipped)`);
      // The same routes through the queue receiver: the contract's QueueUrl, polled with the session.
      const viaQueue = new Map<string, Set<string>>();
      const consumer = client.consumer({ waitTimeSeconds: 1, idempotency: true });
      consumer.on('InvoiceIssued', (event) => {
        invoices.queue = digest(event.detail);
      });
      for (const type of ['OrderPlaced', 'OrderShipped']) {
        consumer.on(type, (event) => {
          if (!viaQueue.has(type)) viaQueue.set(type, new Set());
          viaQueue.get(type)!.add(event.id);
        });
      }
      consumer.start();
      cleanups.push(async () => void (await consumer.stop()));
      note(`queue consumer polling ${client.constants?.queue?.queueUrl} (routes: OrderPlaced, OrderShipped)`);
      return { client, received, url, viaQueue, invoices, digest };
    });

    await report.step('registerApp: point the connection and API destination at the app', async (note) => {
      const first = await app.client.registerApp({ endpoint: app.url });
      note(`first start:  connection ${registration(first.connection)}`);
      note(`              API destination ${registration(first.apiDestination)}`);
      const second = await app.client.registerApp({ endpoint: app.url });
      note(`second start: connection ${registration(second.connection)}; API destination ${registration(second.apiDestination)}`);
      note('              (registerApp is safe on every start: it changes only what differs)');
      if (second.connection !== 'unchanged' || second.apiDestination !== 'unchanged') throw new Error('registerApp changed something on the second start');
    });

    const deliveryStep = 'start API destination delivery (local stand-in: moto does not call API destinations)';
    const delivery: ApiDestinationDelivery = await report.step(deliveryStep, async (note) => {
      const rule = deployed.resources.find((r) => r.type === 'AWS::Events::Rule' && r.logicalId.includes('Receiver'));
      if (!rule?.physicalId) throw new Error('the receiving rule was not deployed');
      const ruleName = rule.physicalId.split('|').pop()!;
      const stand = await startApiDestinationDelivery({
        endpoint: services.moto.endpoint,
        region: REGION,
        eventBusName: app.client.eventBusName,
        ruleName,
      });
      cleanups.push(() => stand.stop());
      note(`rule ${ruleName} -> ${stand.invocationEndpoint}, API key from the connection's secret`);
      return stand;
    });

    const sent = await report.step(`putEvents: ${BATCH.length} events (60 OrderPlaced, 30 OrderShipped, 10 StockAdjusted)`, async (note) => {
      const result = await app.client.putEvents(BATCH);
      const ids = result.entries.map((e) => ('eventId' in e ? e.eventId : undefined));
      note(`${BATCH.length - result.failedEntryCount} acknowledged with an EventId, ${result.failedEntryCount} failed`);
      if (result.failedEntryCount > 0) throw new Error(`${result.failedEntryCount} events failed: ${JSON.stringify(result.entries.find((e) => 'errorCode' in e))}`);
      return ids as string[];
    });

    await report.step('receive them through the handler, routed by detail-type', async (note) => {
      let last = -1;
      const progress = setInterval(() => {
        if (delivery.records.length !== last) note(`... ${(last = delivery.records.length)} of ${BATCH.length} delivered`);
      }, 1000);
      try {
        await delivery.waitFor(BATCH.length, 120_000);
      } finally {
        clearInterval(progress);
      }
      const placed = app.received.get('OrderPlaced') ?? new Set();
      const shipped = app.received.get('OrderShipped') ?? new Set();
      const statuses: Record<string, number> = {};
      for (const r of delivery.records) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      note(`OrderPlaced handler: ${placed.size}, OrderShipped handler: ${shipped.size}, StockAdjusted: no handler (answered 202, ignored)`);
      note(`HTTP answers: ${Object.entries(statuses).map(([s, n]) => `${n} x ${s}`).join(', ')}`);
      const routed = [...placed, ...shipped];
      const missing = sent.slice(0, 90).filter((id) => !routed.includes(id));
      if (placed.size !== 60 || shipped.size !== 30 || missing.length > 0) {
        throw new Error(`routing mismatch: ${placed.size} OrderPlaced, ${shipped.size} OrderShipped, ${missing.length} acknowledged events not received`);
      }
      note('every acknowledged OrderPlaced/OrderShipped EventId arrived at its handler exactly once');
    });

    await report.step('receive them through the queue as well (rule -> SQS -> consumer)', async (note) => {
      const count = () => (app.viaQueue.get('OrderPlaced')?.size ?? 0) + (app.viaQueue.get('OrderShipped')?.size ?? 0);
      const until = Date.now() + 60_000;
      while (count() < 90 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const viaQueue = [...(app.viaQueue.get('OrderPlaced') ?? []), ...(app.viaQueue.get('OrderShipped') ?? [])];
      const viaHttp = [...(app.received.get('OrderPlaced') ?? []), ...(app.received.get('OrderShipped') ?? [])];
      const both = viaQueue.filter((id) => viaHttp.includes(id)).length;
      note(`API destination path: ${viaHttp.length} events; queue path: ${viaQueue.length} events; ${both} took both paths`);
      note("StockAdjusted: source com.example.stock is outside the queue rule's pattern, so it took the API destination path only");
      if (viaQueue.length !== 90 || both !== 90) throw new Error(`queue path mismatch: ${viaQueue.length} received, ${both} also via the API destination`);
    });

    await report.step('claim check: one 2 MiB event through S3, received whole on both paths', async (note) => {
      const bytes = Buffer.byteLength(JSON.stringify(INVOICE));
      const eventId = await app.client.putEvent({ source: 'com.example.orders', detailType: 'InvoiceIssued', detail: INVOICE });
      note(`putEvent: ${bytes} bytes of detail stored in s3://${PAYLOADS.bucket}/${PAYLOADS.keyPrefix}sha256/..., the reference sent (EventId ${eventId})`);
      const until = Date.now() + 60_000;
      const arrived = () => app.invoices.http !== undefined && app.invoices.queue !== undefined;
      while (!arrived() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const expected = app.digest(INVOICE);
      note(`API destination handler: ${app.invoices.http === expected ? 'the whole detail, SHA-256 as sent' : `not as sent (${app.invoices.http ?? 'not received'})`}`);
      note(`queue consumer:          ${app.invoices.queue === expected ? 'the whole detail, SHA-256 as sent' : `not as sent (${app.invoices.queue ?? 'not received'})`}`);
      if (app.invoices.http !== expected || app.invoices.queue !== expected) throw new Error('the claim-checked event did not arrive whole on both paths');
    });

    const regions = { primary: TWO_REGION_PRIMARY, secondary: TWO_REGION_SECONDARY };
    const twoRegions = await report.step(`deploy the two-region app locally: ${SECONDARY_STACK} into ${regions.secondary}, then ${PRIMARY_STACK} into ${regions.primary}`, (note) =>
      deployTwoRegions({ primary: templates.globalPrimary, secondary: templates.globalSecondary }, services.moto, regions, note, cleanups));

    const failover = await report.step('start the global endpoint stand-in, the outage switches, and an app on the two-region contract', async (note) => {
      const stands = await startFailoverServices(twoRegions, services.moto, note, cleanups);
      const failoverApp = await startFailoverApp(twoRegions, stands, pki.client, note, cleanups);
      return { stands, failoverApp };
    });

    const sentAcrossOutage = await report.step(`failover: send through the global endpoint, ${regions.primary} down, then restored`, (note) =>
      runFailover(failover.failoverApp, failover.stands, twoRegions, note));

    await report.step('receive from both regions\' queues: every acknowledged event, nothing else', (note) =>
      checkReceived(failover.failoverApp, failover.stands, sentAcrossOutage, note));

    facts.push(
      ['work directory', '.demo/ (certificates, cdk.out, bootstrap.env)'],
      ['bootstrap values', '.demo/bootstrap.env (the four values + parameter path, as environment variables)'],
      ['stack outputs', Object.keys(deployed.outputs).join(', ')],
      ['stand-ins', 'moto for AWS services, loopback Roles Anywhere, local API destination delivery, loopback global endpoint and outage switches'],
      ['global endpoint', `EndpointId ${twoRegions.endpoint.endpointId} (${twoRegions.endpoint.primaryRegion} -> ${twoRegions.endpoint.secondaryRegion}), recorded by deployLocally`],
    );
  } catch {
    exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // best effort: the remaining processes must still be stopped
      }
    }
    report.summary(facts);
    process.stdout.write(exitCode === 0 ? '\ndemo passed\n' : '\ndemo FAILED\n');
  }
  return exitCode;
}

void main().then((code) => process.exit(code));
