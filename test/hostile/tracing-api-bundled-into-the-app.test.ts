/**
 * An app that bundles its OpenTelemetry set-up, the API included (esbuild's default, as a
 * NodejsFunction or any server bundle does), and runs where nothing is installed. The runtime
 * takes the API from beside the package, finds none, and traced nothing: no spans, no carrier,
 * and no word of it, while the app's own spans went on. The send still goes, and the process is
 * warned once (EVENTBRIDGE_CONNECTOR_TRACING_ERROR) that nothing is traced. With the API kept
 * out of the bundle and installed beside it (docs/tracing.md), the event carries its trace.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../support/bundles';

jest.setTimeout(120_000);

const execFileAsync = promisify(execFile);
const REPO = join(__dirname, '..', '..');

/** docs/tracing.md's set-up, sending one event; prints its EventId and the warnings' codes. */
const APP = `
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ConnectorClient } from 'cdk-eventbridge-connector/runtime';

const warnings = [];
process.on('warning', (warning) => warnings.push(warning.code ?? warning.name));
trace.setGlobalTracerProvider(new BasicTracerProvider());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: process.env.ENDPOINT });
const span = trace.getTracer('shop').startSpan('POST /orders');
const eventId = await context.with(trace.setSpan(context.active(), span), () =>
  client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } }));
span.end();
client.destroy();
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(JSON.stringify({ eventId, warnings }));
`;

let dir: string;
let endpoint: EventBridgeEndpoint;
beforeAll(async () => {
  ensureBundles();
  // Under the machine's temporary folder: no node_modules above it.
  dir = mkdtempSync(join(tmpdir(), 'bundled-otel-'));
  endpoint = await startEventBridgeEndpoint();
});
afterAll(async () => {
  await endpoint?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(folder: string, external: string[]): Promise<{ detail: Record<string, unknown>; warnings: string[] }> {
  mkdirSync(join(dir, folder));
  const outfile = join(dir, folder, 'app.mjs');
  buildSync({
    stdin: { contents: APP, resolveDir: REPO, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    // The SDK's packages are CommonJS that require built-ins: the banner ES module bundles start with.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    outfile,
    logLevel: 'silent',
  });
  if (external.length > 0) {
    mkdirSync(join(dir, folder, 'node_modules', '@opentelemetry'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', '@opentelemetry', 'api'), join(dir, folder, 'node_modules', '@opentelemetry', 'api'), 'dir');
  }
  // Not execFileSync: the endpoint answers from this process's event loop.
  const { stdout } = await execFileAsync(process.execPath, [outfile], { cwd: join(dir, folder), env: { PATH: process.env.PATH, ENDPOINT: endpoint.endpoint }, encoding: 'utf8', timeout: 60_000 });
  const { eventId, warnings } = JSON.parse(stdout) as { eventId: string; warnings: string[] };
  return { detail: JSON.parse(endpoint.accepted.get(eventId)!.detail), warnings };
}

test('with the API inside the bundle, the event is sent untraced and the process is warned once', async () => {
  expect(await run('all-bundled', [])).toEqual({ detail: { orderId: 'o-1' }, warnings: ['EVENTBRIDGE_CONNECTOR_TRACING_ERROR'] });
});

test('with the API external and installed beside the bundle, the event carries its trace', async () => {
  const { detail, warnings } = await run('api-external', ['@opentelemetry/api']);
  expect(detail).toEqual({ _trace: { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) }, orderId: 'o-1' });
  expect(warnings).toEqual([]);
});
