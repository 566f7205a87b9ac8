/**
 * Reads the certificate fields a chain check needs and node's `X509Certificate` does not expose:
 * the version, the signature algorithm, basicConstraints' path length and the keyUsage bits.
 */
import { X509Certificate } from 'node:crypto';
import { childrenOf, DerTag, integerOf, namedBitsOf, oidOf, readAsn1 } from './der';
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
  const [tbs, signatureAlgorithm] = childrenOf(readAsn1(certificate.raw), DerTag.SEQUENCE, 'certificate');
  const fields = childrenOf(tbs, DerTag.SEQUENCE, 'tbsCertificate');
  const versioned = fields[0].tag === 0xa0;
  const version = versioned ? Number(integerOf(fields[0].children[0], 'version')) + 1 : 1;
  const extensionsField = fields.find((f) => f.tag === 0xa3);
  let basicConstraints: CertificateFields['basicConstraints'];
  let keyUsage: number[] | undefined;
  const extensions = extensionsField ? childrenOf(extensionsField.children[0], DerTag.SEQUENCE, 'extensions') : [];
  for (const ext of extensions) {
    const parts = childrenOf(ext, DerTag.SEQUENCE, 'extension');
    const id = oidOf(parts[0], 'extension id');
    const value = readAsn1(parts[parts.length - 1].contents);
    if (id === Oid.BASIC_CONSTRAINTS) {
      const items = value.children;
      const ca = items[0]?.tag === DerTag.BOOLEAN && items[0].contents[0] !== 0;
      const length = items.find((i) => i.tag === DerTag.INTEGER);
      basicConstraints = { ca, pathLength: length ? Number(integerOf(length, 'pathLenConstraint')) : undefined };
    } else if (id === Oid.KEY_USAGE) {
      keyUsage = namedBitsOf(value, 'keyUsage');
    }
  }
  return {
    version,
    signatureAlgorithm: oidOf(childrenOf(signatureAlgorithm, DerTag.SEQUENCE, 'signatureAlgorithm')[0], 'signatureAlgorithm'),
    basicConstraints,
    keyUsage,
  };
}
