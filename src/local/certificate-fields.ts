/**
 * Reads the certificate fields a chain check needs and node's `X509Certificate` does not expose:
 * the version, the signature algorithm, basicConstraints' path length and the keyUsage bits.
 */
import { X509Certificate } from 'node:crypto';
import { DerTag, readChildren, readElement, readInteger, readNamedBits, readOid } from './der';
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
  const [tbs, signatureAlgorithm] = readChildren(readElement(certificate.raw).content);
  const fields = readChildren(tbs.content);
  const versioned = fields[0].tag === 0xa0;
  const version = versioned ? Number(readInteger(readElement(fields[0].content))) + 1 : 1;
  const extensionsField = fields.find((f) => f.tag === 0xa3);
  let basicConstraints: CertificateFields['basicConstraints'];
  let keyUsage: number[] | undefined;
  const extensions = extensionsField ? readChildren(readElement(extensionsField.content).content) : [];
  for (const ext of extensions) {
    const parts = readChildren(ext.content);
    const id = readOid(parts[0]);
    const value = readElement(parts[parts.length - 1].content);
    if (id === Oid.BASIC_CONSTRAINTS) {
      const items = readChildren(value.content);
      const ca = items[0]?.tag === DerTag.BOOLEAN && items[0].content[0] !== 0;
      const length = items.find((i) => i.tag === DerTag.INTEGER);
      basicConstraints = { ca, pathLength: length ? Number(readInteger(length)) : undefined };
    } else if (id === Oid.KEY_USAGE) {
      keyUsage = readNamedBits(value);
    }
  }
  return {
    version,
    signatureAlgorithm: readOid(readChildren(signatureAlgorithm.content)[0]),
    basicConstraints,
    keyUsage,
  };
}
