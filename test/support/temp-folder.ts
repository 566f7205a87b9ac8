// Where a test run's temporary files go: one folder per run under the machine's temporary
// folder (test/support/global-setup.ts), one per test file inside it (temp-environment.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** What the tools the tests run name their temporary entries (`new App()` without an outdir, compile caches). */
const TOOL_PREFIXES = ['cdk.out', 'node-compile-cache', 'v8-compile-cache-', 'jsii-'];

/**
 * The names this repository's code gives its temporary folders: the prefixes of its
 * `mkdtemp(join(tmpdir(), '<prefix>'))` calls in src/, test/, build-tools/, bench/ and examples/,
 * read from the sources, and those of the tools above.
 */
export function ourTempPrefixes(repo: string): string[] {
  const prefixes = new Set(TOOL_PREFIXES);
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures') visit(path);
      } else if (/\.(ts|mjs|js)$/.test(entry.name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(/mkdtemp(?:Sync)?\(\s*join\([^,()]+(?:\(\))?,\s*['`]([\w.-]+)['`]/g)) prefixes.add(match[1]);
      }
    }
  };
  for (const dir of ['src', 'test', 'build-tools', 'bench', 'examples']) {
    try {
      visit(join(repo, dir));
    } catch {
      // a folder the checkout does not have
    }
  }
  return [...prefixes].filter((prefix) => prefix.length >= 3).sort();
}
