/**
 * The README and the guides (docs/*.md) are executable documentation: every ```ts block (and the
 * README's Node-only ```js blocks) type-checks, strict, against the built package (the construct
 * face from jsii's lib/index.d.ts, /runtime and /local from the bundle's declarations), with the
 * imports it shows and nothing else. Fragments name a fixture in rosetta/ (jsii-rosetta's
 * convention); a block marked `// not compiled: <why>` is skipped. Relies on `npx projen compile`
 * and the bundle, which `npm test` runs first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { documents, NOT_COMPILED, Snippet, snippets, typescriptSnippets, where } from './readme-snippets';
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
  return `${snippet.file.replace(/[^A-Za-z0-9]+/g, '-')}-line-${snippet.line}.mts`;
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

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
}

/** Markdown without its fenced blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** The relative links of `markdown` (the text of `file`) that reach no file, or no heading there. */
function brokenLinks(file: string, markdown: string): string[] {
  const anchors = (text: string) => new Set([...prose(text).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])));
  const broken: string[] = [];
  for (const [, link] of prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(link)) continue;
    const [path, anchor] = link.split('#');
    const target = path ? posix.normalize(posix.join(posix.dirname(file), path)) : file;
    if (path && !existsSync(join(REPO, target))) {
      broken.push(`${file}: ${link} (no such file)`);
    } else if (anchor && target.endsWith('.md') && !anchors(path ? readFileSync(join(REPO, target), 'utf8') : markdown).has(anchor)) {
      broken.push(`${file}: ${link} (no such heading)`);
    }
  }
  return broken;
}

const SNIPPETS = typescriptSnippets();
const GUIDES = ['docs/constructs.md', 'docs/sending.md', 'docs/receiving.md', 'docs/credentials-and-cli.md', 'docs/architecture.md'];

describe('README.md and docs/*.md TypeScript blocks', () => {
  let errors: Map<string, string[]>;

  beforeAll(() => {
    errors = typeCheckPrograms(new Map(SNIPPETS.map((snippet) => [fileOf(snippet), snippet.program])));
  });

  test('the README and every guide are read, and the README and the guides with examples have blocks', () => {
    expect(documents()).toEqual(expect.arrayContaining(['README.md', ...GUIDES, 'docs/benchmarks.md', 'docs/development.md']));
    const files = new Set(SNIPPETS.map((snippet) => snippet.file));
    for (const file of ['README.md', 'docs/constructs.md', 'docs/sending.md', 'docs/receiving.md', 'docs/credentials-and-cli.md']) {
      expect([file, files.has(file)]).toEqual([file, true]);
    }
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(20);
    expect(SNIPPETS.filter((snippet) => snippet.fixture).map((snippet) => snippet.fixture)).toEqual(
      expect.arrayContaining(['stack', 'runtime-client', 'certificates']),
    );
  });

  test('README.md fits a page: under 200 lines, the manual in docs/', () => {
    const lines = readFileSync(join(REPO, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThan(200);
  });

  test('every relative link of the README and the guides reaches a file, and its #anchor a heading there', () => {
    expect(documents().flatMap((file) => brokenLinks(file, readFileSync(join(REPO, file), 'utf8')))).toEqual([]);
  });

  test('a link to a missing guide or heading is found (the link check can fail)', () => {
    expect(brokenLinks('README.md', '# T\n\n[a](docs/nope.md), [b](docs/sending.md#no-such-heading), [c](#t), [d](https://x.example/y)\n'))
      .toEqual(['README.md: docs/nope.md (no such file)', 'README.md: docs/sending.md#no-such-heading (no such heading)']);
  });

  test('blocks left out of the check are rare, and each says why in its first line', () => {
    const skipped = documents().flatMap((file) => snippets(file))
      .filter((snippet) => ['ts', 'typescript', 'js', 'javascript'].includes(snippet.language) && NOT_COMPILED.test(snippet.source.split('\n')[0]));
    expect(skipped.length).toBeLessThanOrEqual(2);
  });

  test.each(SNIPPETS.map((snippet) => [`${where(snippet)} (${snippet.section}${snippet.fixture ? `, fixture ${snippet.fixture}` : ''})`, snippet] as const))(
    '%s compiles under --strict',
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

  test('a README Node-only ```js block is type-checked as TypeScript (a wrong option is caught)', () => {
    const js = SNIPPETS.find((snippet) => snippet.file === 'README.md' && snippet.language === 'js')!;
    expect(js.source).toContain("from 'cdk-eventbridge-connector/runtime'");
    const broken = js.program.replace("path: '/eventbridge-connector/orders'", "pathh: '/eventbridge-connector/orders'");
    expect(broken).not.toEqual(js.program);
    const found = typeCheckPrograms(new Map([['broken-js.mts', broken]]));
    expect(found.get('broken-js.mts')?.join('\n')).toMatch(/pathh/);
  });
});
