// Removes what an earlier compile left in lib/ for a source file that no longer exists (a file
// moved into a folder): TypeScript resolves `./parameters` to a stale lib/parameters.d.ts before
// the folder's index.d.ts, so a moved file's old output would shadow the new one. Bundles
// (esbuild's outputs, which have no declarations) are left alone.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const lib = join(root, 'lib');

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}

if (existsSync(lib)) {
  for (const declaration of declarations(lib)) {
    const stem = relative(lib, declaration).slice(0, -'.d.ts'.length);
    if (existsSync(join(root, 'src', `${stem}.ts`))) continue;
    for (const suffix of ['.d.ts', '.js', '.js.map']) rmSync(join(lib, stem + suffix), { force: true });
    console.log(`removed lib/${stem}.{d.ts,js} (src/${stem}.ts no longer exists)`);
  }
}
