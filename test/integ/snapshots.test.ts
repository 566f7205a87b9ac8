// The integ apps' committed snapshots (test/integ/*.snapshot) are what the apps synthesize now:
// each app is synthesized offline (no account, no network) and its templates and test cases
// compared with its snapshot; the snapshot templates pass cfn-lint. Snapshots are only written
// by `npx projen integ:update`, never here.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assemblyOf, differences, integTests, snapshotDir, snapshotDirs, snapshotTemplates, synthesize, UPDATE_COMMAND } from './snapshots';

const ROOT = join(__dirname, '..', '..');
const TESTS = integTests(ROOT);
const work = new Map<string, string>();

beforeAll(async () => {
  // Both cores at once: each synth is one process, mostly aws-cdk-lib loading.
  const synthesized = await Promise.allSettled(TESTS.map(async (testFile) => work.set(testFile, await synthesize(ROOT, testFile))));
  // Only once all have ended, so that afterAll removes the folders of those that did synthesize.
  const failed = synthesized.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}, 300_000);

afterAll(() => {
  for (const dir of work.values()) rmSync(dir, { recursive: true, force: true });
});

test('the integ tests of the main combinations are there', () => {
  expect(TESTS).toEqual(['test/integ/integ.multi-region.ts', 'test/integ/integ.queue-receiver.ts', 'test/integ/integ.roles-anywhere-queue.ts', 'test/integ/integ.static-keys-receiver.ts']);
});

test.each(TESTS)('%s synthesizes what its snapshot holds', (testFile) => {
  const changed = differences(ROOT, testFile, assemblyOf(work.get(testFile)!));
  if (changed.length > 0) {
    throw new Error(`integ test ${testFile} no longer synthesizes its snapshot ${snapshotDir(testFile)}:\n  ${changed.join('\n  ')}\n` +
      `If the change is intended, update the snapshot with: ${UPDATE_COMMAND} ${testFile} (then commit it)`);
  }
});

test('integ:update refuses to rewrite the snapshots under CI=true', () => {
  const before = TESTS.map((testFile) => readFileSync(join(ROOT, snapshotTemplates(ROOT, testFile)[0]), 'utf8'));
  const run = spawnSync(process.execPath, ['build-tools/run-ts.mjs', 'test/integ/update-snapshots.ts'], {
    cwd: ROOT, env: { ...process.env, CI: 'true' }, encoding: 'utf8', timeout: 120_000,
  });
  expect({ status: run.status, refused: /CI must not do/.test(run.stderr) }).toEqual({ status: 1, refused: true });
  expect(TESTS.map((testFile) => readFileSync(join(ROOT, snapshotTemplates(ROOT, testFile)[0]), 'utf8'))).toEqual(before);
});

test('every snapshot belongs to an integ test', () => {
  expect(snapshotDirs(ROOT)).toEqual(TESTS.map(snapshotDir));
});

test('cfn-lint finds no error in the snapshot templates', () => {
  const templates = TESTS.flatMap((testFile) => snapshotTemplates(ROOT, testFile));
  // The test stack and the assertion stack of each; the multi-region app has two test stacks.
  expect(templates.length).toBe(2 * TESTS.length + 1);
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--non-zero-exit-code', 'error', '--', ...templates], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (lint.error) throw new Error(`cannot run cfn-lint (${lint.error.message}): install it with python3 -m pip install cfn-lint`);
  expect({ status: lint.status, errors: lint.stdout.split('\n').filter((line) => /:E\d+:/.test(line)) }).toEqual({ status: 0, errors: [] });
});

test('the comparison names a changed template, a new one, and ignores only the assertions\' salts', () => {
  const [testFile] = TESTS;
  const copy = join(work.get(testFile)!, 'changed');
  cpSync(assemblyOf(work.get(testFile)!), copy, { recursive: true });
  const [template] = readdirSync(copy).filter((name) => name.endsWith('.template.json') && !name.includes('DeployAssert'));
  const [assertions] = readdirSync(copy).filter((name) => name.endsWith('.template.json') && name.includes('DeployAssert'));

  const resaltedFile = join(copy, assertions);
  const resalted = JSON.parse(readFileSync(resaltedFile, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  for (const resource of Object.values(resalted.Resources)) if (resource.Type.startsWith('Custom::DeployAssert@')) resource.Properties.salt = '1';
  writeFileSync(resaltedFile, JSON.stringify(resalted));
  expect(differences(ROOT, testFile, copy)).toEqual([]);

  const changedFile = join(copy, template);
  const changed = JSON.parse(readFileSync(changedFile, 'utf8')) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  const [first] = Object.keys(changed.Resources).sort();
  changed.Resources[first].Properties = { ...changed.Resources[first].Properties, Added: true };
  writeFileSync(changedFile, JSON.stringify(changed));
  writeFileSync(join(copy, 'Extra.template.json'), '{}');
  expect(differences(ROOT, testFile, copy)).toEqual([
    'Extra.template.json: new',
    `${template}: changed at Resources.${first}.Properties.Added`,
  ]);
});
