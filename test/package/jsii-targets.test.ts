/**
 * jsii generates the constructs for Python, Java, .NET and Go under the names .projenrc.ts gives
 * them (`npx projen package:code` writes the same to dist/code). Relies on the jsii assembly of
 * `npx projen compile`, which `npm test` runs first. Sources only: building the artifacts needs
 * each language's toolchain (the package:<language> tasks), but the Python is byte-compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snippets } from './readme-snippets';
import { childEnv, REPO } from './support';

const PACMAK = join(REPO, 'node_modules', 'jsii-pacmak', 'bin', 'jsii-pacmak');

let out: string;
let pacmak: { status: number | null; output: string };

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'jsii-targets-'));
  const result = spawnSync(process.execPath, [
    PACMAK, '--code-only', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '--outdir', out,
  ], { cwd: REPO, env: childEnv(), encoding: 'utf8', timeout: 300_000 });
  pacmak = { status: result.status, output: `${result.stdout}${result.stderr}` };
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

function read(...path: string[]): string {
  return readFileSync(join(out, ...path), 'utf8');
}

test('jsii-pacmak generates all four languages', () => {
  expect(pacmak.status).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['dotnet', 'go', 'java', 'python']);
});

test('Python: distribution cdk-eventbridge-connector, module cdk_eventbridge_connector, byte-compiles', () => {
  expect(read('python', 'setup.py')).toMatch(/"name": "cdk-eventbridge-connector"/);
  const init = read('python', 'src', 'cdk_eventbridge_connector', '__init__.py');
  expect(init).toMatch(/^class EventBridgeConnector\(/m);
  expect(init).toMatch(/^class ConnectorAuthentication\(/m);
  const compiled = spawnSync('python3', ['-m', 'compileall', '-q', join(out, 'python', 'src')], { encoding: 'utf8', timeout: 120_000 });
  expect({ status: compiled.status, output: `${compiled.stdout}${compiled.stderr}`.trim() }).toEqual({ status: 0, output: '' });
});

test("the README's Python example is valid Python and uses names the Python module defines", () => {
  const python = snippets().filter((snippet) => snippet.language === 'python');
  expect(python).toHaveLength(1);
  const file = join(out, 'readme_example.py');
  writeFileSync(file, python[0].source);
  const compiled = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8', timeout: 60_000 });
  expect({ status: compiled.status, output: compiled.stderr.trim() }).toEqual({ status: 0, output: '' });
  const init = read('python', 'src', 'cdk_eventbridge_connector', '__init__.py');
  // Every name it imports from the module (rosetta's translation imports each struct it builds).
  const imported = [...python[0].source.matchAll(/^from cdk_eventbridge_connector import (.+)$/gm)].flatMap((m) => m[1].split(',').map((name) => name.trim()));
  expect(imported).toEqual(expect.arrayContaining(['EventBridgeConnector', 'ConnectorAuthentication']));
  // Classes are `class X(...)`, structs (data types) `class X:`.
  for (const name of imported) expect([name, new RegExp(`^class ${name}[(:]`, 'm').test(init)]).toEqual([name, true]);
  for (const name of ['def roles_anywhere(', 'ca_certificates:', 'client_certificate:', 'session_duration:', 'def add_receiver(']) {
    expect([name, init.includes(name)]).toEqual([name, true]);
  }
});

test('Java: io.github.cdkeventbridgeconnector, Maven io.github.cdk-eventbridge-connector:cdk-eventbridge-connector', () => {
  const pom = read('java', 'pom.xml');
  expect(pom).toContain('<groupId>io.github.cdk-eventbridge-connector</groupId>');
  expect(pom).toContain('<artifactId>cdk-eventbridge-connector</artifactId>');
  expect(existsSync(join(out, 'java', 'src', 'main', 'java', 'io', 'github', 'cdkeventbridgeconnector', 'EventBridgeConnector.java'))).toBe(true);
});

test('.NET: namespace and package CdkEventBridgeConnector', () => {
  const project = join(out, 'dotnet', 'CdkEventBridgeConnector');
  expect(read('dotnet', 'CdkEventBridgeConnector', 'CdkEventBridgeConnector.csproj')).toContain('<PackageId>CdkEventBridgeConnector</PackageId>');
  expect(readFileSync(join(project, 'CdkEventBridgeConnector', 'EventBridgeConnector.cs'), 'utf8')).toMatch(/namespace CdkEventBridgeConnector\b/);
});

test('Go: module github.com/cdk-eventbridge-connector/cdk-eventbridge-connector-go/cdkeventbridgeconnector', () => {
  expect(read('go', 'cdkeventbridgeconnector', 'go.mod')).toMatch(
    /^module github\.com\/cdk-eventbridge-connector\/cdk-eventbridge-connector-go\/cdkeventbridgeconnector$/m,
  );
  expect(read('go', 'cdkeventbridgeconnector', 'EventBridgeConnector.go')).toMatch(/^func NewEventBridgeConnector\(/m);
});
