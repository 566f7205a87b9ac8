// The test run's temporary-folder check (temp-environment.ts, global-teardown.ts), run on test
// files that leave things behind: a nested jest run with the project's configuration.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const JEST = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

let run: { status: number | null; output: string };

beforeAll(() => {
  const result = spawnSync(process.execPath, [JEST, '--ci', '--reporters=default', '--testMatch', '<rootDir>/test/fixtures/temp-folder/*.ts'], {
    cwd: REPO,
    // The nested run's machine folder is this file's temporary folder.
    env: { ...process.env, CI: 'true', TMPDIR: tmpdir() },
    encoding: 'utf8',
    timeout: 240_000,
  });
  run = { status: result.status, output: `${result.stdout}${result.stderr}` };
}, 300_000);

afterAll(() => {
  rmSync(join(tmpdir(), 'beside-the-run'), { force: true });
});

test('the run fails', () => {
  expect(run.status).not.toBe(0);
  // Their tests pass: the two files fail when their test environment is torn down.
  expect(run.output).toMatch(/Test Suites:\s+2 failed, 2 passed, 4 total/);
  expect(run.output).not.toMatch(/✕/);
});

test('a test file that leaves a folder fails, naming it', () => {
  expect(run.output).toMatch(/test\/fixtures\/temp-folder\/leaves-a-folder\.ts left 1 entry in the temporary folder .*: left-behind-\w{6}\//);
});

test('a test file whose child process leaves a file fails, naming it', () => {
  expect(run.output).toMatch(/test\/fixtures\/temp-folder\/leaves-a-file-from-a-child\.ts left 1 entry in the temporary folder .*: child-left-this\b/);
});

test('the synthesis output of CDK apps built without an outdir is removed, not reported', () => {
  expect(run.output).toMatch(/PASS test\/fixtures\/temp-folder\/synthesizes-without-outdir\.ts/);
  expect(run.output).not.toMatch(/synthesizes-without-outdir\.ts left/);
});

test('under CI=true the run fails when something is written beside its folder, naming it', () => {
  expect(run.output).toMatch(/the test run added 1 entries to .* beside-the-run/);
});

test('the run removes its own folder, whatever its test files left', () => {
  expect(readdirSync(tmpdir())).toEqual(['beside-the-run']);
});
