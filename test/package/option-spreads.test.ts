/**
 * The rule of docs/development.md "Passing options on" as a test: no
 * `...(x !== undefined && { x })` spread in src/. An option is passed on as `x: options.x`, or,
 * where `undefined` and a missing key differ, through `definedOnly({...})`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function unparenthesized(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? unparenthesized(node.expression) : node;
}

/**
 * `a !== undefined` or `undefined !== a`, alone or in an `&&` chain of such tests only. A spread
 * whose condition also says something else (`x !== ''`, `x !== null`) drops more than `undefined`,
 * and is not what the rule is about.
 */
function testsDefined(node: ts.Expression): boolean {
  const e = unparenthesized(node);
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return testsDefined(e.left) && testsDefined(e.right);
  if (op !== ts.SyntaxKind.ExclamationEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsToken) return false;
  const isUndefined = (side: ts.Expression) => ts.isIdentifier(side) && side.text === 'undefined';
  return isUndefined(e.left) || isUndefined(e.right);
}

/** Each `...(<test of undefined> && { ... })` in `text`, as `file:line: source`. */
export function optionSpreads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isSpreadAssignment(node)) {
      const e = unparenthesized(node.expression);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken
        && ts.isObjectLiteralExpression(unparenthesized(e.right)) && testsDefined(e.left)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`${file}:${line}: ${node.getText().replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('optionSpreads finds the spreads the rule forbids, and not the forms it asks for', () => {
  const forbidden = [
    'const a = { ...(x !== undefined && { x }) };',
    'const a = { ...(undefined !== o.x && { x: o.x }) };',
    'const a = {\n  ...(o.x !== undefined\n    && { x: o.x, y: 1 }),\n};',
    'const a = { ...(o.x !== undefined && o.y !== undefined && { x: o.x, y: o.y }) };',
    'const a = { ...((x != undefined) && ({ x })) };',
  ];
  for (const text of forbidden) expect(optionSpreads('a.ts', text)).toHaveLength(1);
  const allowed = [
    'const a = { x: o.x };',
    'const a = definedOnly({ x: o.x });',
    'const a = { ...defaults, ...options };',
    'const a = { ...(o.x && { x: o.x }) };',
    "const a = { ...(o.x !== undefined && o.x !== '' && { x: o.x }) };",
    'const a = { ...(x !== undefined ? { x } : {}) };',
    'const ok = x !== undefined && { x };',
  ];
  for (const text of allowed) expect(optionSpreads('a.ts', text)).toEqual([]);
});

test('no `...(x !== undefined && { x })` spread in src/ (docs/development.md "Passing options on")', () => {
  const files = sourceFiles(SRC);
  expect(files.length).toBeGreaterThan(100);
  const found = files.flatMap((file) => optionSpreads(relative(SRC, file), readFileSync(file, 'utf8')));
  expect(found).toEqual([]);
});
