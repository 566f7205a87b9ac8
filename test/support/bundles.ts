// The runtime bundles (lib/cli.js, lib/runtime/*) for tests that run them as the package ships
// them: built from the current sources unless the test run has just built them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Set by `npm test` (projen's test task bundles right before jest) and by
 * build-tools/test-node-versions.sh (which runs on the bundles `npm test` built): a test file
 * then does not bundle again, which costs 10-20 s per file on 2 cores and rewrites lib/ while
 * other test files run it.
 */
export const BUNDLES_BUILT_ENV = 'CONNECTOR_TEST_BUNDLES_BUILT';

/** Bundles the runtime faces from the current sources (without declarations) unless the run has. */
export function ensureBundles(): void {
  if (process.env[BUNDLES_BUILT_ENV] === '1') return;
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'build-tools', 'bundle.mjs'), '--no-types'], { cwd: join(__dirname, '..', '..'), stdio: 'pipe' });
}
