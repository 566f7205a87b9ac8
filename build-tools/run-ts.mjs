#!/usr/bin/env node
// Runs a TypeScript entry point (examples, demo, benchmarks) without a compile step: esbuild
// bundles the entry's own sources into one CommonJS file and leaves packages to node_modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node build-tools/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outDir = resolve('node_modules/.cache/run-ts');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry, '.ts')}-${process.pid}.cjs`);
buildSync({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// When this command started (ms since the epoch), for programs that report their own total time.
const startedAt = String(Math.round(Date.now() - process.uptime() * 1000));
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], {
  stdio: 'inherit',
  env: { ...process.env, RUN_TS_STARTED_AT: startedAt },
});
rmSync(outfile, { force: true });
process.exit(run.status ?? 1);
