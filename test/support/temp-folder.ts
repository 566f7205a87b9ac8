// Where a test run's temporary files go: one folder per run under the machine's temporary
// folder (test/support/global-setup.ts), one per test file inside it (temp-environment.ts).
import { readdirSync } from 'node:fs';

/** The run's folder, for the test environments in the workers (which inherit it). */
export const RUN_TMPDIR_ENV = 'CONNECTOR_TEST_RUN_TMPDIR';

/** Points os.tmpdir() and the temporary folder of every process spawned from now on at `dir`. */
export function setTmpdir(dir: string | undefined): void {
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) {
    if (dir === undefined) delete process.env[name];
    else process.env[name] = dir;
  }
}

/** The names in `dir`, sorted; none when it is gone. */
export function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
