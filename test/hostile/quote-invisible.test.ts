/**
 * quote() promises that a value can neither hide part of itself nor write its own line into a log:
 * zero-width, bidi and BOM characters are now escaped. Other characters that show nothing are
 * not: the Unicode tag characters U+E0000..U+E007F (invisible, used to smuggle text past a reader:
 * `orders` + tags reads as `orders`), U+180E MONGOLIAN VOWEL SEPARATOR, the interlinear annotation
 * marks U+FFF9..U+FFFB, all of Unicode's format class (Cf) as U+200B..U+200F already are; and a
 * lone surrogate passes through raw, which a UTF-8 log writes as U+FFFD. Expected: each escaped.
 */
import { quote } from '../../src/contract/quote';

test.each([
  ['tag characters', 'orders\u{E0001}\u{E0061}\u{E0064}\u{E006D}\u{E0069}\u{E006E}'],
  ['MONGOLIAN VOWEL SEPARATOR', 'orders\u180e'],
  ['interlinear annotation', 'orders\ufff9evil\ufffb'],
])('a value with %s is shown with them escaped', (_name, value) => {
  const shown = quote(value);
  expect(shown).not.toMatch(/\p{Cf}/u);
  expect(shown.startsWith("'orders")).toBe(true);
});

test('a lone surrogate is escaped, not written raw', () => {
  expect(quote('a\ud800b')).toBe("'a\\ud800b'");
});
