// A TypeScript script that a test or a benchmark runs as a child process, bundled by esbuild into
// one CommonJS file beside the repository's node_modules, so that the packages it leaves
// external resolve from there (as build-tools/run-ts.mjs does).
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Bundles `entry` (its own sources inlined, packages left to node_modules) into
 * `<root>/node_modules/.cache/run-ts/<name>-<pid>.cjs` and returns that path; remove it with
 * {@link removeChildScript} when done.
 * @param root the repository root @default process.cwd()
 */
export function bundleChildScript(entry: string, name = basename(entry, '.ts'), root = process.cwd()): string {
  const dir = join(resolve(root), 'node_modules', '.cache', 'run-ts');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}-${process.pid}.cjs`);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' });
  return outfile;
}

export function removeChildScript(path: string | undefined): void {
  if (path !== undefined) rmSync(path, { force: true });
}
