import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_KEY, TempFolderSnapshot } from './global-setup';
import { entries, ourTempPrefixes, setTmpdir } from './temp-folder';

/**
 * Fails the run when it left anything in the temporary folder: in the run's own folder (written
 * after its test file ended, e.g. by a process that outlived it), or beside it in the machine's
 * folder (written by a process that did not inherit TMPDIR). Beside it, an entry named as this
 * repository's code or its tools name theirs (`cdk.out*`, a `mkdtemp` prefix of src/ or test/)
 * fails every run; any other new entry fails under CI=true, and elsewhere is a warning, since on
 * a developer's machine other programs write there too.
 */
export default function globalTeardown(): void {
  const snapshot = (globalThis as Record<string, unknown>)[SNAPSHOT_KEY] as TempFolderSnapshot | undefined;
  if (!snapshot) return;
  const { machineTmpdir, before, runTmpdir } = snapshot;
  const leftInRun = entries(runTmpdir);
  rmSync(runTmpdir, { recursive: true, force: true });
  setTmpdir(machineTmpdir);

  const known = new Set(before);
  const added = entries(machineTmpdir).filter((name) => !known.has(name));
  const prefixes = ourTempPrefixes(join(__dirname, '..', '..'));
  // Another test run's folder (a concurrent run on the same machine) is checked by that run.
  const ours = added.filter((name) => !name.startsWith('connector-tests-') && prefixes.some((prefix) => name.startsWith(prefix)));
  const leftBeside = added.filter((name) => !ours.includes(name) && !name.startsWith('connector-tests-'));
  const problems: string[] = [];
  if (ours.length > 0) {
    problems.push(`the test run added ${ours.length} entries to ${machineTmpdir} named as this repository's temporary folders (written by processes that ignore TMPDIR): ${ours.join(', ')}`);
  }
  if (leftInRun.length > 0) {
    problems.push(`the tests left ${leftInRun.length} entries in the run's temporary folder after their test files ended: ${leftInRun.join(', ')}`);
  }
  if (leftBeside.length > 0) {
    const message = `the test run added ${leftBeside.length} entries to ${machineTmpdir} (written by processes that ignore TMPDIR${process.env.CI === 'true' ? '; on a machine shared with other programs, run with TMPDIR set to a private folder' : ', or by other programs running meanwhile'}): ${leftBeside.join(', ')}`;
    if (process.env.CI === 'true') problems.push(message);
    else console.warn(`warning: ${message}`);
  }
  if (problems.length > 0) {
    const error = new Error(problems.join('\n'));
    error.stack = error.message;
    throw error;
  }
}
