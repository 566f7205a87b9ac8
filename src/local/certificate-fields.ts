/**
 * Reads the certificate fields a chain check needs and node's `X509Certificate` does not expose:
 * the version, the signature algorithm, basicConstraints' path length and the keyUsage bits,
 * with PeculiarVentures' X.509 ASN.1 schemas.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { Oid } from './x509-oids';

export interface CertificateFields {
  /** 1, 2 or 3 (the DER value plus one). */
  readonly version: number;
  /** OID of the algorithm the issuer signed with. */
  readonly signatureAlgorithm: string;
  /** Absent when the certificate has no basicConstraints extension. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  /** Numbers of the keyUsage bits set; absent when the certificate has no keyUsage extension. */
  readonly keyUsage?: readonly number[];
}

export function readCertificateFields(certificate: X509Certificate): CertificateFields {
  const parsed = AsnConvert.parse(certificate.raw, asn.Certificate);
  const tbs = parsed.tbsCertificate;
  let basicConstraints: CertificateFields['basicConstraints'];
  let keyUsage: number[] | undefined;
  for (const extension of tbs.extensions ?? []) {
    if (extension.extnID === Oid.BASIC_CONSTRAINTS) {
      const value = AsnConvert.parse(extension.extnValue, asn.BasicConstraints);
      basicConstraints = { ca: value.cA, pathLength: value.pathLenConstraint };
    } else if (extension.extnID === Oid.KEY_USAGE) {
      const flags = AsnConvert.parse(extension.extnValue, asn.KeyUsage).toNumber();
      keyUsage = [...Array(9).keys()].filter((bit) => flags & (1 << bit)); // eslint-disable-line no-bitwise
    }
  }
  return { version: tbs.version + 1, signatureAlgorithm: parsed.signatureAlgorithm.algorithm, basicConstraints, keyUsage };
}
