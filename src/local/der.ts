/* eslint-disable no-bitwise -- tags, lengths, base-128 arcs and named bits are bit fields */
/**
 * The few DER (ASN.1 Distinguished Encoding Rules) pieces that X.509 certificates need, written
 * with `Buffer` only: node:crypto signs and verifies certificates but cannot build them, and a
 * test PKI should not pull in a dependency for that. Reading is the runtime's ASN.1 reader.
 */

import { Asn1, expectTag } from '../runtime/credentials/der';

const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;
export { Tag as DerTag };

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One element: tag, length, content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...children: Buffer[]): Buffer {
  return tlv(Tag.SEQUENCE, Buffer.concat(children));
}

/** A SET OF; DER wants its members sorted by their encodings. */
export function set(...children: Buffer[]): Buffer {
  return tlv(Tag.SET, Buffer.concat([...children].sort(Buffer.compare)));
}

export function boolean(value: boolean): Buffer {
  return tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

/** A non-negative INTEGER in its shortest two's-complement form. */
export function integer(value: bigint | number): Buffer {
  let n = BigInt(value);
  if (n < 0n) throw new Error(`negative integer ${n}: only non-negative integers are encoded`);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  // A set high bit would read as negative.
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(Tag.INTEGER, Buffer.from(bytes));
}

export function nullValue(): Buffer {
  return tlv(Tag.NULL, Buffer.alloc(0));
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Error(`invalid object identifier '${dotted}': expected dotted decimal arcs`);
    return BigInt(a);
  });
  if (arcs.length < 2) throw new Error(`invalid object identifier '${dotted}': expected at least two arcs`);
  const bytes: number[] = [];
  for (const arc of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const base128: number[] = [];
    let n = arc;
    do {
      base128.unshift(Number(n & 0x7fn) | (base128.length ? 0x80 : 0));
      n >>= 7n;
    } while (n > 0n);
    bytes.push(...base128);
  }
  return tlv(Tag.OID, Buffer.from(bytes));
}

export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * A named-bit BIT STRING (such as keyUsage) from the numbers of the bits that are set; DER drops
 * trailing zero bits.
 */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)] |= 0x80 >> bit % 8;
  return bitString(bytes, 7 - (highest % 8));
}

export function octetString(bytes: Buffer): Buffer {
  return tlv(Tag.OCTET_STRING, bytes);
}

export function utf8String(value: string): Buffer {
  return tlv(Tag.UTF8_STRING, Buffer.from(value, 'utf8'));
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, always `Z`. */
export function time(date: Date): Buffer {
  if (Number.isNaN(date.getTime())) throw new Error('invalid date: expected a valid Date');
  const iso = date.toISOString(); // 2025-01-31T12:34:56.789Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, ''); // 20250131123456
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(Tag.UTC_TIME, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(`${digits}Z`, 'ascii'));
}

/** `[n] EXPLICIT`: the child wrapped in a constructed context-specific tag. */
export function explicit(tagNumber: number, child: Buffer): Buffer {
  return tlv(0xa0 | tagNumber, child);
}

/** `[n] IMPLICIT` over a primitive type: the content under a context-specific tag. */
export function implicit(tagNumber: number, content: Buffer): Buffer {
  return tlv(0x80 | tagNumber, content);
}

// Reading: the runtime's ASN.1 reader, plus the two readings certificates need and PKCS#12 does
// not: an INTEGER of any size and the bits of a named-bit BIT STRING.

export type { Asn1 };
export { childrenOf, expectTag, oidOf, readAsn1 } from '../runtime/credentials/der';

/** An INTEGER's contents as an unsigned number of any size. */
export function integerOf(element: Asn1 | undefined, what: string): bigint {
  const contents = expectTag(element, Tag.INTEGER, what).contents;
  return contents.length === 0 ? 0n : BigInt(`0x${contents.toString('hex')}`);
}

/** The numbers of the bits set in a named-bit BIT STRING. */
export function namedBitsOf(element: Asn1 | undefined, what: string): number[] {
  const bits: number[] = [];
  expectTag(element, Tag.BIT_STRING, what).contents.subarray(1).forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) bits.push(i * 8 + b);
  });
  return bits;
}
