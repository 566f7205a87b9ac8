/**
 * A user's first hour, as a test: the packed tarball installed into a fresh CDK app outside the
 * repository, the construct examples of the README and the guides copied in with cdk-nag's AwsSolutionsChecks,
 * synthesized and linted; a CommonJS app, an ES module app and an esbuild ESM bundle of a
 * TypeScript app each sending events through the local PutEvents endpoint. The consumer's other
 * packages (aws-cdk-lib, constructs, cdk-nag, typescript, esbuild, @types/node) are this
 * repository's, by symlink: nothing is fetched. Relies on `npx projen compile` and the bundle,
 * which `npm test` runs first.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { isConstructSnippet, typescriptSnippets, where } from './readme-snippets';
import { childEnv, PACKAGE_NAME, REPO, run } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { createTestPki, TestPki } from '../rolesanywhere/test-pki';

const PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'typescript', 'esbuild', '@types/node', 'undici-types'];
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const ESBUILD = join(REPO, 'node_modules', 'esbuild', 'bin', 'esbuild');
const execFileAsync = promisify(execFile);

/** The consumer's environment: without the variable that silences the SDK's Node-version warning. */
function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = childEnv();
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return { ...env, ...extra };
}

let dir: string;
let consumer: string;
let installSeconds: number;
let pki: TestPki;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'package-consumer-'));
  const packed = run('npm', ['pack', '--pack-destination', dir, '--ignore-scripts', '--json'], REPO);
  if (packed.status !== 0) throw new Error(`npm pack exited with ${packed.status}: ${packed.stderr}`);
  const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);

  consumer = join(dir, 'consumer-app');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }));
  const started = process.hrtime.bigint();
  const install = run('npm', [
    'install', tarball,
    '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer', '--legacy-peer-deps', '--no-package-lock',
    '--cache', join(dir, 'npm-cache'),
  ], consumer);
  if (install.status !== 0) throw new Error(`npm install exited with ${install.status}: ${install.stderr}`);
  for (const peer of PEERS) {
    mkdirSync(join(consumer, 'node_modules', peer, '..'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', peer), join(consumer, 'node_modules', peer), 'dir');
  }
  installSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  // The files the examples (and rosetta/certificates.ts-fixture) read: the CA, the app's certificate, a CRL.
  pki = createTestPki();
  writeFileSync(join(consumer, 'ca.pem'), pki.caPem);
  writeFileSync(join(consumer, 'app.pem'), pki.leafPem);
  writeFileSync(join(consumer, 'ca.crl'), pki.crlPem);
});

afterAll(() => {
  pki?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the consumer is outside the repository and installs in bounded time', () => {
  expect(relative(REPO, consumer).startsWith('..')).toBe(true);
  expect(readFileSync(join(consumer, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8')).toContain(`"name": "${PACKAGE_NAME}"`);
  console.log(`installed the tarball and linked ${PEERS.length} packages in ${installSeconds.toFixed(1)} s`);
  expect(installSeconds).toBeLessThan(60);
});

describe('the construct examples of the README and the guides in the consumer app, with cdk-nag', () => {
  const examples = typescriptSnippets().filter(isConstructSnippet);
  const slug = (example: { file: string; line: number }) => `${example.file.replace(/[^A-Za-z0-9]+/g, '-')}-${example.line}`;
  const NAG = [
    "import { AwsSolutionsChecks as ConsumerNagChecks } from 'cdk-nag';",
    "import { readFileSync as consumerReadFile, writeFileSync as consumerWriteFile } from 'node:fs';",
    // What rosetta/certificates.ts-fixture declares as given, from the files written above.
    "Object.assign(globalThis, { caPem: consumerReadFile('ca.pem', 'utf8'), appPem: consumerReadFile('app.pem', 'utf8') });",
  ].join('\n');
  // After the example: synthesize, then record every unacknowledged AwsSolutions finding.
  const FOOTER = `
app.synth();
const consumerFindings = new ConsumerNagChecks().validateScope(app).violations.flatMap((violation) =>
  violation.violatingResources.map((resource) => ({ rule: violation.ruleName, path: resource.constructPath })));
consumerWriteFile(process.env.FINDINGS_FILE!, JSON.stringify(consumerFindings));
`;
  let compiled: { status: number | null; output: string };
  const results = new Map<string, { status: number | null; stderr: string; findings: Array<{ rule: string; path: string }>; templates: string[] }>();

  beforeAll(() => {
    const files = examples.map((example) => {
      const file = `example-${slug(example)}.ts`;
      writeFileSync(join(consumer, file), `${NAG}\n${example.program}${FOOTER}`);
      return file;
    });
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node'], outDir: 'dist', rootDir: '.' },
      files,
    }));
    const tsc = spawnSync(process.execPath, [TSC, '-p', consumer], { cwd: consumer, env: consumerEnv(), encoding: 'utf8', timeout: 300_000 });
    compiled = { status: tsc.status, output: `${tsc.stdout}${tsc.stderr}`.trim() };
    if (compiled.status !== 0) return;
    for (const example of examples) {
      const outdir = join(dir, `cdk.out-${slug(example)}`);
      const findingsFile = join(dir, `findings-${slug(example)}.json`);
      const synth = spawnSync(process.execPath, [join('dist', `example-${slug(example)}.js`)], {
        cwd: consumer, env: consumerEnv({ CDK_OUTDIR: outdir, FINDINGS_FILE: findingsFile }), encoding: 'utf8', timeout: 120_000,
      });
      const templates = synth.status === 0 ? readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => join(outdir, f)) : [];
      const findings = synth.status === 0 ? JSON.parse(readFileSync(findingsFile, 'utf8')) : [];
      results.set(where(example), { status: synth.status, stderr: synth.stderr, findings, templates });
    }
  });

  test('there are examples of the connector and of the Roles Anywhere L2s alone, in the README and the guides', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    expect(examples.map((example) => example.file)).toEqual(expect.arrayContaining(['README.md', 'docs/constructs.md']));
  });

  test('they type-check in the consumer under strict', () => {
    expect(compiled).toEqual({ status: 0, output: '' });
  });

  test.each(examples.map((example) => [where(example), example.section] as const))(
    '%s (%s) synthesizes with no cdk-nag finding on what the library creates, and cfn-lint finds nothing',
    (at) => {
      const result = results.get(at)!;
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      // The examples create library constructs only, and the user's own `taskRole` (fixture)
      // and `role` (Roles Anywhere example): findings on those are the user's to acknowledge.
      const users = /^[^/]+\/(TaskRole|Role)\//;
      const library = result.findings.filter((finding) => !users.test(finding.path));
      const user = result.findings.filter((finding) => users.test(finding.path));
      if (user.length > 0) console.log(`${at}: findings on the user's own resources:\n${JSON.stringify(user, null, 2)}`);
      expect(result.templates.length).toBeGreaterThan(0);
      const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...result.templates], { encoding: 'utf8', timeout: 120_000 });
      // One assertion, so that a failure shows both the findings and cfn-lint's output.
      expect({ libraryFindings: library, cfnLint: { status: lint.status, output: `${lint.stdout}${lint.stderr}`.trim() } })
        .toEqual({ libraryFindings: [], cfnLint: { status: 0, output: '' } });
    },
  );
});

describe('apps send events through the local PutEvents endpoint', () => {
  let endpoint: EventBridgeEndpoint;

  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint();
  });

  afterAll(async () => endpoint?.stop());

  /** What each app does, whatever its module system: 3 events, print the result. */
  const SEND = (app: string) => `
const client = new ConnectorClient({
  region: 'us-east-1',
  eventBusName: 'orders',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  endpoint: process.env.EVENTS_ENDPOINT,
});
client.putEvents([1, 2, 3].map((n) => ({ source: 'com.example.${app}', detailType: 'OrderPlaced', detail: { orderId: 'o-' + n } })))
  .then((result) => {
    console.log(JSON.stringify(result));
    client.destroy();
  });
`;

  async function sendFrom(cwd: string, file: string): Promise<{ stderr: string; failedEntryCount: number; eventIds: string[] }> {
    const { stdout, stderr } = await execFileAsync(process.execPath, [file], {
      cwd, env: consumerEnv({ EVENTS_ENDPOINT: endpoint.endpoint }), encoding: 'utf8', timeout: 60_000,
    });
    const result = JSON.parse(stdout) as { failedEntryCount: number; entries: Array<{ eventId?: string }> };
    return { stderr, failedEntryCount: result.failedEntryCount, eventIds: result.entries.map((entry) => entry.eventId!) };
  }

  function expectAccepted(sent: { eventIds: string[] }, source: string): void {
    expect(sent.eventIds).toHaveLength(3);
    for (const id of sent.eventIds) {
      expect(endpoint.accepted.get(id)).toMatchObject({ source, detailType: 'OrderPlaced', eventBusName: 'orders' });
    }
  }

  test('a CommonJS app (require)', async () => {
    writeFileSync(join(consumer, 'send.cjs'), `const { ConnectorClient } = require('${PACKAGE_NAME}/runtime');\n${SEND('cjs')}`);
    const sent = await sendFrom(consumer, 'send.cjs');
    // No Node-version warning from the bundled SDK, though the consumer did not silence it.
    expect({ stderr: sent.stderr, failed: sent.failedEntryCount }).toEqual({ stderr: '', failed: 0 });
    expectAccepted(sent, 'com.example.cjs');
  });

  test('an ES module app (import)', async () => {
    writeFileSync(join(consumer, 'send.mjs'), `import { ConnectorClient } from '${PACKAGE_NAME}/runtime';\n${SEND('esm')}`);
    const sent = await sendFrom(consumer, 'send.mjs');
    expect({ stderr: sent.stderr, failed: sent.failedEntryCount }).toEqual({ stderr: '', failed: 0 });
    expectAccepted(sent, 'com.example.esm');
  });

  test('a TypeScript app bundled by esbuild --bundle --format=esm, run where no node_modules is', async () => {
    writeFileSync(join(consumer, 'send-bundled.ts'), `import { ConnectorClient } from '${PACKAGE_NAME}/runtime';\n${SEND('bundled')}`);
    const out = mkdtempSync(join(tmpdir(), 'package-consumer-bundle-'));
    try {
      const bundled = spawnSync(ESBUILD, [
        'send-bundled.ts', '--bundle', '--format=esm', '--platform=node', '--target=node20', `--outfile=${join(out, 'send.mjs')}`, '--log-level=warning',
      ], { cwd: consumer, env: consumerEnv(), encoding: 'utf8', timeout: 120_000 });
      expect({ status: bundled.status, stderr: bundled.stderr }).toEqual({ status: 0, stderr: '' });
      const sent = await sendFrom(out, 'send.mjs');
      expect({ stderr: sent.stderr, failed: sent.failedEntryCount }).toEqual({ stderr: '', failed: 0 });
      expectAccepted(sent, 'com.example.bundled');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
