/**
 * PutEventsClient loads node:https (and node:tls) for an https endpoint alone: the exchange sends
 * through node:http's request over the https agent. This holds both sides of that on the wire,
 * for both shipped builds of cdk-eventbridge-connector/runtime/lambda (CommonJS and ES module),
 * each in a new process: over TLS to a loopback https endpoint whose certificate the process
 * trusts (NODE_EXTRA_CA_CERTS), the certificate checked; and to an http endpoint without loading
 * node:tls at all.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startEventBridgeEndpoint, EventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../../support/bundles';

const execFileAsync = promisify(execFile);
const LIB = join(__dirname, '..', '..', '..', 'lib', 'runtime', 'lambda');

/** Sends one event with the client the build exports; prints its EventId and whether node:tls was loaded. */
const SEND = `
const events = new PutEventsClient();
const eventId = await events.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } });
events.close();
process.stdout.write(JSON.stringify({ eventId, tls: process.moduleLoadList.includes('NativeModule tls') }));
`;
const BUILDS = {
  commonjs: ['-e', `const { PutEventsClient } = require(${JSON.stringify(join(LIB, 'index.js'))}); (async () => {${SEND}})();`],
  esm: ['--input-type=module', '-e', `import { PutEventsClient } from ${JSON.stringify(pathToFileURL(join(LIB, 'index.mjs')).href)};${SEND}`],
};

let dir: string;
let https: Server;
let httpsUrl: string;
let plain: EventBridgeEndpoint;
const arrivals: string[] = [];

beforeAll(async () => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'lambda-https-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem',
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { cwd: dir, stdio: 'pipe' });
  https = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      arrivals.push(`${req.headers.host} ${req.url} ${(req.socket as { encrypted?: boolean }).encrypted === true ? 'tls' : 'plain'} ${body.length > 0}`);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: `tls-${arrivals.length}` }] }));
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  plain = await startEventBridgeEndpoint();
});

afterAll(async () => {
  https?.closeAllConnections();
  https?.close();
  await plain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function environment(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
    EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: 'orders',
    ...extra,
  };
}

async function send(args: string[], env: NodeJS.ProcessEnv): Promise<{ eventId: string; tls: boolean }> {
  // Not execFileSync: the endpoints answer from this process's event loop.
  const { stdout } = await execFileAsync(process.execPath, args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout) as { eventId: string; tls: boolean };
}

describe.each(Object.entries(BUILDS))('the %s build', (_build, args) => {
  test('sends over TLS to an https endpoint it trusts', async () => {
    const before = arrivals.length;
    const out = await send(args, environment(httpsUrl, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }));
    expect(out).toEqual({ eventId: `tls-${before + 1}`, tls: true });
    expect(arrivals.slice(before)).toEqual([`127.0.0.1:${new URL(httpsUrl).port} / tls true`]);
  });

  test('refuses an https endpoint whose certificate it does not trust', async () => {
    const before = arrivals.length;
    await expect(send(args, environment(httpsUrl))).rejects.toThrow(/self-signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(arrivals.length).toBe(before);
  });

  test('sends to an http endpoint without loading node:tls', async () => {
    const out = await send(args, environment(plain.endpoint));
    expect(out.tls).toBe(false);
    expect(plain.accepted.get(out.eventId)).toEqual(expect.objectContaining({ source: 'com.example.orders', eventBusName: 'orders' }));
  });
});
