/**
 * The README's first command: `npm run demo` synthesizes the reference app, deploys it to moto and
 * runs the runtime end to end on loopback services. It runs here too, so no change to names,
 * constructs or local services can break a new user's first command without failing `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

test('npm run demo passes, every step ok', () => {
  const run = spawnSync(process.execPath, ['build-tools/run-ts.mjs', 'examples/demo/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`the demo failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}):\n${output.slice(-4000)}`);
  expect(output).toContain('demo passed');
  expect(output).not.toMatch(/\bFAILED\b/);
}, 300_000);
