/**
 * `cdk-eventbridge-connector/runtime` and `/local` from a checkout after the build: Node resolves
 * them through the package's exports map (self-reference from the repository root), and
 * TypeScript resolves their declarations (exports map with node16, typesVersions with node10)
 * without the AWS SDK installed. Relies on the bundles and runtime declarations of
 * `node build-tools/bundle.mjs`, which `npm test` runs first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  childEnv, copyDeclarations, LOCAL_CONSUMER, linkNodeTypes, nodeJson, PACKAGE_NAME, REPO, resolvesFrom, RUNTIME_CONSUMER, typeCheck,
} from './support';

describe('Node resolves the exports map from the repository root', () => {
  test('/runtime: the client, the credential provider, the receiver and the sender', () => {
    const loaded = nodeJson(REPO, `
      const runtime = require('${PACKAGE_NAME}/runtime');
      const names = ['ConnectorClient', 'fromRolesAnywhere', 'createReceiver', 'EventSender'];
      console.log(JSON.stringify({
        resolved: require.resolve('${PACKAGE_NAME}/runtime'),
        types: Object.fromEntries(names.map((name) => [name, typeof runtime[name]])),
      }));
    `);
    expect(loaded.resolved).toBe(join(REPO, 'lib', 'runtime', 'index.js'));
    expect(loaded.types).toEqual({ ConnectorClient: 'function', fromRolesAnywhere: 'function', createReceiver: 'function', EventSender: 'function' });
  });

  test('/local: the loopback services and the local deploy', () => {
    const loaded = nodeJson(REPO, `
      const local = require('${PACKAGE_NAME}/local');
      const names = ['startRolesAnywhereService', 'createCertificateAuthority', 'startMoto', 'deployLocally'];
      console.log(JSON.stringify({
        resolved: require.resolve('${PACKAGE_NAME}/local'),
        types: Object.fromEntries(names.map((name) => [name, typeof local[name]])),
      }));
    `);
    expect(loaded.resolved).toBe(join(REPO, 'lib', 'local', 'index.js'));
    expect(loaded.types).toEqual({
      startRolesAnywhereService: 'function', createCertificateAuthority: 'function', startMoto: 'function', deployLocally: 'function',
    });
  });

  test('/runtime loads one file and neither aws-cdk-lib nor constructs (both are installed here)', () => {
    // The premise: from the repository root a stray require would find them.
    expect(resolvesFrom(REPO, 'aws-cdk-lib')).toBe(true);
    expect(resolvesFrom(REPO, 'constructs')).toBe(true);
    const loaded = nodeJson<string[]>(REPO, `
      const before = new Set(Object.keys(require.cache));
      require('${PACKAGE_NAME}/runtime');
      console.log(JSON.stringify(Object.keys(require.cache).filter((file) => !before.has(file))));
    `);
    expect(loaded.filter((file) => /[\\/]node_modules[\\/](aws-cdk-lib|constructs)[\\/]/.test(file))).toEqual([]);
    expect(loaded).toEqual([join(REPO, 'lib', 'runtime', 'index.js')]);
  });

  test('import() from an ES module gets the ES module build, with the named exports', () => {
    const loaded = nodeJson(REPO, `
      const runtime = await import('${PACKAGE_NAME}/runtime');
      console.log(JSON.stringify({
        resolved: import.meta.resolve('${PACKAGE_NAME}/runtime'),
        named: ['ConnectorClient', 'fromRolesAnywhere', 'createReceiver', 'EventSender'].map((name) => typeof runtime[name]),
      }));
    `, { esm: true });
    expect(loaded).toEqual({
      resolved: pathToFileURL(join(REPO, 'lib', 'runtime', 'index.mjs')).href,
      named: ['function', 'function', 'function', 'function'],
    });
  });

  test('/local and the CLI take the AWS SDK from the runtime bundle: one copy in a process', () => {
    const loaded = nodeJson<string[]>(REPO, `
      require('${PACKAGE_NAME}/local');
      console.log(JSON.stringify(Object.keys(require.cache)));
    `);
    // What only /local and the CLI use (the CloudFormation client...) is in a bundle of its own,
    // so the runtime's load time does not pay for it.
    expect(loaded.sort()).toEqual(['lib/local/index.js', 'lib/runtime/aws-sdk-extra.js', 'lib/runtime/index.js'].map((file) => join(REPO, file)));
    // The SDK's core (its HTTP handler, its Node-version warning) is in the runtime bundle only.
    const sdkCore = (bundle: string) => {
      const source = readFileSync(join(REPO, 'lib', bundle), 'utf8');
      return [source.includes('NodeVersionSupportWarning'), /\bNodeHttpHandler = class\b/.test(source)];
    };
    expect(['runtime/index.js', 'runtime/aws-sdk-extra.js', 'local/index.js', 'cli.js'].map(sdkCore)).toEqual([
      [true, true], [false, false], [false, false], [false, false],
    ]);
  });
});

describe('the bundles are readable', () => {
  test('a stack trace through /runtime names our functions, each on a line of its own', () => {
    const frames = nodeJson<string[]>(REPO, `
      const { ConnectorClient } = require('${PACKAGE_NAME}/runtime');
      try {
        new ConnectorClient({ region: 'nope', eventBusName: 'orders' });
      } catch (error) {
        console.log(JSON.stringify(error.stack.split('\\n').filter((line) => line.includes('index.js'))));
      }
    `);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    const parsed = frames.map((frame) => /^\s*at (?:new )?(\S+) \(.*[\\/]lib[\\/]runtime[\\/]index\.js:(\d+):\d+\)$/.exec(frame));
    const names = parsed.map((match) => match?.[1] ?? '');
    expect(names).toContain('ConnectorClient');
    // Whole names as in the sources, not a minifier's one- or two-letter ones.
    for (const name of names) expect(name).toMatch(/^[A-Za-z_$][\w$]{3,}$/);
    const lines = parsed.map((match) => Number(match![2]));
    expect(lines[0]).toBeGreaterThan(1);
    expect(lines[0]).not.toBe(lines[1]);
  });

  test('no bundle is minified onto long lines (the SDK\'s generated tables aside)', () => {
    // Long lines the SDK's own code makes once bundled: the ES module bundle hoists each client's
    // names into one `var a, b, c;` line, and S3's schemas are tuples of tuples (`[[0, 1], ...`).
    const generated = (line: string) => /^var [\w$]+(, [\w$]+)*;$/.test(line) || /^\s*\[\[/.test(line);
    for (const bundle of ['runtime/index.js', 'runtime/index.mjs', 'runtime/aws-sdk-extra.js', 'local/index.js', 'cli.js']) {
      const lines = readFileSync(join(REPO, 'lib', bundle), 'utf8').split('\n');
      const long = lines.filter((line) => line.length > 500 && !generated(line));
      expect([bundle, lines.length > 1000, long.length <= 20]).toEqual([bundle, true, true]);
    }
  });
});

describe("the bundled SDK's Node-version warning", () => {
  test('never reaches a process that loads /runtime and /local and makes clients, though it did not silence it', () => {
    const env = childEnv();
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const result = spawnSync(process.execPath, ['-e', `
      const { ConnectorClient } = require('${PACKAGE_NAME}/runtime');
      require('${PACKAGE_NAME}/local');
      for (const region of ['us-east-1', 'eu-west-1']) {
        new ConnectorClient({ region, eventBusName: 'orders', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } }).destroy();
      }
    `], { cwd: REPO, env, encoding: 'utf8', timeout: 30_000 });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test("the user's own SDK copy still warns as it always did: we change neither it nor the environment", () => {
    const env = childEnv();
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const result = spawnSync(process.execPath, ['-e', `
      require('${PACKAGE_NAME}/runtime');
      const { EventBridgeClient } = require('@aws-sdk/client-eventbridge');
      new EventBridgeClient({ region: 'us-east-1' }).destroy();
    `], { cwd: REPO, env, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    const warns = Number(process.versions.node.split('.')[0]) < 22;
    expect(result.stderr.split('NodeVersionSupportWarning').length - 1).toBe(warns ? 1 : 0);
  });
});

describe('TypeScript resolves the declarations, with only our package and @types/node visible', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'package-types-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    copyDeclarations(project);
    linkNodeTypes(project);
    writeFileSync(join(project, 'runtime-consumer.ts'), RUNTIME_CONSUMER);
    writeFileSync(join(project, 'runtime-consumer.mts'), RUNTIME_CONSUMER);
    writeFileSync(join(project, 'local-consumer.ts'), LOCAL_CONSUMER);
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test('the AWS SDK and the construct face are not visible from the consumer project', () => {
    for (const name of ['@aws-sdk/client-eventbridge', '@aws-sdk/client-sqs', '@smithy/types', 'aws-cdk-lib', 'constructs']) {
      expect([name, resolvesFrom(project, name)]).toEqual([name, false]);
    }
    expect(resolvesFrom(project, '@types/node/package.json')).toBe(true);
  });

  test('/runtime with node16 resolution (the exports map, CommonJS consumer)', () => {
    expect(typeCheck(project, 'runtime-consumer.ts', 'node16')).toEqual({ status: 0, output: '' });
  });

  test('/runtime with node16 resolution (the exports map, ES module consumer)', () => {
    expect(typeCheck(project, 'runtime-consumer.mts', 'node16')).toEqual({ status: 0, output: '' });
  });

  test('/runtime with node10 resolution (typesVersions)', () => {
    expect(typeCheck(project, 'runtime-consumer.ts', 'node10')).toEqual({ status: 0, output: '' });
  });

  test('/runtime with bundler resolution', () => {
    expect(typeCheck(project, 'runtime-consumer.ts', 'bundler')).toEqual({ status: 0, output: '' });
  });

  test('/local with node16 resolution', () => {
    expect(typeCheck(project, 'local-consumer.ts', 'node16')).toEqual({ status: 0, output: '' });
  });

  test('/local with node10 resolution (typesVersions)', () => {
    expect(typeCheck(project, 'local-consumer.ts', 'node10')).toEqual({ status: 0, output: '' });
  });
});
