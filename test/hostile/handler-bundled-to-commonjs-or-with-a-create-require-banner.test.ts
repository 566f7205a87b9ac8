/**
 * A handler that an app bundles again, as NodejsFunction does, from the package's ES module build
 * (an `import` statement picks the exports map's `import` condition, whatever the output format).
 * The builds take node:http through createRequire (Node 22's lazy http exports would load
 * node:tls), and two ways of bundling broke that at load:
 * - to CommonJS, NodejsFunction's default format (no `bundling.format`): esbuild leaves
 *   `import.meta` empty there, and createRequire(undefined) threw "The argument 'filename' must
 *   be a file URL object ... Received undefined";
 * - to an ES module, not minified, with the banner ESM bundles usually start with
 *   (`import { createRequire } from 'module'; const require = createRequire(import.meta.url);`):
 *   the bundle declared `createRequire` twice, "Identifier 'createRequire' has already been declared".
 * Each bundle runs in a new process, as Lambda's Node runtime imports it, and sends one event to
 * the loopback endpoint over http (the Lambda entry without loading node:tls).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildSync, Format } from 'esbuild';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../support/bundles';

jest.setTimeout(120_000);

const execFileAsync = promisify(execFile);
const REPO = join(__dirname, '..', '..');
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

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

/** The handler of docs/lambda.md (examples/lambda's), bundled by NodejsFunction with these options. */
const FUNCTIONS: Record<string, [BundlingOptions, string]> = {
  'NodejsFunction, default format (CommonJS)': [{}, 'index.js'],
  'NodejsFunction, OutputFormat.ESM, minified': [{ format: OutputFormat.ESM, minify: true }, 'index.mjs'],
  'NodejsFunction, OutputFormat.ESM with the createRequire banner': [{ format: OutputFormat.ESM, banner: BANNER }, 'index.mjs'],
};
/** The full runtime's handler, bundled by esbuild with these options. */
const RUNTIME_BUNDLES: Record<string, [Format, string | undefined, string]> = {
  'runtime, esbuild, CommonJS': ['cjs', undefined, 'commonjs.js'],
  'runtime, esbuild, ES module': ['esm', undefined, 'module.mjs'],
  'runtime, esbuild, ES module with the createRequire banner': ['esm', BANNER, 'banner.mjs'],
};

let outdir: string;
let endpoint: EventBridgeEndpoint;
/** Bundle file by case. */
const bundles = new Map<string, string>();

beforeAll(async () => {
  ensureBundles();
  // Like a Lambda asset folder, these have no package.json above them: a .js bundle is CommonJS.
  outdir = mkdtempSync(join(tmpdir(), 'rebundled-handler-'));
  const app = new App({ outdir: join(outdir, 'cdk.out') });
  const stack = new Stack(app, 'Senders');
  for (const [name, [bundling, file]] of Object.entries(FUNCTIONS)) {
    const fn = new NodejsFunction(stack, name.replace(/\W/g, ''), {
      entry: join(REPO, 'examples', 'lambda', 'handler.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
      bundling: { ...bundling, forceDockerBundling: false },
    });
    const asset = (fn.node.defaultChild as lambda.CfnFunction).code as { s3Key: string };
    bundles.set(name, join(outdir, 'cdk.out', `asset.${asset.s3Key.replace(/\.zip$/, '')}`, file));
  }
  app.synth();
  for (const [name, [format, banner, file]] of Object.entries(RUNTIME_BUNDLES)) {
    buildSync({
      stdin: { contents: RUNTIME_HANDLER, resolveDir: REPO, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node22',
      format,
      banner: banner === undefined ? undefined : { js: banner },
      outfile: join(outdir, 'runtime', file),
      logLevel: 'silent',
    });
    bundles.set(name, join(outdir, 'runtime', file));
  }
  endpoint = await startEventBridgeEndpoint();
});

afterAll(async () => {
  await endpoint?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

test.each([...Object.keys(FUNCTIONS), ...Object.keys(RUNTIME_BUNDLES)])('the handler bundled by %s starts and sends its event', async (name) => {
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
  if (name in FUNCTIONS) expect(out.tls).toBe(false);
});
