/**
 * What can be known about a client certificate and its key without asking the service. Each
 * check throws a {@link CertificateError} that says what is wrong, so a misconfigured process
 * fails at startup with a reason instead of with the service's `AccessDeniedException`.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { describeCertificate } from './certificates';
import { CertificateError } from './errors';
import { certificateId } from '../../contract';

/** The key sizes and curves IAM Roles Anywhere signs with. */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;
const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384' };

/** `2024-01-01T00:00:00Z`: the dates in messages, to the second. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The certificate's validity period as dates (node 20's X509Certificate gives strings only). */
export function validity(certificate: X509Certificate): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
}

/**
 * How far the service lets a certificate's validity and the client's clock disagree: Roles
 * Anywhere, like SigV4, allows 5 minutes. Local checks allow the same, never less.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * Refuses a certificate the service would refuse as expired or not yet valid, allowing the
 * service's 5-minute clock tolerance; `onClockTolerance` hears when the tolerance was needed.
 */
export function checkValidity(certificate: X509Certificate, now: Date, onClockTolerance?: (message: string) => void): void {
  const { notBefore, notAfter } = validity(certificate);
  const name = describeCertificate(certificate);
  const at = now.getTime();
  if (at > notAfter.getTime() + CLOCK_TOLERANCE_MS) {
    throw new CertificateError('CertificateExpired', `certificate '${name}' expired on ${isoSeconds(notAfter)}: expected a certificate valid now (${isoSeconds(now)}, allowing the service's 5-minute clock tolerance)`);
  }
  if (at < notBefore.getTime() - CLOCK_TOLERANCE_MS) {
    throw new CertificateError('CertificateNotYetValid', `certificate '${name}' is not valid before ${isoSeconds(notBefore)}: expected a certificate valid now (${isoSeconds(now)}, allowing the service's 5-minute clock tolerance; is this clock behind?)`);
  }
  if (at > notAfter.getTime() || at < notBefore.getTime()) {
    onClockTolerance?.(`certificate '${name}' is valid from ${isoSeconds(notBefore)} to ${isoSeconds(notAfter)}, not at this clock's ${isoSeconds(now)}; accepted within the service's 5-minute clock tolerance`);
  }
}

export function checkKeySupported(privateKey: KeyObject): void {
  const type = privateKey.asymmetricKeyType;
  const details = privateKey.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
      throw new CertificateError('UnsupportedKey', `RSA key of ${bits} bits is not supported: expected ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits`);
    }
    return;
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    if (!CURVES[curve]) {
      throw new CertificateError('UnsupportedKey', `EC key on curve ${curve} is not supported: expected P-256 (prime256v1) or P-384 (secp384r1)`);
    }
    return;
  }
  throw new CertificateError('UnsupportedKey', `${type ?? 'unknown'} key is not supported: expected an RSA (2048-4096 bits) or EC (P-256, P-384) key`);
}

export function checkKeyMatches(certificate: X509Certificate, privateKey: KeyObject): void {
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new CertificateError('KeyMismatch', `private key does not match certificate '${describeCertificate(certificate)}': expected the key the certificate was issued for`);
  }
}

export function checkNotCa(certificate: X509Certificate): void {
  if (certificate.ca) {
    throw new CertificateError('CertificateIsCa', `certificate '${describeCertificate(certificate)}' is a CA certificate (basicConstraints CA:TRUE): expected an end-entity client certificate`);
  }
}

/** `expected` is `AWS_ClientCertificateID` as `resolveRolesAnywhereOptions` normalized it. */
export function checkCertificateId(certificate: X509Certificate, expected: string): void {
  const actual = certificateId(certificate);
  if (actual !== expected) {
    throw new CertificateError(
      'CertificateIdMismatch',
      `certificate '${describeCertificate(certificate)}' has SHA-256 fingerprint ${actual}: expected ${expected} (AWS_ClientCertificateID)`,
    );
  }
}

export interface LocalCheckInput {
  readonly certificate: X509Certificate;
  /** Absent for keys node:crypto cannot hold (ML-DSA, PKCS#11): their signers check the key. */
  readonly privateKey?: KeyObject;
  readonly now: Date;
  readonly clientCertificateId?: string;
  readonly onClockTolerance?: (message: string) => void;
}

/** Every local check, cheapest and most telling first. */
export function runLocalChecks(input: LocalCheckInput): void {
  if (input.privateKey) {
    checkKeySupported(input.privateKey);
    checkKeyMatches(input.certificate, input.privateKey);
  }
  checkNotCa(input.certificate);
  if (input.clientCertificateId !== undefined) checkCertificateId(input.certificate, input.clientCertificateId);
  checkValidity(input.certificate, input.now, input.onClockTolerance);
}
