import * as der from '../../src/local/der';

const hex = (b: Buffer) => b.toString('hex');

describe('DER encoding', () => {
  test('integers are minimal two\'s complement, with a leading zero when the high bit is set', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(256))).toBe('02020100');
    expect(hex(der.integer(2n ** 64n))).toBe('0209010000000000000000');
    expect(() => der.integer(-1)).toThrow('negative integer -1: only non-negative integers are encoded');
  });

  test('object identifiers pack the first two arcs and write the rest in base 128', () => {
    expect(hex(der.oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b'); // sha256WithRSAEncryption
    expect(hex(der.oid('2.5.29.19'))).toBe('0603551d13'); // basicConstraints
    expect(() => der.oid('1.x')).toThrow("invalid object identifier '1.x'");
  });

  test('lengths of 128 bytes and more use the long form', () => {
    expect(hex(der.octetString(Buffer.alloc(127)).subarray(0, 2))).toBe('047f');
    expect(hex(der.octetString(Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(der.octetString(Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  test('named bit strings drop trailing zero bits', () => {
    expect(hex(der.namedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(der.namedBits([5, 6]))).toBe('03020106'); // keyCertSign, cRLSign
    expect(hex(der.namedBits([8]))).toBe('0303070080'); // decipherOnly
  });

  test('times before 2050 are UTCTime, later ones GeneralizedTime', () => {
    expect(der.time(new Date('2049-12-31T23:59:59.999Z')).toString('latin1').slice(2)).toBe('491231235959Z');
    expect(der.time(new Date('2050-01-01T00:00:00Z')).toString('latin1').slice(2)).toBe('20500101000000Z');
    expect(der.time(new Date('2049-01-01T00:00:00Z'))[0]).toBe(der.DerTag.UTC_TIME);
    expect(der.time(new Date('2050-01-01T00:00:00Z'))[0]).toBe(der.DerTag.GENERALIZED_TIME);
  });

  test('SET OF members are sorted by their encoding', () => {
    expect(hex(der.set(der.integer(2), der.integer(1)))).toBe('3106020101020102');
  });
});

describe('DER reading (the runtime\'s reader)', () => {
  test('what the writer writes reads back', () => {
    const encoded = der.sequence(der.oid('2.5.29.15'), der.boolean(true), der.integer(300), der.namedBits([5, 6]));
    const [id, flag, number, bits] = der.readAsn1(encoded).children;
    expect(der.oidOf(id, 'id')).toBe('2.5.29.15');
    expect(flag.contents[0]).toBe(0xff);
    expect(der.integerOf(number, 'number')).toBe(300n);
    expect(der.namedBitsOf(bits, 'bits')).toEqual([5, 6]);
  });

  test('object identifiers with a first arc of 2 and large arcs read back', () => {
    expect(der.oidOf(der.readAsn1(der.oid('2.999.3')), 'oid')).toBe('2.999.3');
    expect(der.oidOf(der.readAsn1(der.oid('1.3.6.1.4.1.311.21.20')), 'oid')).toBe('1.3.6.1.4.1.311.21.20');
  });

  test('integers of any size read back unsigned', () => {
    expect(der.integerOf(der.readAsn1(der.integer(2n ** 64n)), 'serial')).toBe(2n ** 64n);
    expect(der.integerOf(der.readAsn1(der.integer(0)), 'n')).toBe(0n);
  });

  test('truncated input is refused with the offset', () => {
    expect(() => der.readAsn1(Buffer.from('3005020101', 'hex'))).toThrow('element at byte 0 claims 5 bytes, 3 remain');
    expect(() => der.readAsn1(Buffer.from('30', 'hex'))).toThrow('truncated element at byte 0');
  });

  test('the wrong type where an INTEGER or a BIT STRING is expected names the field', () => {
    expect(() => der.integerOf(der.readAsn1(der.octetString(Buffer.from([1]))), 'pathLenConstraint')).toThrow('pathLenConstraint at byte 0 is OCTET STRING, expected INTEGER');
    expect(() => der.namedBitsOf(der.readAsn1(der.integer(1)), 'keyUsage')).toThrow('keyUsage at byte 0 is INTEGER, expected tag 0x03');
  });
});
