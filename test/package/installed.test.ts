/**
 * The package as users get it: `npm pack` of the repository, installed offline and without its
 * peers (aws-cdk-lib, constructs) into a fresh project. Relies on the bundles and runtime
 * declarations of `node build-tools/bundle.mjs`, which `npm test` runs first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleRequires, isBuiltin, linkNodeTypes, nodeJson, PACKAGE_NAME, REPO, resolvesFrom, run, RUNTIME_CONSUMER, SDK_MESSAGE_REQUIRES, typeCheck,
} from './support';

interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const BUNDLES = ['lib/runtime/index.js', 'lib/runtime/index.mjs', 'lib/runtime/aws-sdk-extra.js', 'lib/local/index.js', 'lib/cli.js'];

let dir: string;
let pack: PackResult;
let tarball: string;
let project: string;
let installed: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'package-installed-'));
  const packed = run('npm', ['pack', '--pack-destination', dir, '--ignore-scripts', '--json'], REPO);
  if (packed.status !== 0) throw new Error(`npm pack exited with ${packed.status}: ${packed.stderr}`);
  pack = (JSON.parse(packed.stdout) as PackResult[])[0];
  tarball = join(dir, pack.filename);

  project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const install = run('npm', [
    'install', tarball,
    '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer', '--legacy-peer-deps', '--no-package-lock',
    '--cache', join(dir, 'npm-cache'),
  ], project);
  if (install.status !== 0) throw new Error(`npm install exited with ${install.status}: ${install.stderr}`);
  installed = join(project, 'node_modules', PACKAGE_NAME);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the bundles and their declarations, and no sources, tests, examples or local state', () => {
    const paths = pack.files.map((file) => file.path);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    const sizeOf = (path: string) => pack.files.find((file) => file.path === path)?.size ?? 0;
    console.log([
      `${pack.filename}: ${kib(pack.size)} packed, ${kib(pack.unpackedSize)} unpacked, ${pack.entryCount} files`,
      ...BUNDLES.map((bundle) => `  ${bundle}: ${kib(sizeOf(bundle))} (+ ${kib(sizeOf(`${bundle}.map`))} source map)`),
    ].join('\n'));

    expect(statSync(tarball).size).toBe(pack.size);
    for (const path of [...BUNDLES, 'lib/runtime/index.d.ts', 'lib/local/index.d.ts', 'package.json']) {
      expect([path, paths.includes(path)]).toEqual([path, true]);
    }
    const unwanted = paths.filter((path) =>
      /^(src|test|examples|bench|build-tools|coverage|test-reports|cdk\.out|\.demo|node_modules)\//.test(path)
      || /\.(pem|key|p12|pfx)$/.test(path) // certificates and private keys (the demo writes some)
      || (path.endsWith('.ts') && !path.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
  });

  test('the bundles require nothing but Node built-ins: never aws-cdk-lib or constructs', () => {
    for (const bundle of BUNDLES) {
      const requires = bundleRequires(readFileSync(join(installed, bundle), 'utf8'));
      expect([bundle, requires.filter((name) => /^(aws-cdk-lib|constructs)(\/|$)/.test(name))]).toEqual([bundle, []]);
      // /local, the CLI and the extra SDK bundle take the SDK from the runtime bundle.
      const shared = bundle === 'lib/cli.js' ? ['./runtime/index.js', './runtime/aws-sdk-extra.js'] : ['../runtime/index.js', '../runtime/aws-sdk-extra.js', './index.js'];
      // pkcs11js is native and required only for pkcs11: URIs; users who use them install it.
      const other = requires.filter((name) => !isBuiltin(name) && !SDK_MESSAGE_REQUIRES.includes(name) && !shared.includes(name) && name !== 'pkcs11js');
      expect([bundle, other]).toEqual([bundle, []]);
    }
  });
});

describe('installed into a fresh project, without its peers', () => {
  test('the peers are not installed', () => {
    expect(resolvesFrom(project, 'aws-cdk-lib')).toBe(false);
    expect(resolvesFrom(project, 'constructs')).toBe(false);
  });

  test("require('cdk-eventbridge-connector/runtime') and /local load from the installed copy", () => {
    const loaded = nodeJson(project, `
      const runtime = require('${PACKAGE_NAME}/runtime');
      const local = require('${PACKAGE_NAME}/local');
      console.log(JSON.stringify({
        resolved: require.resolve('${PACKAGE_NAME}/runtime'),
        runtime: ['ConnectorClient', 'fromRolesAnywhere', 'createReceiver', 'EventSender'].map((name) => typeof runtime[name]),
        local: ['startRolesAnywhereService', 'createCertificateAuthority', 'startMoto', 'deployLocally'].map((name) => typeof local[name]),
      }));
    `);
    expect(loaded).toEqual({
      resolved: join(installed, 'lib', 'runtime', 'index.js'),
      runtime: ['function', 'function', 'function', 'function'],
      local: ['function', 'function', 'function', 'function'],
    });
  });

  test('import() from an ES module', () => {
    const loaded = nodeJson(project, `
      const { ConnectorClient } = await import('${PACKAGE_NAME}/runtime');
      console.log(JSON.stringify(typeof ConnectorClient));
    `, { esm: true });
    expect(loaded).toBe('function');
  });

  test('a strict TypeScript consumer compiles against the installed declarations', () => {
    linkNodeTypes(project);
    expect(resolvesFrom(project, '@aws-sdk/client-eventbridge')).toBe(false);
    writeFileSync(join(project, 'consumer.ts'), RUNTIME_CONSUMER);
    expect(typeCheck(project, 'consumer.ts', 'node16')).toEqual({ status: 0, output: '' });
  });

  test('the bin prints the usage for --help and exits 0', () => {
    const result = run(join(project, 'node_modules', '.bin', 'eventbridge-connector'), ['--help'], project);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: eventbridge-connector <command>/);
    expect(result.stdout).toContain('credential-process');
    expect(result.stderr).toBe('');
  });

  test('credential-process with a missing flag exits 1 with one line on stderr', () => {
    const result = run(join(project, 'node_modules', '.bin', 'eventbridge-connector'), ['credential-process'], project);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^eventbridge-connector credential-process: missing --[a-z-]+/);
  });
});
