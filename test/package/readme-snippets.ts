/**
 * The README's code blocks as programs. A ```ts block is a whole program, or, when its info
 * string names a fixture (```ts fixture=stack, jsii-rosetta's convention), the body of
 * `rosetta/<name>.ts-fixture`: the snippet's imports go to the top and the rest replaces the
 * fixture's `/// here` line, as jsii-rosetta does when Construct Hub translates examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const README = join(__dirname, '..', '..', 'README.md');
const FIXTURES = join(__dirname, '..', '..', 'rosetta');

export interface Snippet {
  /** `ts`, `python`, ... */
  readonly language: string;
  /** The fixture it is written against, if any. */
  readonly fixture?: string;
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  /** The block's text, as written. */
  readonly source: string;
  /** The heading the block sits under, for messages. */
  readonly section: string;
}

/** Every fenced block of `markdown`, with its line and the section it is in. */
export function snippets(markdown: string = readFileSync(README, 'utf8')): Snippet[] {
  const lines = markdown.split('\n');
  const found: Snippet[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = /^```(\S+)?(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: code block never closed`);
    const fixture = /\bfixture=(\S+)/.exec(fence[2])?.[1];
    found.push({ language: fence[1] ?? '', fixture, line: i + 1, source: lines.slice(i + 1, end).join('\n'), section });
    i = end;
  }
  return found;
}

/** The TypeScript blocks, each as a complete program (fixture applied). */
export function typescriptSnippets(markdown?: string): Array<Snippet & { readonly program: string }> {
  return snippets(markdown)
    .filter((snippet) => snippet.language === 'ts' || snippet.language === 'typescript')
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
  if (!fixture.includes('/// here')) throw new Error(`rosetta/${snippet.fixture}.ts-fixture has no '/// here' line`);
  const imports = LEADING_IMPORTS.exec(snippet.source)?.[0] ?? '';
  const body = snippet.source.slice(imports.length);
  return `${imports.trim()}\n${fixture.replace('/// here', body)}`;
}
