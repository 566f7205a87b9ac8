/**
 * How every error message of both faces shows a value it did not expect: in single quotes, at
 * most {@link QUOTE_MAX_CHARACTERS} characters of it (then `...` and the full length), with
 * control characters, invisible and bidirectional-control characters, quotes and backslashes escaped, so that a hostile or mistaken value can
 * neither flood a log nor write a line of its own into it.
 */
export const QUOTE_MAX_CHARACTERS = 160;

/**
 * `'value'`, bounded and escaped: `quote('eu-west-1')` gives `'eu-west-1'`,
 * `quote('a\nb')` gives `'a\nb'` with a literal backslash, and a 4,096-character value gives its first 160 characters,
 * `...'` and ` (4096 characters)`. Non-strings are shown through `String()`.
 */
export function quote(value: unknown, maxCharacters: number = QUOTE_MAX_CHARACTERS): string {
  const { shown, length } = cut(value, maxCharacters);
  return length > maxCharacters ? `'${shown}...' (${length} characters)` : `'${shown}'`;
}

/**
 * Foreign text (a server's error message) made safe to pass on without quotes: control
 * characters escaped as {@link quote} escapes them (quotes and backslashes are left as they are,
 * the text is not inside quotes), cut to `maxCharacters` with `... (N characters)` when longer.
 */
export function escapeBounded(value: unknown, maxCharacters: number): string {
  const { shown, length } = cut(value, maxCharacters, escapeControl);
  return length > maxCharacters ? `${shown}... (${length} characters)` : shown;
}

function cut(value: unknown, maxCharacters: number, escape: (c: string) => string = escapeChar): { shown: string; length: number } {
  const text = typeof value === 'string' ? value : safeString(value);
  // Code points, not UTF-16 units: a cut never splits a surrogate pair.
  const chars = Array.from(text);
  return { shown: chars.slice(0, maxCharacters).map(escape).join(''), length: chars.length };
}

function escapeControl(c: string): string {
  return c === '\'' || c === '\\' ? c : escapeChar(c);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\'': '\\\'', '\\': '\\\\' };

/** Format characters and lone surrogates: one code point, as `cut` hands them over. */
const INVISIBLE = /^[\p{Cf}\p{Cs}]$/u;

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0)!;
  // C0 and C1 controls, DEL, the Unicode line and paragraph separators (new lines to a log), every
  // format character (zero-width characters, bidirectional marks, embeddings, overrides and
  // isolates, tag characters, the BOM: `orders\u200b.` must not look like `orders.`, nor U+202E
  // turn a message around) and lone surrogates (a UTF-8 log would write U+FFFD).
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || INVISIBLE.test(c)) {
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
  }
  return c;
}
