/* eslint-disable no-bitwise -- identifier and length octets are bit fields */
/**
 * A small ASN.1 reader for what node:crypto does not parse itself (PKCS#12). It reads DER and
 * the BER that some PKCS#12 writers still emit (indefinite lengths, constructed OCTET STRINGs);
 * it never encodes. Errors are plain `Error`s with the byte offset: callers add what was read.
 */

export const Tag = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[n]` with constructed contents, as EXPLICIT tagging writes it. */
  context: (n: number): number => 0xa0 | n,
  /** `[n]` with primitive contents, as IMPLICIT tagging of a primitive type writes it. */
  contextPrimitive: (n: number): number => 0x80 | n,
} as const;

export interface Asn1 {
  /** The identifier octet (class, constructed bit and tag number; numbers above 30 are refused). */
  readonly tag: number;
  readonly constructed: boolean;
  /** The contents octets (for an indefinite length, everything before the end-of-contents marker). */
  readonly contents: Buffer;
  /** The whole element, identifier and length included. */
  readonly raw: Buffer;
  /** The elements inside a constructed element, empty for a primitive one. */
  readonly children: readonly Asn1[];
  /** Offset of the element in the buffer it was read from. */
  readonly offset: number;
}

/** Reads exactly one element; bytes left after it are an error. */
export function readAsn1(data: Buffer): Asn1 {
  const [element, end] = readElement(data, 0, 0);
  if (end !== data.length) throw new Error(`${data.length - end} unexpected bytes after the element at byte ${end}`);
  return element;
}

/** Nesting this deep is no PKCS#12 file, only a way to exhaust the stack. */
const MAX_DEPTH = 64;

function readElement(data: Buffer, offset: number, depth: number): [Asn1, number] {
  if (depth > MAX_DEPTH) throw new Error(`elements nested deeper than ${MAX_DEPTH} at byte ${offset}`);
  if (offset + 2 > data.length) throw new Error(`truncated element at byte ${offset}`);
  const tag = data[offset];
  if ((tag & 0x1f) === 0x1f) throw new Error(`unsupported high tag number at byte ${offset}`);
  const constructed = (tag & 0x20) !== 0;
  let pos = offset + 1;
  const first = data[pos++];

  if (first === 0x80) {
    // Indefinite length (BER): children until the end-of-contents marker 00 00.
    if (!constructed) throw new Error(`indefinite length on a primitive element at byte ${offset}`);
    const children: Asn1[] = [];
    const start = pos;
    for (;;) {
      if (pos + 2 > data.length) throw new Error(`missing end-of-contents for the element at byte ${offset}`);
      if (data[pos] === 0 && data[pos + 1] === 0) break;
      const [child, next] = readElement(data, pos, depth + 1);
      children.push(child);
      pos = next;
    }
    const end = pos + 2;
    return [{ tag, constructed, contents: data.subarray(start, pos), raw: data.subarray(offset, end), children, offset }, end];
  }

  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4 || pos + count > data.length) throw new Error(`unsupported or truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + data[pos++];
  }
  const end = pos + length;
  if (end > data.length) throw new Error(`element at byte ${offset} claims ${length} bytes, ${data.length - pos} remain`);
  const contents = data.subarray(pos, end);
  const children: Asn1[] = [];
  if (constructed) {
    let childPos = pos;
    while (childPos < end) {
      const [child, next] = readElement(data.subarray(0, end), childPos, depth + 1);
      children.push(child);
      childPos = next;
    }
  }
  return [{ tag, constructed, contents, raw: data.subarray(offset, end), children, offset }, end];
}

function tagName(tag: number): string {
  const names: Record<number, string> = { 0x02: 'INTEGER', 0x04: 'OCTET STRING', 0x05: 'NULL', 0x06: 'OBJECT IDENTIFIER', 0x30: 'SEQUENCE', 0x31: 'SET' };
  return names[tag] ?? `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

/** Checks the element's tag; `what` names the field for the message. */
export function expectTag(element: Asn1 | undefined, tag: number, what: string): Asn1 {
  if (!element) throw new Error(`missing ${what}`);
  if (element.tag !== tag) throw new Error(`${what} at byte ${element.offset} is ${tagName(element.tag)}, expected ${tagName(tag)}`);
  return element;
}

/** The children of a SEQUENCE (or SET, or explicit tag), checked for the expected tag. */
export function childrenOf(element: Asn1 | undefined, tag: number, what: string): readonly Asn1[] {
  return expectTag(element, tag, what).children;
}

/** An OBJECT IDENTIFIER in dotted form. */
export function oidOf(element: Asn1 | undefined, what: string): string {
  const bytes = expectTag(element, Tag.OID, what).contents;
  if (bytes.length === 0) throw new Error(`empty ${what}`);
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift()!;
  const top = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

/** A non-negative INTEGER small enough for a number (iteration counts, versions, key lengths). */
export function smallIntegerOf(element: Asn1 | undefined, what: string): number {
  const bytes = expectTag(element, Tag.INTEGER, what).contents;
  if (bytes.length === 0 || bytes.length > 6 || bytes[0] & 0x80) throw new Error(`${what} is not a small non-negative integer`);
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

/**
 * The bytes of an OCTET STRING, or of an IMPLICIT-tagged one (`tag`); a constructed string
 * (BER) is the concatenation of its pieces.
 */
export function octetsOf(element: Asn1 | undefined, what: string, tag: number = Tag.OCTET_STRING): Buffer {
  if (!element) throw new Error(`missing ${what}`);
  if (element.tag === tag && !element.constructed) return element.contents;
  if (element.tag === (tag | 0x20)) return Buffer.concat(element.children.map((c) => octetsOf(c, what)));
  return expectTag(element, tag, what).contents;
}

/** An AlgorithmIdentifier: its OID and its parameters (absent or NULL both give undefined). */
export function algorithmOf(element: Asn1 | undefined, what: string): { oid: string; parameters?: Asn1 } {
  const [id, parameters] = childrenOf(element, Tag.SEQUENCE, what);
  const oid = oidOf(id, `${what} algorithm`);
  return { oid, parameters: parameters && parameters.tag !== Tag.NULL ? parameters : undefined };
}
