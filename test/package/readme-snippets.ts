/**
 * The code blocks of README.md and the guides (docs/*.md) as programs. A ```ts block (and a ```js
 * block: the README's Node-only examples, which jsii-rosetta leaves untranslated) is a whole
 * program, or, when its info string names a fixture (```ts fixture=stack, jsii-rosetta's
 * convention), the body of `rosetta/<name>.ts-fixture`: the snippet's imports go to the top and
 * the rest replaces the fixture's `/// here` line, as jsii-rosetta does when Construct Hub
 * translates examples. A block that is not meant to compile says so, for the reader too, in its
 * first line: `// not compiled: <why>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const README = join(ROOT, 'README.md');
const FIXTURES = join(ROOT, 'rosetta');

/** README.md, then every guide of docs/ (drafts are not guides), as paths from the repository root. */
export function documents(): string[] {
  const guides = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...guides.map((name) => `docs/${name}`)];
}

/** The languages whose blocks are type-checked. */
const COMPILED_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript']);
/** The first line of a block that is shown but not compiled. */
export const NOT_COMPILED = /^\s*\/\/ not compiled: \S/;

export interface Snippet {
  /** The document it is in, from the repository root (`README.md`, `docs/sending.md`). */
  readonly file: string;
  /** `ts`, `js`, `python`, ... */
  readonly language: string;
  /** The fixture it is written against, if any. */
  readonly fixture?: string;
  /** 1-based line of the opening fence in its file. */
  readonly line: number;
  /** The block's text, as written. */
  readonly source: string;
  /** The heading the block sits under, for messages. */
  readonly section: string;
}

/** `file:line`, the way messages name a block. */
export function where(snippet: Snippet): string {
  return `${snippet.file}:${snippet.line}`;
}

/** Every fenced block of `file` (or of `markdown`, named `file`), with its line and section. */
export function snippets(file = 'README.md', markdown: string = readFileSync(join(ROOT, file), 'utf8')): Snippet[] {
  const lines = markdown.split('\n');
  const found: Snippet[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = /^```(\S+)?(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: code block never closed`);
    const fixture = /\bfixture=(\S+)/.exec(fence[2])?.[1];
    found.push({ file, language: fence[1] ?? '', fixture, line: i + 1, source: lines.slice(i + 1, end).join('\n'), section });
    i = end;
  }
  return found;
}

/** Whether the block is meant to compile: a TypeScript or JavaScript block not marked otherwise. */
export function isCompiled(snippet: Snippet): boolean {
  return COMPILED_LANGUAGES.has(snippet.language) && !NOT_COMPILED.test(snippet.source.split('\n')[0]);
}

/** The blocks of `files` meant to compile, each as a complete program (fixture applied). */
export function typescriptSnippets(files: readonly string[] = documents()): Array<Snippet & { readonly program: string }> {
  return files.flatMap((file) => snippets(file))
    .filter(isCompiled)
    .map((snippet) => ({ ...snippet, program: program(snippet) }));
}

/** Whether the snippet uses the construct face (and so synthesizes an app). */
export function isConstructSnippet(snippet: Snippet): boolean {
  return /from 'cdk-eventbridge-connector'/.test(snippet.source);
}

const LEADING_IMPORTS = /^(?:\s*(?:\/\/[^\n]*\n|import\s[^;]*;[^\n]*\n?))*/;

/** The snippet as a program: as written, or its imports over the fixture and its body at `/// here`. */
export function program(snippet: Snippet): string {
  if (!snippet.fixture) return `${snippet.source}\n`;
  const fixture = readFileSync(join(FIXTURES, `${snippet.fixture}.ts-fixture`), 'utf8');
  if (!fixture.includes('/// here')) throw new Error(`${where(snippet)}: rosetta/${snippet.fixture}.ts-fixture has no '/// here' line`);
  const imports = LEADING_IMPORTS.exec(snippet.source)?.[0] ?? '';
  const body = snippet.source.slice(imports.length);
  return `${imports.trim()}\n${fixture.replace('/// here', body)}`;
}
