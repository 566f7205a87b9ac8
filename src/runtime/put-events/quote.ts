/**
 * How the sender's messages show a value they did not expect: in single quotes, bounded and
 * escaped, so a hostile or mistaken value can neither flood a log nor write a line of its own.
 * Same signature and output as `quote` in `src/contract/quote.ts` (another branch of this round);
 * once both are merged this file becomes `export { quote } from '../../contract/quote'`.
 */
export const QUOTE_MAX_CHARACTERS = 64;

/** `'value'`, or for a long one its first 64 code points, `...'` and ` (N characters)`. */
export function quote(value: unknown, maxCharacters: number = QUOTE_MAX_CHARACTERS): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const chars = Array.from(text);
  const shown = chars.slice(0, maxCharacters).map(escapeChar).join('');
  return chars.length > maxCharacters ? `'${shown}...' (${chars.length} characters)` : `'${shown}'`;
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\'': '\\\'', '\\': '\\\\' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0)!;
  // C0 and C1 controls, DEL, and the Unicode line and paragraph separators (new lines to a log).
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return c;
}
