/**
 * Construct Hub translates the README's TypeScript examples to Python, Java, C# and Go with
 * jsii-rosetta, from the readme in the jsii assembly. This runs `jsii-rosetta extract --strict`
 * over README.md as it is in the tree (put into a copy of the assembly, in a temp folder, with the
 * fixtures of rosetta/), fails on any diagnostic, and checks that the README's Python example is
 * what rosetta makes of the TypeScript one. Node-only blocks are ```js, which rosetta leaves as
 * written. Relies on the assembly of `npx projen compile`, which `npm test` runs first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snippets } from './readme-snippets';
import { childEnv, REPO } from './support';

const ROSETTA = join(REPO, 'node_modules', 'jsii-rosetta', 'bin', 'jsii-rosetta');

interface Tablet {
  readonly snippets: Record<string, {
    readonly didCompile?: boolean;
    readonly location: { readonly field: { readonly line?: number } };
    readonly translations: Record<string, { readonly source: string }>;
  }>;
}

interface Extracted {
  readonly status: number | null;
  readonly output: string;
  readonly tablet?: Tablet;
}

/** `jsii-rosetta extract --strict` over the assembly with `readme` as its README, in a temp folder. */
function extract(readme: string): Extracted {
  const dir = mkdtempSync(join(tmpdir(), 'rosetta-'));
  try {
    const assembly = JSON.parse(readFileSync(join(REPO, '.jsii'), 'utf8'));
    writeFileSync(join(dir, '.jsii'), JSON.stringify({ ...assembly, readme: { markdown: readme } }));
    cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    cpSync(join(REPO, 'rosetta'), join(dir, 'rosetta'), { recursive: true });
    symlinkSync(join(REPO, 'lib'), join(dir, 'lib'), 'dir');
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const result = spawnSync(process.execPath, [ROSETTA, 'extract', '--strict', '.jsii'], {
      cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 300_000,
    });
    // jsii's banner about Node's end of life is not a diagnostic.
    const output = `${result.stdout}${result.stderr}`.split('\n').filter((line) => !line.startsWith('!!') && line.trim() !== '').join('\n');
    let tablet: Tablet | undefined;
    try {
      tablet = JSON.parse(readFileSync(join(dir, '.jsii.tabl.json'), 'utf8'));
    } catch {
      tablet = undefined;
    }
    return { status: result.status, output, tablet };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const README_TEXT = readFileSync(join(REPO, 'README.md'), 'utf8');
let clean: Extracted;

beforeAll(() => {
  clean = extract(README_TEXT);
});

test('jsii-rosetta extract --strict passes on the README with no diagnostic', () => {
  expect({ status: clean.status, output: clean.output }).toEqual({ status: 0, output: '' });
});

test("every README TypeScript block compiled in rosetta's own check, and no Node-only block was taken for one", () => {
  const typescript = snippets('README.md').filter((snippet) => snippet.language === 'ts' || snippet.language === 'typescript');
  const translated = Object.values(clean.tablet!.snippets);
  expect(translated.map((snippet) => snippet.location.field.line).sort()).toEqual(typescript.map((snippet) => snippet.line).sort());
  expect(translated.every((snippet) => snippet.didCompile === true)).toBe(true);
  expect(typescript.some((snippet) => snippet.source.includes("'cdk-eventbridge-connector/runtime'"))).toBe(false);
  expect(snippets('README.md').filter((snippet) => snippet.language === 'js').length).toBeGreaterThanOrEqual(1);
});

test("the README's Python example is rosetta's translation of its construct example", () => {
  const python = snippets('README.md').filter((snippet) => snippet.language === 'python');
  expect(python).toHaveLength(1);
  const construct = snippets('README.md').find((snippet) => snippet.language === 'ts' && /new EventBridgeConnector\(/.test(snippet.source))!;
  const translation = Object.values(clean.tablet!.snippets).find((snippet) => snippet.location.field.line === construct.line)!;
  expect(python[0].source.trim()).toEqual(translation.translations.python.source.trim());
});

test('a README block rosetta cannot compile fails the check (the check can fail)', () => {
  const broken = README_TEXT.replace('caCertificates: caPem,', 'caCertificate: caPem,');
  expect(broken).not.toEqual(README_TEXT);
  const result = extract(broken);
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/caCertificate/);
});
