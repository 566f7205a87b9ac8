/**
 * The layout of src/ as a test: one folder per construct family, each with an index.ts that
 * src/index.ts re-exports, no loose construct files beside them, and no import circle anywhere
 * in src/, type-only imports included (eslint's import/no-cycle skips those, and a circle of
 * types is still two files that cannot be read one without the other).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');
/** The runtime face and the contract: bundled by esbuild, never re-exported by src/index.ts. */
const NOT_CONSTRUCT_FACE = ['runtime', 'local', 'cli', 'contract'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of `file` (values and types), resolved to files; data files (JSON) are leaves. */
function localImports(file: string): string[] {
  const imported = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((ref) => ref.fileName);
  return imported.filter((name) => name.startsWith('.') && !name.endsWith('.json')).map((name) => {
    const base = resolve(dirname(file), name);
    const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (!found) throw new Error(`${relative(SRC, file)} imports ${name}, which resolves to no .ts file`);
    return found;
  });
}

/** Every circle of `graph` found by depth-first search, each as `a -> b -> a`. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next, path);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node, []);
  return cycles;
}

test('findCycles finds a circle of two and one of three, and none in a chain', () => {
  expect(findCycles(new Map([['a', ['b']], ['b', ['a']]]))).toEqual(['a -> b -> a']);
  expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a -> b -> c -> a']);
  expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
});

test('no file of src/ imports itself back, through values or types', () => {
  const graph = new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), localImports(file).map((dep) => relative(SRC, dep))]));
  expect(graph.size).toBeGreaterThan(100);
  expect(findCycles(graph)).toEqual([]);
});

test('type-only imports are edges of the graph (the circle connector.ts and its props once made was one)', () => {
  const props = "import type { EventBridgeConnector } from './connector';\nexport interface P { readonly c?: EventBridgeConnector }\n";
  const imported = ts.preProcessFile(props, true, true).importedFiles.map((ref) => ref.fileName);
  expect(imported).toEqual(['./connector']);
});

describe('the construct face is one folder per family', () => {
  const entries = readdirSync(SRC, { withFileTypes: true });
  const families = entries.filter((entry) => entry.isDirectory() && !NOT_CONSTRUCT_FACE.includes(entry.name)).map((entry) => entry.name).sort();

  test('src/ holds no loose construct file: only index.ts and the CLI entry point', () => {
    expect(entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort()).toEqual(['cli.ts', 'index.ts']);
  });

  test('src/index.ts re-exports each family folder, and only those', () => {
    const index = readFileSync(join(SRC, 'index.ts'), 'utf8');
    const exported = [...index.matchAll(/^export \* from '\.\/([^']+)';$/gm)].map((match) => match[1]).sort();
    const statements = index.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//'));
    expect(statements).toHaveLength(exported.length);
    expect(exported).toEqual(families);
  });

  test.each(families)('src/%s/ has an index.ts whose first line says what the family holds', (family) => {
    const index = join(SRC, family, 'index.ts');
    expect(existsSync(index)).toBe(true);
    expect(readFileSync(index, 'utf8').split('\n')[0]).toMatch(/^\/\/ \S/);
  });
});
