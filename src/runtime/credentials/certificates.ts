/**
 * Certificates as users hold them: one PEM or DER certificate, or a PEM bundle of several (the
 * intermediates). node:crypto's X509Certificate reads only the first certificate of a PEM
 * string, so bundles are split here.
 */
import { X509Certificate } from 'node:crypto';
import { CertificateError } from './errors';

/** Certificate input: PEM text, DER bytes, or PEM text in a Buffer. */
export type CertificateInput = string | Buffer;

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
  /** The block as written, headers included (encrypted keys need them). */
  readonly text: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of a text, in order; an empty list when the text holds none. */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1],
    // Encapsulated headers (Proc-Type, DEK-Info) hold a ':', which base64 never does.
    der: Buffer.from(m[2].split(/\r?\n/).filter((line) => !line.includes(':')).join('').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'),
    text: m[0],
  }));
}

/** PEM text when the input looks like PEM, else undefined (then it is DER or base64 DER). */
export function asPemText(input: CertificateInput): string | undefined {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  if (!text.includes('-----BEGIN ')) return undefined;
  return typeof input === 'string' ? input : input.toString('utf8');
}

/**
 * Every certificate of a PEM bundle, or the one certificate of DER bytes (a string without PEM
 * armour is taken as base64 DER, as `X-Amz-X509` carries it). `what` names the option.
 */
export function parseCertificates(input: CertificateInput, what: string): X509Certificate[] {
  const pem = asPemText(input);
  if (pem !== undefined) {
    // A private key may share the file (one PEM for both options); other blocks do not count.
    const all = pemBlocks(pem);
    const blocks = all.filter((b) => b.label === 'CERTIFICATE');
    if (blocks.length === 0) {
      const labels = all.map((b) => `'${b.label}'`).join(', ') || 'no complete PEM block';
      throw new CertificateError('InvalidCertificate', `${what} holds ${labels}: expected a PEM 'CERTIFICATE' block`);
    }
    return blocks.map((b, i) => certificateFromPemBlock(b, blocks.length > 1 ? `${what} (certificate ${i + 1})` : what));
  }
  const der = typeof input === 'string' ? Buffer.from(input.trim(), 'base64') : input;
  return [certificateFromDer(der, what)];
}

/** A PEM block's certificate; a block whose base64 is damaged is named as such, not as "binary data". */
function certificateFromPemBlock(block: PemBlock, what: string): X509Certificate {
  try {
    return new X509Certificate(block.der);
  } catch (cause) {
    const body = block.text.replace(/^-----BEGIN [^\n]*\n?/, '').replace(/-----END [\s\S]*$/, '').split(/\r?\n/).filter((line) => !line.includes(':')).join('').replace(/\s/g, '');
    const base64 = /^[A-Za-z0-9+/]*={0,2}$/.test(body) && body.length % 4 === 0;
    const why = base64 ? `its base64 decodes to ${block.der.length} bytes that are not a DER certificate` : 'its base64 does not decode (characters outside base64, or a length that is not a multiple of 4)';
    throw new CertificateError('InvalidCertificate', `${what} is a PEM 'CERTIFICATE' block whose content is damaged: ${why} (${(cause as Error).message}): expected a PEM or DER X.509 certificate`, { cause });
  }
}

function certificateFromDer(der: Buffer, what: string): X509Certificate {
  if (der.length === 0) throw new CertificateError('InvalidCertificate', `${what} is empty: expected a PEM or DER X.509 certificate`);
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CertificateError('InvalidCertificate', `${what} cannot be parsed (${looksLike(der)}; ${(cause as Error).message}): expected a PEM or DER X.509 certificate`, { cause });
  }
}

/**
 * What bytes that failed to parse look like, for messages: users pass the wrong file more often
 * than a corrupt one (a key for the certificate, a README, a .p12, random bytes).
 */
export function looksLike(bytes: Buffer): string {
  if (bytes.length === 0) return 'it is empty';
  const head = bytes.subarray(0, 64);
  if (head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))) {
    const start = head.toString('latin1').split(/\r?\n/)[0].slice(0, 32);
    return `it looks like text that is not PEM: ${JSON.stringify(start)}`;
  }
  if (bytes[0] === 0x30) return `it looks like DER (an ASN.1 SEQUENCE of ${bytes.length} bytes)`;
  return `it looks like binary data that is not DER (first bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`;
}

/**
 * Orders certificates as `X-Amz-X509-Chain` wants them: the leaf's issuer first, then its
 * issuer, and so on; certificates outside that path follow in their given order. Duplicates
 * and the leaf itself are dropped.
 */
export function orderChain(leaf: X509Certificate, others: readonly X509Certificate[]): X509Certificate[] {
  const remaining = others.filter((c, i) => !c.raw.equals(leaf.raw) && others.findIndex((o) => o.raw.equals(c.raw)) === i);
  const ordered: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    const index = remaining.findIndex((c) => current.checkIssued(c) && current.verify(c.publicKey));
    if (index < 0) break;
    current = remaining.splice(index, 1)[0];
    ordered.push(current);
  }
  return [...ordered, ...remaining];
}

/** `CN=app, O=Example`: the subject on one line, for messages. */
export function describeCertificate(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}
