import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  certificateId,
  checkParameterPath,
  defaultParameterPath,
  keyOfParameterName,
  normalizeCertificateId,
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


describe('certificate ids', () => {
  const pem = readFileSync(`${__dirname}/../fixtures/vectors/rsa-selfsigned/testcert.pem`);

  test('is the SHA-256 of the DER, equal to the colon form node and openssl print', () => {
    const id = certificateId(pem);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizeCertificateId(new X509Certificate(pem).fingerprint256)).toBe(id);
    expect(normalizeCertificateId(id.toUpperCase())).toBe(id);
    expect(normalizeCertificateId('not-a-fingerprint')).toBeUndefined();
  });
});
