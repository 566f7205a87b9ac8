/**
 * The ASN.1 reader behind the PKCS#12 support: DER as OpenSSL writes it, the BER some other
 * PKCS#12 writers use, and refusals of what is malformed.
 */
import { Pki } from './support/pki';
import { octetsOf, oidOf, readAsn1, smallIntegerOf, Tag } from '../../../src/runtime/credentials/der';

let pki: Pki;
beforeAll(() => {
  pki = Pki.create();
});
afterAll(() => pki?.cleanup());

test.each(['1.2.840.113549.1.12.10.1.2', '2.16.840.1.101.3.4.1.42', '1.3.14.3.2.26', '2.999.1'])(
  'object identifier %s reads back as openssl encodes it',
  (oid) => {
    pki.openssl('asn1parse', '-genstr', `OID:${oid}`, '-noout', '-out', 'oid.der');
    expect(oidOf(readAsn1(pki.read('oid.der')), 'oid')).toBe(oid);
  },
);

test('integers read back as openssl encodes them', () => {
  for (const n of [0, 1, 127, 128, 2048, 600000]) {
    pki.openssl('asn1parse', '-genstr', `INTEGER:${n}`, '-noout', '-out', 'int.der');
    expect(smallIntegerOf(readAsn1(pki.read('int.der')), 'n')).toBe(n);
  }
});

test('BER: an indefinite-length sequence holding a constructed OCTET STRING reads as its pieces joined', () => {
  const ber = Buffer.from([0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 0xaa, 0xbb, 0x04, 0x01, 0xcc, 0x00, 0x00, 0x02, 0x01, 0x05, 0x00, 0x00]);
  const sequence = readAsn1(ber);
  expect(sequence.tag).toBe(Tag.SEQUENCE);
  expect(octetsOf(sequence.children[0], 'data').toString('hex')).toBe('aabbcc');
  expect(smallIntegerOf(sequence.children[1], 'n')).toBe(5);
});

test('an IMPLICIT [0] OCTET STRING reads in its primitive and constructed forms', () => {
  expect(octetsOf(readAsn1(Buffer.from([0x80, 0x02, 0x01, 0x02])), 'data', Tag.contextPrimitive(0)).toString('hex')).toBe('0102');
  expect(octetsOf(readAsn1(Buffer.from([0xa0, 0x04, 0x04, 0x02, 0x01, 0x02])), 'data', Tag.contextPrimitive(0)).toString('hex')).toBe('0102');
});

test.each<[string, number[], RegExp]>([
  ['bytes after the element', [0x02, 0x01, 0x05, 0x00], /1 unexpected bytes after the element at byte 3/],
  ['a length beyond the data', [0x04, 0x05, 0x01], /element at byte 0 claims 5 bytes, 1 remain/],
  ['a missing end-of-contents', [0x30, 0x80, 0x02, 0x01, 0x05], /missing end-of-contents for the element at byte 0/],
  ['an indefinite length on a primitive', [0x04, 0x80, 0x00, 0x00], /indefinite length on a primitive element/],
  ['a child running past its parent', [0x30, 0x02, 0x04, 0x05, 0x01, 0x02, 0x03], /element at byte 2 claims 5 bytes/],
])('%s is refused', (_, bytes, message) => {
  expect(() => readAsn1(Buffer.from(bytes))).toThrow(message);
});

test('nesting deeper than any PKCS#12 file is refused rather than exhausting the stack', () => {
  const deep = Buffer.concat([Buffer.alloc(200, 0x30).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80)), Buffer.alloc(200, 0x00)]);
  expect(() => readAsn1(deep)).toThrow(/nested deeper than 64/);
});

test('the wrong type where a field is expected names the field', () => {
  expect(() => smallIntegerOf(readAsn1(Buffer.from([0x04, 0x01, 0x05])), 'iteration count')).toThrow('iteration count at byte 0 is OCTET STRING, expected INTEGER');
});
