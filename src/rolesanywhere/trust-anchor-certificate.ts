/** A CA certificate of a trust anchor's bundle, as read at synthesis. */
export interface TrustAnchorCertificate {
  /** Subject distinguished name, e.g. `O=Example, CN=Example Root CA`. */
  readonly subject: string;

  /** Issuer distinguished name; equal to the subject for a self-signed root. */
  readonly issuer: string;

  /** Start of the validity period, ISO 8601 in UTC. */
  readonly notBefore: string;

  /** End of the validity period (the expiry), ISO 8601 in UTC. */
  readonly notAfter: string;

  /** Serial number in uppercase hex, as OpenSSL prints it. */
  readonly serialNumber: string;

  /** SHA-256 fingerprint of the DER encoding in lowercase hex (the form of `AWS_ClientCertificateID`). */
  readonly fingerprint: string;
}
