import { createHash, X509Certificate } from 'node:crypto';

/**
 * `AWS_ClientCertificateID`: the SHA-256 fingerprint of the certificate's DER encoding, as
 * 64 lowercase hex digits. The construct computes it at synthesis from the certificate it is
 * given; the runtime refuses to present any other certificate.
 */
export function certificateId(certificate: string | Buffer | X509Certificate): string {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  return createHash('sha256').update(cert.raw).digest('hex');
}

/**
 * Normalizes a fingerprint written as lowercase or uppercase hex, with or without `:`
 * separators (OpenSSL and `X509Certificate.fingerprint256` print `AB:CD:...`), or returns
 * undefined when the value is not a SHA-256 fingerprint.
 */
export function normalizeCertificateId(value: string): string | undefined {
  const hex = value.trim().replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}
