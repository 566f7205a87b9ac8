import { X509Certificate } from 'node:crypto';
import { certificateId, quote } from '../contract';
import { formatPem, parsePemBlocks } from './pem';
import type { TrustAnchorCertificate } from './trust-anchor-certificate';

/** A bundle that passed the checks: its certificates and the PEM that goes into the template. */
export interface CaBundle {
  readonly certificates: TrustAnchorCertificate[];
  readonly pem: string;
}

/** Roles Anywhere accepts at most two CA certificates in one trust anchor. */
const MAX_BUNDLE_CERTIFICATES = 2;
/** `X509CertificateData` is limited to 8000 characters. */
const MAX_BUNDLE_LENGTH = 8000;

/**
 * Reads a trust anchor's CA bundle: PEM certificates only, one or two of them, each a CA
 * certificate valid at `now`. Errors name the certificate and what is wrong with it; the returned
 * PEM holds only the certificate blocks, so text around them does not count against the limit.
 */
export function parseCaBundle(text: string, now: Date): CaBundle {
  const blocks = parsePemBlocks('certificate bundle', text);
  if (blocks.length === 0) {
    throw new Error('invalid certificate bundle: no PEM block found, expected one or two CA certificates in PEM (-----BEGIN CERTIFICATE-----)');
  }
  blocks.forEach((block, i) => {
    if (block.label !== 'CERTIFICATE') {
      throw new Error(`invalid certificate bundle: block ${i + 1} is a '${block.label}', expected only CERTIFICATE blocks`);
    }
  });

  const parsed = blocks.map((block, i) => {
    try {
      return new X509Certificate(block.der);
    } catch (e) {
      throw new Error(`invalid certificate bundle: certificate ${i + 1} cannot be parsed as X.509 (${(e as Error).message})`);
    }
  });
  const subjects = parsed.map((cert) => distinguishedName(cert.subject));

  if (parsed.length > MAX_BUNDLE_CERTIFICATES) {
    throw new Error(
      `invalid certificate bundle: ${parsed.length} certificates (${listSome(subjects)}), Roles Anywhere takes at most ${MAX_BUNDLE_CERTIFICATES}`,
    );
  }

  const certificates = parsed.map((cert, i) => describe(cert, subjects[i]));
  certificates.forEach((cert, i) => {
    if (!parsed[i].ca) {
      throw new Error(`certificate ${quote(cert.subject)} is not a CA certificate: expected basic constraints CA:TRUE in a trust anchor bundle`);
    }
    if (Date.parse(cert.notAfter) < now.getTime()) {
      throw new Error(`certificate ${quote(cert.subject)} expired on ${cert.notAfter}: expected a CA certificate valid now`);
    }
    if (Date.parse(cert.notBefore) > now.getTime()) {
      throw new Error(`certificate ${quote(cert.subject)} is not valid before ${cert.notBefore}: expected a CA certificate valid now`);
    }
    if (certificates.findIndex((other) => other.fingerprint === cert.fingerprint) !== i) {
      throw new Error(`certificate ${quote(cert.subject)} appears twice in the certificate bundle: expected distinct CA certificates`);
    }
  });

  const pem = parsed.map((cert) => formatPem('CERTIFICATE', cert.raw)).join('');
  if (pem.length > MAX_BUNDLE_LENGTH) {
    throw new Error(`invalid certificate bundle: ${pem.length} characters of PEM, Roles Anywhere takes at most ${MAX_BUNDLE_LENGTH}`);
  }
  return { certificates, pem };
}

function describe(cert: X509Certificate, subject: string): TrustAnchorCertificate {
  return {
    subject,
    issuer: distinguishedName(cert.issuer),
    notBefore: isoDate(cert.validFrom),
    notAfter: isoDate(cert.validTo),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprint: certificateId(cert),
  };
}

// Node separates the RDNs with newlines; one line reads better in messages and outputs.
function distinguishedName(value: string): string {
  return value.split('\n').filter((rdn) => rdn.length > 0).join(', ');
}

// Node prints validity as OpenSSL does (`Jan  1 00:00:00 2030 GMT`), which Date.parse reads.
function isoDate(value: string): string {
  return new Date(value).toISOString();
}

/** At most {@link LISTED} quoted values, then `and N more`: a message stays short whatever the input. */
export function listSome(values: string[]): string {
  const shown = values.slice(0, LISTED).map((v) => quote(v)).join(', ');
  return values.length > LISTED ? `${shown} and ${values.length - LISTED} more` : shown;
}

const LISTED = 3;
