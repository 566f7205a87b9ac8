import { arnResourceName, checkArn, checkSameRegion, formatArn, parseArn } from '../../src/contract';

const ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/5e0c6a4d-2b1f-4c3e-8d7a-9f6b5a4c3d2e';

describe('ARNs', () => {
  test('parse and format round trip, in every partition', () => {
    for (const arn of [ANCHOR, 'arn:aws-cn:iam::123456789012:role/a/b', 'arn:aws-us-gov:events:us-gov-west-1:123456789012:event-bus/x']) {
      expect(formatArn(parseArn(arn)!)).toBe(arn);
    }
    expect(arnResourceName('arn:aws:iam::123456789012:role/path/app')).toBe('app');
  });

  test.each([
    ['role', 'arn:aws:iam::123456789012:role/connector', true],
    ['role', 'arn:aws-cn:iam::123456789012:role/path/connector', true],
    ['role', 'arn:aws:iam::12345678:role/short-account', false],
    ['role', 'arn:aws:iam::123456789012:user/someone', false],
    ['trust-anchor', ANCHOR, true],
    ['trust-anchor', PROFILE, false],
    ['profile', PROFILE, true],
    ['profile', 'arn:aws:rolesanywhere::123456789012:profile/5e0c6a4d-2b1f-4c3e-8d7a-9f6b5a4c3d2e', false],
    ['event-bus', 'arn:aws:events:eu-west-1:123456789012:event-bus/orders', true],
    ['acm-pca', 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012', true],
    ['secret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:connector/key-AbCdEf', true],
  ] as const)('%s %s valid=%s', (kind, arn, valid) => {
    const problem = checkArn(kind, arn);
    if (valid) expect(problem).toBeUndefined();
    else expect(problem).toContain(`'${arn}': expected`);
  });

  test('trust anchor and profile must share a region', () => {
    expect(checkSameRegion(ANCHOR, PROFILE)).toBeUndefined();
    expect(checkSameRegion(ANCHOR, PROFILE.replace('eu-west-1', 'us-east-1'))).toMatch(/is in eu-west-1 but profile .* is in us-east-1/);
  });
});
