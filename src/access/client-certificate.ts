import { X509Certificate } from 'node:crypto';
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { quote } from '../contract';
import { listSome } from '../rolesanywhere/certificate-bundle';
import { parsePemBlocks } from '../rolesanywhere/pem';

/** A pinned certificate that expires within this many days makes synthesis warn. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** Id of the warning synthesis gives for a pinned client certificate close to its expiry. */
export const CLIENT_CERTIFICATE_EXPIRY_WARNING_ID = 'cdk-eventbridge-connector:clientCertificateExpiry';

/**
 * Checks the client certificate a connector pins (`AWS_ClientCertificateID`) as the runtime and
 * Roles Anywhere would: an end-entity certificate (the runtime refuses a CA certificate), valid
 * at `now`, and, when the trust anchor's CA bundle is known, issued and signed by one of its
 * CAs. Warns through `Annotations` when it expires within 30 days.
 */
export function checkClientCertificate(scope: IConstruct, pem: string, caBundle: string | undefined, now: Date = new Date()): void {
  const cert = new X509Certificate(pem);
  const subject = quote(cert.subject.replace(/\n/g, ', '));
  if (cert.ca) {
    throw new Error(`invalid clientCertificate ${subject}: it is a CA certificate (basicConstraints CA:TRUE), expected the application's end-entity certificate`);
  }
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore || now > notAfter) {
    throw new Error(`invalid clientCertificate ${subject}: valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}, expected a certificate valid now (${now.toISOString()})`);
  }
  if (caBundle !== undefined) {
    const cas = parsePemBlocks('certificate bundle', caBundle).filter((b) => b.label === 'CERTIFICATE').map((b) => new X509Certificate(b.der));
    if (!cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
      const names = listSome(cas.map((ca) => ca.subject.replace(/\n/g, ', ')));
      throw new Error(`invalid clientCertificate ${subject}: issued by ${quote(cert.issuer.replace(/\n/g, ', '))}, expected a certificate issued and signed by a CA of the trust anchor's bundle (${names})`);
    }
  }
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < EXPIRY_WARNING_DAYS) {
    Annotations.of(scope).addWarningV2(CLIENT_CERTIFICATE_EXPIRY_WARNING_ID,
      `the pinned clientCertificate ${subject} expires on ${notAfter.toISOString()} (in ${daysLeft} days): renew it and deploy its fingerprint before then, or the runtime refuses the new certificate`);
  }
}
