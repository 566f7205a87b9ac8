/**
 * The README is executable documentation: every ```ts block type-checks, strict, against the
 * built package (the construct face from jsii's lib/index.d.ts, /runtime and /local from the
 * bundle's declarations), with the imports it shows and nothing else. Fragments name a fixture
 * in rosetta/ (jsii-rosetta's convention). Relies on `npx projen compile` and the bundle, which
 * `npm test` runs first.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Snippet, typescriptSnippets } from './readme-snippets';
import { diagnosticsByFile, linkRepositoryModules, PACKAGE_NAME, REPO, tscProject } from './support';

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'es2022',
    module: 'node16',
    moduleResolution: 'node16',
    types: ['node'],
    // aws-cdk-lib's own declarations are not ours to check, and take most of the time.
    skipLibCheck: true,
  },
};

function fileOf(snippet: Snippet): string {
  return `readme-line-${snippet.line}.mts`;
}

/** Type-checks `programs` (file name -> text) in a fresh project; returns errors by file. */
function typeCheckPrograms(programs: ReadonlyMap<string, string>): Map<string, string[]> {
  const project = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
  try {
    linkRepositoryModules(project, [PACKAGE_NAME]);
    symlinkSync(REPO, join(project, 'node_modules', PACKAGE_NAME), 'dir');
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: [...programs.keys()] }));
    for (const [file, text] of programs) writeFileSync(join(project, file), text);
    const result = tscProject(project);
    const byFile = diagnosticsByFile(result.output);
    if (result.status !== 0 && byFile.size === 0) throw new Error(`tsc exited with ${result.status}: ${result.output}`);
    return byFile;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

const SNIPPETS = typescriptSnippets();

describe('README.md TypeScript blocks', () => {
  let errors: Map<string, string[]>;

  beforeAll(() => {
    errors = typeCheckPrograms(new Map(SNIPPETS.map((snippet) => [fileOf(snippet), snippet.program])));
  });

  test('there are blocks for the constructs, the Roles Anywhere L2s, the runtime and receiving', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(6);
    expect(SNIPPETS.filter((snippet) => snippet.fixture).map((snippet) => snippet.fixture)).toEqual(
      expect.arrayContaining(['stack', 'runtime-client']),
    );
  });

  test.each(SNIPPETS.map((snippet) => [`line ${snippet.line} (${snippet.section}${snippet.fixture ? `, fixture ${snippet.fixture}` : ''})`, snippet] as const))(
    'README.md %s compiles under --strict',
    (_name, snippet) => {
      expect(errors.get(fileOf(snippet)) ?? []).toEqual([]);
    },
  );

  test('a block that misses an import fails (the check can fail)', () => {
    const first = SNIPPETS.find((snippet) => snippet.source.includes("import { readFileSync } from 'node:fs';"))!;
    const broken = first.program.replace("import { readFileSync } from 'node:fs';", '');
    const found = typeCheckPrograms(new Map([['broken.mts', broken]]));
    expect(found.get('broken.mts')?.join('\n')).toMatch(/TS2304: Cannot find name 'readFileSync'/);
  });
});
