import {
  checkParameterPath,
  defaultParameterPath,
  keyOfParameterName,
  parameterName,
  ParameterKeys,
  parseSecretReference,
  secretReference,
} from '../../src/contract';

describe('parameter paths', () => {
  test('default path and names', () => {
    expect(defaultParameterPath('orders')).toBe('/eventbridge-connector/orders');
    expect(parameterName('/eventbridge-connector/orders', ParameterKeys.ROLE_ARN)).toBe('/eventbridge-connector/orders/RoleARN');
    expect(keyOfParameterName('/a/b', '/a/b/Region')).toBe('Region');
    expect(keyOfParameterName('/a/b', '/a/bc/Region')).toBeUndefined();
    expect(keyOfParameterName('/a/b', '/a/b/c/Region')).toBeUndefined();
  });

  test.each([
    ['orders', /leading \//],
    ['/orders/', /no trailing \//],
    ['/or ders', /segments of letters/],
    ['/aws/orders', /may not begin with 'aws'/],
    [`/${Array.from({ length: 15 }, () => 'a').join('/')}`, /15 levels/],
  ])('rejects %s', (path, message) => {
    expect(checkParameterPath(path)).toMatch(message);
    expect(checkParameterPath(path)).toContain(`'${path}'`);
  });

  test('accepts a nested path', () => {
    expect(checkParameterPath('/eventbridge-connector/team-a/orders.v2')).toBeUndefined();
  });

  test('secret references round trip and nothing else parses as one', () => {
    expect(parseSecretReference(secretReference('connector/secret-key'))).toBe('connector/secret-key');
    expect(parseSecretReference('AKIA...')).toBeUndefined();
    expect(parseSecretReference('/aws/reference/secretsmanager/')).toBeUndefined();
  });
});
