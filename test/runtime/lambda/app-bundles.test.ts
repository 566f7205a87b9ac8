/**
 * The shipped ES module builds as apps bundle them: a handler importing
 * cdk-eventbridge-connector/runtime/lambda (or /runtime) by an `import` statement gets the `.mjs`
 * build from the exports map whatever format it is bundled to, and NodejsFunction's default
 * format is CommonJS, where esbuild leaves `import.meta` empty. Each build, bundled by esbuild to
 * CommonJS and to an ES module, runs in a new process of this Node (the Node-version runs repeat
 * it on 22 and 24) and sends one event to a loopback endpoint over http; /runtime/lambda without
 * loading node:tls (/runtime loads it with the AWS SDK, whatever the endpoint).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startEventBridgeEndpoint, EventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../../support/bundles';

const execFileAsync = promisify(execFile);
const LIB = join(__dirname, '..', '..', '..', 'lib', 'runtime');

/** Each handler sends one event and prints its EventId and whether node:tls was loaded. */
const HANDLERS = {
  '/runtime/lambda': `
import { PutEventsClient } from ${JSON.stringify(join(LIB, 'lambda', 'index.mjs'))};
const events = new PutEventsClient();
const eventId = await events.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } });
events.close();
process.stdout.write(JSON.stringify({ eventId, tls: process.moduleLoadList.includes('NativeModule tls') }));
`,
  '/runtime': `
import { ConnectorClient } from ${JSON.stringify(join(LIB, 'index.mjs'))};
const client = new ConnectorClient({ region: 'eu-west-1', eventBusName: 'orders', endpoint: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } });
const eventId = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } });
await client.close();
process.stdout.write(JSON.stringify({ eventId, tls: process.moduleLoadList.includes('NativeModule tls') }));
`,
};

let dir: string;
let endpoint: EventBridgeEndpoint;

beforeAll(async () => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'app-bundles-'));
  endpoint = await startEventBridgeEndpoint();
});

afterAll(async () => {
  await endpoint?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(Object.entries(HANDLERS))('an app bundling %s', (entry, source) => {
  test.each(['cjs', 'esm'] as const)('to %s runs and sends over http', async (format) => {
    const outfile = join(dir, `${entry.replace(/\W/g, '-')}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    // Top-level await is an ES module's: the CommonJS handler wraps the same code in a function.
    const contents = format === 'cjs' ? source.replace(/^(import .*;)$/m, '$1\nexport const run = (async () => {').concat('})();') : source;
    const result = await build({
      stdin: { contents, resolveDir: dir, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format,
      target: 'node20',
      minify: true,
      outfile,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const { stdout } = await execFileAsync(process.execPath, [outfile], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.endpoint,
        EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: 'orders',
      },
    });
    const out = JSON.parse(stdout) as { eventId: string; tls: boolean };
    if (entry === '/runtime/lambda') expect(out.tls).toBe(false);
    expect(endpoint.accepted.get(out.eventId)).toEqual(expect.objectContaining({ source: 'com.example.orders', eventBusName: 'orders' }));
  });
});
