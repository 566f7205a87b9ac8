// The claim-check keys of the contract as the runtime will read them: both or neither, each checked.
import { parseClaimCheckConstants } from '../../../src/runtime/claim-check/constants';

test('none, both, or the problems naming each key', () => {
  expect(parseClaimCheckConstants({ Region: 'eu-west-1' })).toBeUndefined();
  expect(parseClaimCheckConstants({ ClaimCheckBucketName: 'shop-payloads', ClaimCheckKeyPrefix: 'payloads/orders/' }))
    .toEqual({ bucket: 'shop-payloads', keyPrefix: 'payloads/orders/' });
  expect(parseClaimCheckConstants({ ClaimCheckBucketName: 'shop-payloads' }))
    .toEqual({ problems: ['missing ClaimCheckKeyPrefix: expected the connector\'s key prefix, since ClaimCheckBucketName is present'] });
  expect(parseClaimCheckConstants({ ClaimCheckBucketName: 'Shop', ClaimCheckKeyPrefix: 'payloads/*' })).toEqual({
    problems: [
      expect.stringContaining("invalid ClaimCheckBucketName 'Shop'"),
      expect.stringContaining("invalid ClaimCheckKeyPrefix 'payloads/*'"),
    ],
  });
});
