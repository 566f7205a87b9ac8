import { quote, QUOTE_MAX_CHARACTERS } from '../../src/contract';
import { escapeBounded } from '../../src/contract/quote';

describe('quote', () => {
  test.each([
    ['eu-west-1', "'eu-west-1'"],
    ['a\nb', "'a\\nb'"],
    ['tab\there', "'tab\\there'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['bell\u0007', "'bell\\x07'"],
    ['del\u007f', "'del\\x7f'"],
    ['line\u2028sep', "'line\\u2028sep'"],
    ['', "''"],
  ])('%j is shown as %s', (value, shown) => {
    expect(quote(value)).toBe(shown);
  });

  test('a long value shows a prefix and its length', () => {
    expect(quote('x'.repeat(4096))).toBe(`'${'x'.repeat(QUOTE_MAX_CHARACTERS)}...' (4096 characters)`);
    expect(quote('abcdef', 3)).toBe("'abc...' (6 characters)");
  });

  test('a cut never splits a character made of two UTF-16 units', () => {
    expect(quote('😀😀😀', 2)).toBe("'😀😀...' (3 characters)");
  });

  test('non-strings are shown through String, and a throwing toString does not throw', () => {
    expect(quote(42)).toBe("'42'");
    expect(quote({ toString: () => { throw new Error('no'); } })).toBe("'[object Object]'");
  });
});

describe('escapeBounded, for foreign text passed on without quotes', () => {
  test('escapes control characters, keeps quotes and backslashes, and cuts long text saying its length', () => {
    expect(escapeBounded("it's C:\\dir\x1b[2J\r\nnext", 100)).toBe("it's C:\\dir\\x1b[2J\\r\\nnext");
    expect(escapeBounded('x'.repeat(2000), 1024)).toBe(`${'x'.repeat(1024)}... (2000 characters)`);
  });
});
