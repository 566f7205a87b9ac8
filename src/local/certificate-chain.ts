/**
 * Certificate path validation as IAM Roles Anywhere documents it: the end-entity certificate
 * must chain, through the intermediates the client sent, to a CA certificate of the trust
 * anchor; every certificate is X.509 v3, signed with SHA-256 or stronger and valid now; CAs
 * carry CA:true and keyCertSign and honour their path length; the end entity is not a CA and
 * may sign (digitalSignature).
 */
import { X509Certificate } from 'node:crypto';
import { CertificateFields, readCertificateFields } from './certificate-fields';
import { KeyUsageBit, STRONG_SIGNATURE_ALGORITHMS } from './x509-oids';
import { describeCertificate } from '../runtime/credentials/certificates';

export interface ChainInput {
  readonly leaf: X509Certificate;
  /** As sent by the client, in any order. */
  readonly intermediates: readonly X509Certificate[];
  /** The trust anchor's CA certificates. */
  readonly anchors: readonly X509Certificate[];
  /** When the chain must be valid. */
  readonly at: Date;
}

/** Why a chain was refused; the message names the certificate and what was expected. */
export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainError';
  }
}

/** Returns the path from the leaf to the anchor's CA, leaf first, or throws a {@link ChainError}. */
export function verifyCertificateChain(input: ChainInput): X509Certificate[] {
  const { leaf, at } = input;
  const leafFields = checkCommon(leaf, at);
  if (leafFields.basicConstraints?.ca || leaf.ca) {
    throw new ChainError(`certificate ${certificateLabel(leaf)} is a CA certificate: expected an end-entity certificate (basicConstraints CA:false)`);
  }
  if (!leafFields.keyUsage?.includes(KeyUsageBit.DIGITAL_SIGNATURE)) {
    throw new ChainError(`certificate ${certificateLabel(leaf)} may not sign: expected keyUsage with digitalSignature`);
  }

  const path: X509Certificate[] = [leaf];
  const unused = [...input.intermediates];
  for (let current = leaf; ;) {
    const anchor = input.anchors.find((ca) => issuedBy(current, ca));
    if (anchor) {
      checkAuthority(anchor, at, path.length - 1);
      return [...path, anchor];
    }
    const index = unused.findIndex((ca) => issuedBy(current, ca));
    if (index < 0) {
      throw new ChainError(`untrusted signing certificate ${certificateLabel(leaf)}: no chain from ${certificateLabel(current)} to a CA certificate of the trust anchor`);
    }
    const [intermediate] = unused.splice(index, 1);
    checkAuthority(intermediate, at, path.length - 1);
    path.push(intermediate);
    current = intermediate;
  }
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

/** `below` counts the intermediate CAs that follow this CA in the path. */
function checkAuthority(ca: X509Certificate, at: Date, below: number): void {
  const fields = checkCommon(ca, at);
  if (!fields.basicConstraints?.ca) {
    throw new ChainError(`certificate ${certificateLabel(ca)} signed another certificate but is not a CA: expected basicConstraints CA:true`);
  }
  if (fields.keyUsage && !fields.keyUsage.includes(KeyUsageBit.KEY_CERT_SIGN)) {
    throw new ChainError(`CA certificate ${certificateLabel(ca)} may not sign certificates: expected keyUsage with keyCertSign`);
  }
  const limit = fields.basicConstraints.pathLength;
  if (limit !== undefined && below > limit) {
    throw new ChainError(`CA certificate ${certificateLabel(ca)} allows ${limit} intermediate CA(s) below it, the chain has ${below}`);
  }
}

/** Checks what every certificate of the path must meet; returns its fields for the caller's checks. */
function checkCommon(certificate: X509Certificate, at: Date): CertificateFields {
  const fields = readCertificateFields(certificate);
  if (fields.version !== 3) {
    throw new ChainError(`certificate ${certificateLabel(certificate)} is X.509 version ${fields.version}: expected version 3`);
  }
  if (!STRONG_SIGNATURE_ALGORITHMS.has(fields.signatureAlgorithm)) {
    throw new ChainError(`certificate ${certificateLabel(certificate)} is signed with algorithm ${fields.signatureAlgorithm}: expected SHA-256 or stronger with RSA or ECDSA`);
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (at < notBefore) {
    throw new ChainError(`certificate ${certificateLabel(certificate)} is not valid before ${notBefore.toISOString()} (now ${at.toISOString()})`);
  }
  if (at > notAfter) {
    throw new ChainError(`certificate ${certificateLabel(certificate)} expired at ${notAfter.toISOString()} (now ${at.toISOString()})`);
  }
  return fields;
}

/** `'CN=app' (serial 0A1B...)`: enough to find the certificate in a bundle. */
export function certificateLabel(certificate: X509Certificate): string {
  return `'${describeCertificate(certificate)}' (serial ${certificate.serialNumber})`;
}
