/**
 * A handler bundled to CommonJS, NodejsFunction's default format (no `bundling.format`), and to
 * an ES module: the app's esbuild takes the package's ES module build either way (an `import`
 * statement picks the exports map's `import` condition), and in CommonJS output esbuild leaves
 * `import.meta` empty. The builds take node:http through createRequire (Node 22's lazy http
 * exports would load node:tls); from an empty `import.meta.url` that threw at INIT, "The argument
 * 'filename' must be a file URL object ... Received undefined", for both runtime entries. Each
 * bundle runs in a new process, as Lambda's Node runtime imports it, and sends one event to the
 * loopback endpoint over http without loading node:tls.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildSync } from 'esbuild';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../support/bundles';

jest.setTimeout(120_000);

const execFileAsync = promisify(execFile);
const REPO = join(__dirname, '..', '..');

/** A server-side handler on the full runtime, as an app bundles it with esbuild for Node. */
const RUNTIME_HANDLER = `
import { ConnectorClient } from 'cdk-eventbridge-connector/runtime';
const client = new ConnectorClient({ region: 'eu-west-1', eventBusName: 'orders', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }, endpoint: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE });
export const handler = async (order: { orderId: string }) => {
  const eventId = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: order });
  client.destroy();
  return { eventId };
};
`;

let outdir: string;
let endpoint: EventBridgeEndpoint;
/** Bundle file by case. */
const bundles = new Map<string, string>();

beforeAll(async () => {
  ensureBundles();
  outdir = mkdtempSync(join(tmpdir(), 'lambda-commonjs-'));
  // Like a Lambda asset folder, these have no package.json above them: a .js bundle is CommonJS.
  const app = new App({ outdir: join(outdir, 'cdk.out') });
  const stack = new Stack(app, 'Senders');
  // The handler of docs/lambda.md, as examples/lambda has it.
  const functions: Array<[string, OutputFormat | undefined, string]> = [
    ['NodejsFunction, default format (CommonJS)', undefined, 'index.js'],
    ['NodejsFunction, OutputFormat.ESM', OutputFormat.ESM, 'index.mjs'],
  ];
  for (const [name, format, file] of functions) {
    const fn = new NodejsFunction(stack, name.replace(/\W/g, ''), {
      entry: join(REPO, 'examples', 'lambda', 'handler.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
      bundling: { format, forceDockerBundling: false },
    });
    const asset = (fn.node.defaultChild as lambda.CfnFunction).code as { s3Key: string };
    bundles.set(name, join(outdir, 'cdk.out', `asset.${asset.s3Key.replace(/\.zip$/, '')}`, file));
  }
  app.synth();
  for (const [name, format, file] of [['esbuild, CommonJS', 'cjs', 'runtime.js'], ['esbuild, ES module', 'esm', 'runtime.mjs']] as const) {
    buildSync({
      stdin: { contents: RUNTIME_HANDLER, resolveDir: REPO, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node22',
      format,
      outfile: join(outdir, 'runtime', file),
      logLevel: 'silent',
    });
    bundles.set(`runtime, ${name}`, join(outdir, 'runtime', file));
  }
  endpoint = await startEventBridgeEndpoint();
});

afterAll(async () => {
  await endpoint?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const CASES = ['NodejsFunction, default format (CommonJS)', 'NodejsFunction, OutputFormat.ESM', 'runtime, esbuild, CommonJS', 'runtime, esbuild, ES module'];

test.each(CASES)('the handler bundled by %s starts and sends its event', async (name) => {
  const invoke = [
    `const m = await import(${JSON.stringify(pathToFileURL(bundles.get(name)!).href)});`,
    "const out = await m.handler({ orderId: 'o-1' });",
    "process.stdout.write(JSON.stringify({ ...out, tls: process.moduleLoadList.includes('NativeModule tls') }));",
    'process.exit(0);',
  ].join(' ');
  const env = {
    PATH: process.env.PATH,
    HOME: outdir,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: 'orders',
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.endpoint,
  };
  // Not execFileSync: the endpoint answers from this process's event loop.
  const run = await execFileAsync(process.execPath, ['--input-type=module', '-e', invoke], { cwd: outdir, env, encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(run.stdout) as { eventId: string; tls: boolean };
  expect(endpoint.accepted.get(out.eventId)).toEqual(expect.objectContaining({ detailType: 'OrderPlaced', detail: JSON.stringify({ orderId: 'o-1' }) }));
  // The Lambda entry loads node:tls only for an https endpoint (the full runtime's AWS SDK does load it).
  if (!name.startsWith('runtime,')) expect(out.tls).toBe(false);
});
