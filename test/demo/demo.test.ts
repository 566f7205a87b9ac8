/**
 * The README's first command: `npm run demo` synthesizes the reference app, deploys it to moto and
 * runs the runtime end to end on loopback services, then deploys the two-region stacks and fails
 * the primary region over and back. It runs here too, so no change to names, constructs or local
 * services can break a new user's first command without failing `npm test`.
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
  // The multi-region steps ran, and said what they checked.
  expect(output).toMatch(/deploy the two-region app locally: OrdersGlobalSecondary into us-west-2, then OrdersGlobalPrimary into us-east-1\s+ok/);
  expect(output).toMatch(/AWS::Events::Endpoint \S+ recorded for a loopback global endpoint \(moto has none\): EndpointId [a-z0-9]{5}\.[a-z0-9]{3}/);
  expect(output).toMatch(/failover: send through the global endpoint, us-east-1 down, then restored\s+ok/);
  expect(output).toMatch(/10 of them received from us-west-2's queue while us-east-1 is still down/);
  expect(output).toMatch(/a process started now is ready in \d+ ms: contract read in us-west-2, session from us-west-2's trust anchor/);
  expect(output).toMatch(/Roles Anywhere sessions created: \d+ in us-east-1, [1-9]\d* in us-west-2/);
  expect(output).toMatch(/(\d+) acknowledged, \1 received at least once, 0 received that were not acknowledged/);
}, 300_000);
