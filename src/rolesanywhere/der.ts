// Just enough DER to tell a certificate revocation list from other data before it is deployed:
// Node's crypto reads certificates but not CRLs.

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const CONTEXT_0 = 0xa0;

interface Tlv {
  readonly tag: number;
  /** Offset of the value. */
  readonly start: number;
  /** Offset just past the value. */
  readonly end: number;
}

function readTlv(der: Buffer, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  // Long form: the first octet (high bit set) says how many length octets follow.
  if (length >= 0x80) {
    const octets = length - 0x80;
    // DER forbids the indefinite form (0x80) and lengths this library will never meet.
    if (octets === 0 || octets > 4 || start + octets > limit) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
    start += octets;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : undefined;
}

/**
 * Says what is wrong with DER that should hold an X.509 CRL (RFC 5280 `CertificateList`), or
 * returns undefined when its outline is right: a SEQUENCE spanning the data, holding the
 * to-be-signed list, the signature algorithm and the signature.
 */
export function checkCrlDer(der: Buffer): string | undefined {
  if (der.length === 0) return 'invalid CRL: the data is empty';
  if (der[0] !== SEQUENCE) {
    return `invalid CRL: expected DER beginning with an ASN.1 SEQUENCE (0x30), got 0x${der[0].toString(16).padStart(2, '0')}`;
  }
  const outer = readTlv(der, 0, der.length);
  if (!outer) return `invalid CRL: the ASN.1 SEQUENCE is truncated or its length is malformed (${der.length} bytes of data)`;
  if (outer.end !== der.length) {
    return `invalid CRL: the ASN.1 SEQUENCE ends at byte ${outer.end} but the data has ${der.length} bytes`;
  }

  const tbs = readTlv(der, outer.start, outer.end);
  const algorithm = tbs && readTlv(der, tbs.end, outer.end);
  const signature = algorithm && readTlv(der, algorithm.end, outer.end);
  const outline = tbs?.tag === SEQUENCE && algorithm?.tag === SEQUENCE && signature?.tag === BIT_STRING && signature.end === outer.end;
  if (!tbs || !outline) {
    return 'invalid CRL: expected a CertificateList (to-be-signed list, signature algorithm, signature)';
  }

  // A certificate has the same outline; its to-be-signed part starts with an explicit [0]
  // version, a CRL's with an INTEGER version (v2) or the signature algorithm (v1).
  const first = readTlv(der, tbs.start, tbs.end);
  if (first?.tag === CONTEXT_0) return 'invalid CRL: the data is an X.509 certificate, expected a certificate revocation list';
  if (!first || (first.tag !== INTEGER && first.tag !== SEQUENCE)) {
    return 'invalid CRL: expected a CertificateList (to-be-signed list, signature algorithm, signature)';
  }
  return undefined;
}
