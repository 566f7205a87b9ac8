import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entries, RUN_TMPDIR_ENV, setTmpdir } from './temp-folder';

/** What global-teardown.ts compares the temporary folder with (globals are shared between the two). */
export interface TempFolderSnapshot {
  /** The machine's temporary folder, as os.tmpdir() read it before the run. */
  readonly machineTmpdir: string;
  /** Its entries before the run. */
  readonly before: readonly string[];
  /** The run's own folder inside it. */
  readonly runTmpdir: string;
}

export const SNAPSHOT_KEY = '__connectorTempFolderSnapshot';

/**
 * The integration tests need moto, cfn-lint and the AWS CLI: install them or fail saying how.
 * Then the run gets its own temporary folder, which the workers and every process they spawn
 * inherit through TMPDIR, and which global-teardown.ts checks and removes.
 */
export default function globalSetup(): void {
  execFileSync('bash', [join(__dirname, '..', '..', 'build-tools', 'ensure-python-tools.sh')], { stdio: 'inherit' });

  const machineTmpdir = tmpdir();
  const before = entries(machineTmpdir);
  const runTmpdir = mkdtempSync(join(machineTmpdir, 'connector-tests-'));
  process.env[RUN_TMPDIR_ENV] = runTmpdir;
  // Tools the tests run keep compile caches in the temporary folder: TypeScript's tsc and npm
  // turn on Node's (os.tmpdir()/node-compile-cache, Node 22.1 and later), ts-node installs
  // v8-compile-cache-lib's (os.tmpdir()/v8-compile-cache-<uid>). Off, so the run leaves none.
  process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  process.env.DISABLE_V8_COMPILE_CACHE = '1';
  setTmpdir(runTmpdir);
  const snapshot: TempFolderSnapshot = { machineTmpdir, before, runTmpdir };
  (globalThis as Record<string, unknown>)[SNAPSHOT_KEY] = snapshot;
}
