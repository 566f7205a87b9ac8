// The one rule both faces run on a resource name prefix: letters, digits, '-' or '_', then the one '.'.
import { checkResourceNamePrefix, connectorSlug, RESOURCE_NAME_PREFIX, resourceNamePrefixOf } from '../../src/contract';

describe('the prefix derived from a construct id', () => {
  test.each([
    ['Orders', 'orders.'],
    ['OrdersEU', 'orders-eu.'],
    ['HTTPOrders', 'http-orders.'],
    ['orders_v2', 'orders-v2.'],
  ])('%s gives %s, which the rule accepts', (id, prefix) => {
    expect(resourceNamePrefixOf(connectorSlug(id))).toBe(prefix);
    expect(checkResourceNamePrefix(prefix)).toBeUndefined();
  });
});

describe('no prefix starts a name under another prefix', () => {
  // What IAM matches: `connection/<prefix>*` against `connection/<name>`.
  const names = (prefix: string) => ['conn', 'receiver-conn', 'x.y', '-eu.conn'].map((rest) => `${prefix}${rest}`);
  const prefixes = ['orders.', 'orders-eu.', 'orders-e.', 'o.', 'orders_.', 'orders-.'];

  test('for every two of them', () => {
    for (const a of prefixes) {
      expect(checkResourceNamePrefix(a)).toBeUndefined();
      for (const b of prefixes.filter((p) => p !== a)) {
        expect(names(b).filter((name) => name.startsWith(a))).toEqual([]);
      }
    }
  });

  test('whereas without the delimiter orders-* matches orders-eu-conn', () => {
    expect('orders-eu-conn'.startsWith('orders-')).toBe(true);
    expect(checkResourceNamePrefix('orders-')).toBeDefined();
  });
});

describe('what the rule refuses, and what it suggests', () => {
  test('a prefix without the delimiter says why and suggests the one with it', () => {
    expect(checkResourceNamePrefix('orders-')).toBe(
      "invalid resourceNamePrefix 'orders-': expected 1 to 39 letters, digits, '-' or '_' ended by one '.', such as 'orders.' " +
        "('.' is the delimiter no prefix contains elsewhere, so one connector's names never start with another's prefix), " +
        "at most 40 characters so that the 24 a receiver generates after it fit EventBridge's 64",
    );
  });

  test.each([
    ['orders', 'orders.'],
    ['orders_', 'orders.'],
    ['orders.eu.', 'orders-eu.'],
    ['orders app-', 'orders-app.'],
    ['orders*', 'orders.'],
    ['.orders.', 'orders.'],
  ])('%s suggests %s', (prefix, suggestion) => {
    expect(checkResourceNamePrefix(prefix)).toContain(`, such as '${suggestion}' (`);
    expect(checkResourceNamePrefix(suggestion)).toBeUndefined();
  });

  test.each([
    ['', "invalid resourceNamePrefix '': expected 1 to 39 letters, digits, '-' or '_' ended by one '.' (", undefined],
    ['.', "invalid resourceNamePrefix '.': expected 1 to 39 letters, digits, '-' or '_' ended by one '.' (", undefined],
    [`${'o'.repeat(40)}.`, `invalid resourceNamePrefix '${'o'.repeat(40)}.': expected 1 to 39`, undefined],
    ['orders.\n', "invalid resourceNamePrefix 'orders.\\n': expected", 'orders.'],
  ])('%j is refused', (prefix, start, suggestion) => {
    const message = checkResourceNamePrefix(prefix)!;
    expect(message.startsWith(start)).toBe(true);
    if (suggestion === undefined) expect(message).not.toContain('such as');
    else expect(message).toContain(`such as '${suggestion}'`);
  });

  test('a long value is quoted bounded, and its length said', () => {
    const message = checkResourceNamePrefix('p'.repeat(500))!;
    expect(message).toContain("...' (500 characters)");
    expect(message).toContain('at most 40 characters (it has 500)');
  });

  test('the longest prefix is 40 characters', () => {
    expect(RESOURCE_NAME_PREFIX.test(`${'o'.repeat(39)}.`)).toBe(true);
    expect(RESOURCE_NAME_PREFIX.test(`${'o'.repeat(40)}.`)).toBe(false);
  });
});
