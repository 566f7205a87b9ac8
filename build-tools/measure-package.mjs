#!/usr/bin/env node
// What the package weighs, for the README: `npm pack --dry-run` of the repository as it is (run
// `node build-tools/bundle.mjs`, and jsii for the construct face, first), then each bundle with
// its gzip size and source map, and what else the tarball carries. Writes nothing.
//   node build-tools/measure-package.mjs [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: repo,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}));

const sizes = new Map(pack.files.map((file) => [file.path, file.size]));
const bundles = ['lib/runtime/index.js', 'lib/runtime/index.mjs', 'lib/runtime/aws-sdk-extra.js', 'lib/local/index.js', 'lib/cli.js'].map((path) => ({
  path,
  bytes: sizes.get(path) ?? 0,
  gzipBytes: sizes.has(path) ? gzipSync(readFileSync(join(repo, path)), { level: 9 }).length : 0,
  mapBytes: sizes.get(`${path}.map`) ?? 0,
}));
// Where the unpacked bytes go: source maps, declarations, the jsii assembly and docs, the rest.
const groups = { 'source maps (*.map)': 0, 'declarations (*.d.ts)': 0, 'bundles': 0, '.jsii + API.md': 0, 'other': 0 };
for (const { path, size } of pack.files) {
  if (path.endsWith('.map')) groups['source maps (*.map)'] += size;
  else if (path.endsWith('.d.ts')) groups['declarations (*.d.ts)'] += size;
  else if (bundles.some((bundle) => bundle.path === path)) groups.bundles += size;
  else if (path === '.jsii' || path === 'API.md') groups['.jsii + API.md'] += size;
  else groups.other += size;
}
const topLevel = {};
for (const { path, size } of pack.files) {
  const top = path.includes('/') ? `${path.split('/')[0]}/` : path;
  topLevel[top] = (topLevel[top] ?? 0) + size;
}

const result = {
  tarball: pack.filename,
  packedBytes: pack.size,
  unpackedBytes: pack.unpackedSize,
  files: pack.entryCount,
  bundles,
  groups,
  topLevel,
  jsiiCompiled: sizes.has('lib/index.js') && sizes.has('.jsii'),
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`.padStart(9);
  console.log(`${result.tarball}: ${kib(result.packedBytes).trim()} packed, ${kib(result.unpackedBytes).trim()} unpacked, ${result.files} files`);
  if (!result.jsiiCompiled) console.log('  (no jsii output in lib/: run the jsii compile to measure the construct face too)');
  console.log('\nbundle                   size      gzip   source map');
  for (const b of bundles) console.log(`${b.path.padEnd(22)} ${kib(b.bytes)} ${kib(b.gzipBytes)} ${kib(b.mapBytes)}`);
  console.log('\nunpacked, by kind');
  for (const [name, bytes] of Object.entries(groups)) console.log(`  ${name.padEnd(24)} ${kib(bytes)}`);
  console.log('\nunpacked, by top-level entry');
  for (const [name, bytes] of Object.entries(topLevel).sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(24)} ${kib(bytes)}`);
}
