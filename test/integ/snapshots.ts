// The integ tests' snapshots, written and checked without integ-runner (whose newest release
// cannot read aws-cdk-lib 2.274's cloud assemblies) and without AWS: each integ app is bundled
// with esbuild and run as `cdk synth` would, its cloud assembly kept in `<file>.snapshot/` in
// the layout integ-runner uses. What is compared is what integ-runner compares: the templates of
// the stacks (less the assertions' salts), and the test cases (integ.json).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { bundleChildScript, removeChildScript } from '../support/child-script';

/** Where the integ tests live, relative to the repository root. */
export const INTEG_DIR = 'test/integ';

/** The command that rewrites the snapshots. */
export const UPDATE_COMMAND = 'npx projen integ:update';

/** Files of an assembly that are not kept: asset bundles (the templates name their hashes) and run reports. */
const NOT_KEPT = /^(asset\.|performance-counters\.json$|validation-report\.json$)/;

/** Files that are compared. */
const COMPARED = /(\.template\.json|^integ\.json)$/;

/** The integ test files (`integ.<name>.ts`), as paths relative to the repository root. */
export function integTests(root: string): string[] {
  return readdirSync(join(root, INTEG_DIR))
    .filter((name) => /^integ\..+\.ts$/.test(name) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => `${INTEG_DIR}/${name}`);
}

/** The snapshot folder of an integ test file, as integ-runner names it. */
export function snapshotDir(testFile: string): string {
  return `${testFile}.snapshot`;
}

/** Snapshot folders in the integ folder, as paths relative to the repository root. */
export function snapshotDirs(root: string): string[] {
  return readdirSync(join(root, INTEG_DIR)).filter((name) => name.endsWith('.snapshot')).sort().map((name) => `${INTEG_DIR}/${name}`);
}

/**
 * Synthesizes the integ app `testFile` into a new folder under the temporary folder and returns
 * that folder (the caller removes it). The app runs from the repository root, with nothing of the
 * machine's AWS configuration: no account, no region, no profile, so that no lookup can happen.
 */
export async function synthesize(root: string, testFile: string, timeoutMs = 180_000): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), `integ-${basename(testFile, '.ts')}-`));
  const outdir = join(work, 'cdk.out');
  const bundle = bundleChildScript(join(root, testFile), basename(testFile, '.ts'), root);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(name)) env[name] = value;
  }
  Object.assign(env, {
    CDK_OUTDIR: outdir,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const { status, output } = await run(process.execPath, [bundle], { cwd: root, env, timeoutMs });
  removeChildScript(bundle);
  if (status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`integ app ${testFile} failed to synthesize (exit ${status}):\n${output.slice(-4000)}`);
  }
  return work;
}

/** The assembly in a folder made by {@link synthesize}. */
export function assemblyOf(work: string): string {
  return join(work, 'cdk.out');
}

/** Replaces the snapshot of `testFile` with the assembly in `assemblyDir`, minus what is not kept. */
export function writeSnapshot(root: string, testFile: string, assemblyDir: string): void {
  const target = join(root, snapshotDir(testFile));
  rmSync(target, { recursive: true, force: true });
  cpSync(assemblyDir, target, { recursive: true, filter: (source) => source === assemblyDir || !NOT_KEPT.test(basename(source)) });
}

/**
 * How the compared files of `assemblyDir` differ from the snapshot of `testFile`: one line per
 * file that changed, appeared or went, with the first JSON path that differs. Empty when equal.
 */
export function differences(root: string, testFile: string, assemblyDir: string): string[] {
  const snapshot = join(root, snapshotDir(testFile));
  if (!existsSync(snapshot)) return [`no snapshot ${snapshotDir(testFile)}`];
  const expected = comparedFiles(snapshot);
  const actual = comparedFiles(assemblyDir);
  const found: string[] = [];
  for (const name of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const before = expected.get(name);
    const after = actual.get(name);
    if (before === undefined) found.push(`${name}: new`);
    else if (after === undefined) found.push(`${name}: gone`);
    else if (!isDeepStrictEqual(before, after)) found.push(`${name}: changed at ${firstDifference(before, after, '') || '(root)'}`);
  }
  return found;
}

/** The stack templates of a snapshot, as paths relative to the repository root. */
export function snapshotTemplates(root: string, testFile: string): string[] {
  const dir = snapshotDir(testFile);
  return readdirSync(join(root, dir)).filter((name) => name.endsWith('.template.json')).sort().map((name) => `${dir}/${name}`);
}

function comparedFiles(dir: string): Map<string, unknown> {
  const files = new Map<string, unknown>();
  for (const name of readdirSync(dir)) {
    if (COMPARED.test(name)) files.set(name, withoutSalts(JSON.parse(readFileSync(join(dir, name), 'utf8'))));
  }
  return files;
}

/**
 * integ-tests-alpha gives each assertion a `salt` (the synthesis time in ms), so that every
 * deployment runs it again: it differs at every synth and says nothing about the test.
 */
function withoutSalts(file: unknown): unknown {
  const resources = (file as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> }).Resources;
  for (const resource of Object.values(resources ?? {})) {
    if (resource.Type?.startsWith('Custom::DeployAssert@') && resource.Properties) delete resource.Properties.salt;
  }
  return file;
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const inner = firstDifference(left[key], right[key], path === '' ? key : `${path}.${key}`);
      if (inner !== undefined) return inner;
    }
  }
  return path;
}

interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

function run(command: string, args: string[], options: RunOptions): Promise<{ status: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      output += `\n(killed after ${options.timeoutMs} ms)`;
    }, options.timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (status) => { clearTimeout(timer); resolvePromise({ status, output }); });
  });
}
