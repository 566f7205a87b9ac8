/**
 * Helpers for the package tests: child processes that load the package the way a consumer does,
 * and TypeScript consumers compiled in temp projects that see only our package and @types/node.
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

export const REPO = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'cdk-eventbridge-connector';
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const TS_MAJOR = Number(JSON.parse(readFileSync(join(REPO, 'node_modules', 'typescript', 'package.json'), 'utf8')).version.split('.')[0]);

/** The environment of a child process, without what `npm test` exports to its scripts. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
}

/** Runs `code` in a fresh node process in `cwd` (CommonJS `-e`, or an ES module with `esm`). */
export function runNode(cwd: string, code: string, options: { esm?: boolean } = {}): SpawnSyncReturns<string> {
  const args = options.esm ? ['--input-type=module', '-e', code] : ['-e', code];
  return spawnSync(process.execPath, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: 30_000 });
}

/** Like {@link runNode}, for a script that prints one JSON value on stdout; fails with its stderr. */
export function nodeJson<T = any>(cwd: string, code: string, options: { esm?: boolean } = {}): T {
  const result = runNode(cwd, code, options);
  if (result.status !== 0) throw new Error(`node exited with ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: 120_000 });
}

/** Every `.d.ts` under `dir`, as paths relative to `root`. */
function declarations(root: string, dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(root, path);
    return entry.name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

/**
 * Copies the package's `package.json` and every `lib/**\/*.d.ts` (what the package ships of its
 * types) into `node_modules/<name>` of `project`. A copy, not a symlink: through a symlink the
 * declarations would resolve `@aws-sdk/*` from the repository's own node_modules.
 */
export function copyDeclarations(project: string): string {
  const target = join(project, 'node_modules', PACKAGE_NAME);
  mkdirSync(target, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(target, 'package.json'));
  for (const file of declarations(REPO, join(REPO, 'lib'))) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(REPO, file), join(target, file));
  }
  return target;
}

/** Makes @types/node (and what it imports) visible to `project`, by symlinks into the repository. */
export function linkNodeTypes(project: string): void {
  const typesNode = dirname(require.resolve('@types/node/package.json', { paths: [REPO] }));
  const undiciTypes = dirname(require.resolve('undici-types/package.json', { paths: [typesNode] }));
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  symlinkSync(typesNode, join(project, 'node_modules', '@types', 'node'), 'dir');
  symlinkSync(undiciTypes, join(project, 'node_modules', 'undici-types'), 'dir');
}

/** Whether `request` resolves from `dir` (walking up node_modules as Node and TypeScript do). */
export function resolvesFrom(dir: string, request: string): boolean {
  try {
    require.resolve(request, { paths: [dir] });
    return true;
  } catch {
    return false;
  }
}

export type ModuleResolution = 'node16' | 'node10' | 'bundler';

/**
 * Type-checks `file` (in `project`) the way a strict consumer does, library declarations
 * included (`--skipLibCheck false`). Returns tsc's output: empty when it compiles.
 */
export function typeCheck(project: string, file: string, moduleResolution: ModuleResolution): { status: number | null; output: string } {
  const moduleOptions = {
    node16: ['--module', 'node16', '--moduleResolution', 'node16'],
    // `node` (node10) ignores the exports map; only typesVersions maps the subpath. TypeScript 6
    // deprecates it, behind a flag.
    node10: ['--module', 'commonjs', '--moduleResolution', 'node', ...(TS_MAJOR >= 6 ? ['--ignoreDeprecations', '6.0'] : [])],
    bundler: ['--module', 'esnext', '--moduleResolution', 'bundler'],
  }[moduleResolution];
  // TypeScript 6 no longer includes every @types package by default: a Node consumer names it.
  const args = [TSC, '--noEmit', '--strict', '--skipLibCheck', 'false', '--types', 'node', '--target', 'es2022', ...moduleOptions, file];
  const result = spawnSync(process.execPath, args, { cwd: project, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** A consumer of the runtime face: the stable names of DESIGN.md, used with their types. */
export const RUNTIME_CONSUMER = `
import { ConnectorClient, fromRolesAnywhere } from '${PACKAGE_NAME}/runtime';

export async function send(options: Parameters<typeof fromRolesAnywhere>[0]): Promise<number> {
  const client = new ConnectorClient({ region: 'eu-west-1', eventBusName: 'orders', credentials: fromRolesAnywhere(options) });
  const result = await client.putEvents([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } }]);
  // @ts-expect-error the declarations are typed, not any: failedEntryCount is a number
  const wrong: string = result.failedEntryCount;
  void wrong;
  client.destroy();
  return result.failedEntryCount;
}

export async function fromContract(): Promise<string> {
  const client = await ConnectorClient.fromParameters({ path: '/eventbridge-connector/orders' });
  return client.eventBusName;
}
`;

/** A consumer of the local face. */
export const LOCAL_CONSUMER = `
import { createCertificateAuthority, deployLocally, startMoto, startRolesAnywhereService } from '${PACKAGE_NAME}/local';

export const faces: [unknown, unknown, unknown, unknown] = [createCertificateAuthority, deployLocally, startMoto, startRolesAnywhereService];
// @ts-expect-error the declarations are typed, not any
export const wrong: string = startMoto;
`;

/**
 * Every module name a bundle passes to `require` as a literal, plus the names the AWS SDK quotes
 * as `require('…')` in its error messages (see {@link SDK_MESSAGE_REQUIRES}). The bundles inline
 * their dependencies: all they may require is Node's built-ins.
 */
export function bundleRequires(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) names.add(match[2]);
  return [...names].sort();
}

/**
 * Optional SigV4a signers the SDK's error messages tell users to load ("You must also register
 * the package by calling [require('@aws-sdk/signature-v4a');]"): text in the bundles, not calls.
 */
export const SDK_MESSAGE_REQUIRES = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];

export function isBuiltin(name: string): boolean {
  return name.startsWith('node:') || builtinModules.includes(name);
}

/**
 * Gives `project` a node_modules of symlinks to the repository's own packages (aws-cdk-lib,
 * constructs, cdk-nag, the AWS SDK, typescript, @types/node...), minus `except`. Nothing is
 * installed or copied.
 */
export function linkRepositoryModules(project: string, except: readonly string[] = []): void {
  const source = join(REPO, 'node_modules');
  const target = join(project, 'node_modules');
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('.') || except.includes(entry)) continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(target, entry), { recursive: true });
      for (const scoped of readdirSync(join(source, entry))) {
        if (!except.includes(`${entry}/${scoped}`)) symlinkSync(join(source, entry, scoped), join(target, entry, scoped), 'dir');
      }
    } else {
      symlinkSync(join(source, entry), join(target, entry), 'dir');
    }
  }
}

/** tsc's diagnostics (`file(line,col): error TSxxxx: ...`), grouped by file. */
export function diagnosticsByFile(output: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line.trim());
    if (!match) continue;
    byFile.set(match[1], [...(byFile.get(match[1]) ?? []), `${match[2]}:${match[3]} ${match[4]}`]);
  }
  return byFile;
}

/** Runs tsc -p in `project`; returns its status and output. */
export function tscProject(project: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [TSC, '-p', project], { cwd: project, env: childEnv(), encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
