// A detail parsed from JSON may have an own `__proto__` field, and `keepDetailFields` accepts the
// name. Kept by assignment, it set the reference's prototype instead: the field vanished from the
// reference sent (rules on it stopped matching) and the reference inherited the sender's values.
// Expected: the field is copied like any other, and the reference has no inherited fields.
import { ClaimCheckPointer, referenceDetail } from '../../src/runtime';

const pointer: ClaimCheckPointer = {
  version: 1,
  bucket: 'shop-payloads',
  key: 'payloads/orders/sha256/k.json',
  size: 2,
  sha256: `${'A'.repeat(43)}=`,
  contentType: 'application/json',
};

test('a kept __proto__ field travels in the reference as a field, and sets no prototype', () => {
  const detail = JSON.parse('{ "__proto__": { "polluted": true }, "orderId": "o-1" }');
  const reference = referenceDetail(detail, pointer, ['__proto__', 'orderId']);
  expect(Object.getPrototypeOf(reference)).toBe(Object.prototype);
  expect((reference as { polluted?: boolean }).polluted).toBeUndefined();
  expect(JSON.parse(JSON.stringify(reference))).toEqual(JSON.parse('{ "__proto__": { "polluted": true }, "orderId": "o-1", "_claimCheck": ' + JSON.stringify(pointer) + ' }'));
  expect(Object.keys(JSON.parse(JSON.stringify(reference)))).toEqual(['__proto__', 'orderId', '_claimCheck']);
});
