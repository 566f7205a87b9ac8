// The bundles as the package ships them, in child processes: without @opentelemetry/api
// resolvable at all, and with it but no SDK, nothing is loaded and events go out as given; with an
// SDK registered, the ES module build loads the API lazily too (no `require` there).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ensureBundles } from '../../support/bundles';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');
const DETAIL = { orderId: 'o-1' };

/** Sends one event with the bundle at `bundle`, and prints what the process loaded. */
function script(bundle: string, endpoint: string, esm: boolean, setup = ''): string {
  const load = esm ? `const runtime = await import(${JSON.stringify(`file://${bundle}`)});` : `const runtime = require(${JSON.stringify(bundle)});`;
  const body = `
    ${setup}
    ${load}
    const client = new runtime.ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', endpoint: ${JSON.stringify(endpoint)},
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const eventId = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: ${JSON.stringify(DETAIL)} });
    await client.close();
    // Every CommonJS module the process loaded (the API is CommonJS, however it is reached).
    const loaded = Object.keys((await import('node:module')).default._cache).filter((k) => k.includes('@opentelemetry'));
    console.log(JSON.stringify({ eventId, loaded, spans: globalThis.exported?.map((s) => s.name) ?? [] }));
  `;
  return esm ? body : `(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`;
}

async function runScript(source: string, esm: boolean): Promise<{ eventId: string; loaded: string[]; spans: string[] }> {
  const args = esm ? ['--input-type=module', '-e', source] : ['-e', source];
  const { stdout } = await run(process.execPath, args, { cwd: tmpdir(), env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('the bundles without OpenTelemetry', () => {
  let endpoint: EventBridgeEndpoint;
  let isolated: string;

  beforeAll(async () => {
    ensureBundles();
    endpoint = await startEventBridgeEndpoint();
    // The bundles carry everything but @opentelemetry/api: copied where no node_modules is above.
    isolated = await fs.mkdtemp(join(tmpdir(), 'no-otel-'));
    for (const file of ['index.js', 'index.mjs']) await fs.copyFile(join(REPO, 'lib', 'runtime', file), join(isolated, file));
  }, 120_000);
  afterAll(async () => {
    await endpoint?.stop();
    if (isolated) await fs.rm(isolated, { recursive: true, force: true });
  });

  const sentDetail = (eventId: string) => JSON.parse(endpoint.accepted.get(eventId)!.detail);

  test.each([['CommonJS', false], ['ES module', true]] as const)('%s build, @opentelemetry/api not resolvable: loads and sends detail as given', async (_name, esm) => {
    await expect(fs.access(join(isolated, 'node_modules'))).rejects.toThrow();
    const bundle = join(isolated, esm ? 'index.mjs' : 'index.js');
    // A provider registered as the API does it (a copy of the API elsewhere): the runtime tries
    // to load its own and cannot; tracing stays off, nothing fails.
    const fakeRegistration = "globalThis[Symbol.for('opentelemetry.js.api.1')] = { version: '1.9.0', trace: {} };";
    const result = await runScript(script(bundle, endpoint.endpoint, esm, fakeRegistration), esm);
    expect(sentDetail(result.eventId)).toEqual(DETAIL);
    expect(result.loaded).toEqual([]);
  });

  test.each([['CommonJS', false], ['ES module', true]] as const)('%s build, the API installed but no SDK: nothing of it is loaded, detail as given', async (_name, esm) => {
    const bundle = join(REPO, 'lib', 'runtime', esm ? 'index.mjs' : 'index.js');
    const result = await runScript(script(bundle, endpoint.endpoint, esm), esm);
    expect(sentDetail(result.eventId)).toEqual(DETAIL);
    expect(result.loaded).toEqual([]);
  });

  test.each([['CommonJS', false], ['ES module', true]] as const)('%s build with an SDK registered: the API is loaded on first use and the event carries the trace', async (_name, esm) => {
    const bundle = join(REPO, 'lib', 'runtime', esm ? 'index.mjs' : 'index.js');
    const setup = `
      const fromRepo = (await import('node:module')).createRequire(${JSON.stringify(join(REPO, 'package.json'))});
      const api = fromRepo('@opentelemetry/api');
      const { BasicTracerProvider, SimpleSpanProcessor } = fromRepo('@opentelemetry/sdk-trace-base');
      const { W3CTraceContextPropagator } = fromRepo('@opentelemetry/core');
      globalThis.exported = [];
      const exporter = { export: (spans, done) => { globalThis.exported.push(...spans); done({ code: 0 }); }, shutdown: async () => {} };
      api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    `;
    const result = await runScript(script(bundle, endpoint.endpoint, esm, setup), esm);
    expect(sentDetail(result.eventId)).toEqual({ _trace: { traceparent: expect.stringMatching(/^00-/) }, ...DETAIL });
    expect(result.spans).toEqual(expect.arrayContaining(['create orders', 'send orders']));
    // What the two tests above find empty is not empty when the API is loaded.
    expect(result.loaded.some((file) => file.includes('@opentelemetry/api'))).toBe(true);
  });
});
