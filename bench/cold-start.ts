/**
 * Lambda-style cold start: the same one-event handler written three ways (ours with
 * cdk-eventbridge-connector/runtime/lambda, the raw SDK's EventBridge client, @aws-lite/client),
 * each bundled alike with esbuild (ESM, minified, platform node, target node20, every dependency
 * inlined, as NodejsFunction bundles with `format: ESM, minify: true`). Each round starts a new
 * node process per handler, in rotated order, that imports the bundle, reads its configuration
 * from the environment and sends one event to a loopback PutEvents endpoint; the time is from
 * spawn to the line the child prints once the EventId is back (the child's own count from its
 * time origin is kept too), with the child's peak RSS. A baseline handler that imports and sends
 * nothing runs in the same rotation: Node's own start, under all three, so that each
 * contender's time above it can be told apart from what no handler can save. A floor handler
 * runs too: the same event signed and sent by the bench's hand-written minimal sender (node:http
 * and node:crypto alone, no validation or retries), the least a handler that sends can take here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { createServer } from 'node:tls';
import { build, Plugin } from 'esbuild';
import { median, ROOT } from './processes';

const HANDLERS = {
  ours: 'bench/cold-start-handlers/ours.ts',
  sdk: 'bench/cold-start-handlers/sdk.ts',
  awsLite: 'bench/cold-start-handlers/aws-lite.ts',
  baseline: 'bench/cold-start-handlers/none.ts',
  floor: 'bench/cold-start-handlers/floor.ts',
} as const;
type Process = keyof typeof HANDLERS;
type Contender = Exclude<Process, 'baseline' | 'floor'>;
const PROCESSES = Object.keys(HANDLERS) as Process[];

interface Round { spawnToAckMs: number; originToAckMs: number; maxRssKiB: number }

export interface ColdStartFigures {
  readonly spawnToAckMs: number;
  readonly originToAckMs: number;
  readonly peakRssMiB: number;
  readonly bundleBytes: number;
}

export interface ColdStartResult {
  readonly rounds: number;
  /** `https`: through a loopback TLS front, as a Lambda function reaches EventBridge. */
  readonly protocol: 'http' | 'https';
  readonly contenders: Record<Contender, ColdStartFigures>;
  /** The handler that imports and sends nothing: Node's start, the ES module loader, the invoke script. */
  readonly baseline: ColdStartFigures;
  /** The hand-written node:http + node:crypto handler: the baseline plus the least sending costs. */
  readonly floor: ColdStartFigures;
  /** Medians of each round's contender (or floor) time minus that round's baseline time, in milliseconds. */
  readonly aboveBaselineMs: Record<Contender | 'floor', number>;
  /** Medians of spawn-to-acknowledged time, the floor over the raw SDK: what no handler that sends can go below. */
  readonly floorOverSdk: number;
  /** Medians of spawn-to-acknowledged time, ours over the floor. */
  readonly timeOverFloor: number;
  /** Medians of spawn-to-acknowledged time, ours over the other. */
  readonly timeOverSdk: number;
  readonly timeOverAwsLite: number;
  readonly bundleOverSdk: number;
  readonly bundleOverAwsLite: number;
  readonly rssOverSdk: number;
  readonly rssOverAwsLite: number;
}

/**
 * Our package.json as `{ version }` alone, as build-tools/bundle.mjs builds the package's
 * runtime/lambda entry: a user's bundle of the published package carries no more of it (the
 * handler here is bundled from source, which would otherwise inline the whole manifest).
 */
const packageVersionOnly: Plugin = {
  name: 'package-version-only',
  setup(b) {
    const manifest = join(ROOT, 'package.json');
    b.onLoad({ filter: /[\\/]package\.json$/, namespace: 'file' }, (args) => {
      if (resolvePath(args.path) !== manifest) return undefined;
      return { contents: JSON.stringify({ version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version }), loader: 'json' };
    });
  },
};

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    minify: true,
    platform: 'node',
    target: 'node20',
    // As NodejsFunction bundles ESM: ES module builds first, and a `require` for the CommonJS
    // libraries that call it on built-ins (aws-lite does), the banner NodejsFunction users add.
    mainFields: ['module', 'main'],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    plugins: [packageVersionOnly],
    logLevel: 'warning',
  });
  return statSync(outfile).size;
}

const INVOKE_TIMEOUT_MS = 30_000;

function invoke(bundleFile: string, env: NodeJS.ProcessEnv): Promise<Round> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(ROOT, 'bench/cold-start-invoke.mjs'), bundleFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let acked: bigint | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), INVOKE_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (acked === undefined && out.includes('\n')) acked = process.hrtime.bigint();
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (acked === undefined) return reject(new Error(`cold start of ${bundleFile} ended (${code ?? signal}) without an acknowledged event: ${err.slice(-1500)}`));
      const line = JSON.parse(out.slice(0, out.indexOf('\n'))) as { ms: number; eventId: string; maxRssKiB: number };
      if (typeof line.eventId !== 'string' || line.eventId.length === 0) return reject(new Error(`no EventId from ${bundleFile}: ${out}`));
      resolve({ spawnToAckMs: Number(acked - start) / 1e6, originToAckMs: line.ms, maxRssKiB: line.maxRssKiB });
    });
  });
}

/**
 * A TLS front on loopback for the http `endpoint`, with a certificate made by openssl in `dir`
 * that the children trust through NODE_EXTRA_CA_CERTS: an https endpoint, as a function in
 * AWS Lambda has, so that each handler's cost of loading and doing TLS is counted.
 */
async function tlsFront(endpoint: string, dir: string): Promise<{ url: string; caFile: string; close(): void }> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'tls-key.pem',
    '-out', 'tls-cert.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { cwd: dir, stdio: 'pipe' });
  const target = new URL(endpoint);
  const server = createServer({ key: readFileSync(join(dir, 'tls-key.pem')), cert: readFileSync(join(dir, 'tls-cert.pem')) }, (socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile: join(dir, 'tls-cert.pem'), close: () => server.close() };
}

/**
 * The rotation above against `endpoint` (http), or with `https` through a TLS front for it.
 * The goals are measured over http, as they were set.
 */
export async function measureColdStart(endpoint: string, rounds = 15, options: { https?: boolean } = {}): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const front = options.https ? await tlsFront(endpoint, dir) : undefined;
  try {
    const files = {} as Record<Process, string>;
    const bytes = {} as Record<Process, number>;
    for (const c of PROCESSES) {
      files[c] = join(dir, `${c}.mjs`);
      bytes[c] = await bundle(HANDLERS[c], files[c]);
    }
    // What a Lambda function's environment holds, and nothing from this machine's AWS setup.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDCOLDSTARTBENCH',
      AWS_SECRET_ACCESS_KEY: 'cold-start-bench-secret',
      AWS_SESSION_TOKEN: 'cold-start-bench-token',
      AWS_ENDPOINT_URL_EVENTBRIDGE: front?.url ?? endpoint,
      EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: 'cold-start-bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(front && { NODE_EXTRA_CA_CERTS: front.caFile }),
    };
    // One unmeasured start each, so the first measured round does not pay for a cold disk cache.
    for (const c of PROCESSES) await invoke(files[c], env);
    const runs = Object.fromEntries(PROCESSES.map((c) => [c, [] as Round[]])) as Record<Process, Round[]>;
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so that no process always runs right after another.
      for (let i = 0; i < PROCESSES.length; i++) {
        const c = PROCESSES[(round + i) % PROCESSES.length];
        runs[c].push(await invoke(files[c], env));
      }
    }
    const all = Object.fromEntries(PROCESSES.map((c) => [c, {
      spawnToAckMs: median(runs[c].map((r) => r.spawnToAckMs)),
      originToAckMs: median(runs[c].map((r) => r.originToAckMs)),
      peakRssMiB: median(runs[c].map((r) => r.maxRssKiB)) / 1024,
      bundleBytes: bytes[c],
    }])) as Record<Process, ColdStartFigures>;
    const { baseline, floor, ...figures } = all;
    const { ours, sdk, awsLite } = figures;
    const above = (c: Contender | 'floor') => median(runs[c].map((r, i) => r.spawnToAckMs - runs.baseline[i].spawnToAckMs));
    return {
      rounds,
      protocol: front ? 'https' : 'http',
      contenders: figures,
      baseline,
      floor,
      aboveBaselineMs: { ours: above('ours'), sdk: above('sdk'), awsLite: above('awsLite'), floor: above('floor') },
      floorOverSdk: floor.spawnToAckMs / sdk.spawnToAckMs,
      timeOverFloor: ours.spawnToAckMs / floor.spawnToAckMs,
      timeOverSdk: ours.spawnToAckMs / sdk.spawnToAckMs,
      timeOverAwsLite: ours.spawnToAckMs / awsLite.spawnToAckMs,
      bundleOverSdk: ours.bundleBytes / sdk.bundleBytes,
      bundleOverAwsLite: ours.bundleBytes / awsLite.bundleBytes,
      rssOverSdk: ours.peakRssMiB / sdk.peakRssMiB,
      rssOverAwsLite: ours.peakRssMiB / awsLite.peakRssMiB,
    };
  } finally {
    front?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function coldStartGoals(r: ColdStartResult) {
  return [
    { name: 'Lambda cold start to first EventId, ours over raw SDK', value: r.timeOverSdk, goal: '<= 0.5', met: r.timeOverSdk <= 0.5 },
    { name: 'Lambda cold start to first EventId, ours over aws-lite', value: r.timeOverAwsLite, goal: '< 1', met: r.timeOverAwsLite < 1 },
    { name: 'Lambda handler bundle bytes, ours over aws-lite', value: r.bundleOverAwsLite, goal: '<= 1', met: r.bundleOverAwsLite <= 1 },
  ];
}

export function describeColdStart(r: ColdStartResult): string {
  const c = r.contenders;
  const row = (name: string, f: ColdStartFigures) =>
    `  ${name.padEnd(9)} ${f.spawnToAckMs.toFixed(1).padStart(7)} ms spawn to EventId (${f.originToAckMs.toFixed(1)} ms from the child's time origin), ` +
    `bundle ${(f.bundleBytes / 1024).toFixed(1)} KiB, peak RSS ${f.peakRssMiB.toFixed(1)} MiB`;
  const above = (name: Contender | 'floor') => ` (${r.aboveBaselineMs[name].toFixed(1)} ms above the baseline)`;
  return [
    `Lambda-style cold start, ${r.protocol} endpoint (medians of ${r.rounds} rotated rounds):`,
    row('ours', c.ours) + above('ours'),
    row('raw SDK', c.sdk) + above('sdk'),
    row('aws-lite', c.awsLite) + above('awsLite'),
    `${row('baseline', r.baseline)} (a handler that imports and sends nothing: Node's own start)`,
    `${row('floor', r.floor)}${above('floor')} (node:http + node:crypto by hand: the least a sending handler takes)`,
    `  ours / raw SDK: time ${r.timeOverSdk.toFixed(2)}, bundle ${r.bundleOverSdk.toFixed(2)}, peak RSS ${r.rssOverSdk.toFixed(2)}`,
    `  ours / aws-lite: time ${r.timeOverAwsLite.toFixed(2)}, bundle ${r.bundleOverAwsLite.toFixed(2)}, peak RSS ${r.rssOverAwsLite.toFixed(2)}`,
    `  time above the baseline, ours / raw SDK: ${(r.aboveBaselineMs.ours / r.aboveBaselineMs.sdk).toFixed(2)}, ours / aws-lite: ${(r.aboveBaselineMs.ours / r.aboveBaselineMs.awsLite).toFixed(2)}`,
    `  floor / raw SDK: time ${r.floorOverSdk.toFixed(2)} (no sending handler measures below this ratio here); ours / floor: time ${r.timeOverFloor.toFixed(2)}`,
  ].join('\n');
}
