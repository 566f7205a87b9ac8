/**
 * A PKCS#12 (.p12/.pfx) reader: node:crypto has none. It reads what OpenSSL 3 writes by
 * default (PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, MAC HMAC-SHA256) and with `-legacy`
 * (pbeWithSHAAnd3-KeyTripleDES-CBC for keys; RC2-40 for certificates only where node:crypto
 * has RC2), verifies the MAC first so a wrong password is reported as such, and returns the
 * key, the certificate whose public key matches it, and the other certificates.
 */
import { createHmac, createPrivateKey, KeyObject, timingSafeEqual, X509Certificate } from 'node:crypto';
import { orderChain } from './certificates';
import { algorithmOf, Asn1, childrenOf, expectTag, octetsOf, oidOf, readAsn1, smallIntegerOf, Tag } from './der';
import { CertificateError } from './errors';
import { bmpPassword, decryptWithPassword, DIGESTS, iterationsOf, pkcs12Kdf, Pkcs12Password } from './password-based-encryption';
import { ConnectorError } from '../errors';

export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  /** The certificate whose public key matches the private key. */
  readonly certificate: X509Certificate;
  /** Every other certificate in the bundle, the leaf's issuer first. */
  readonly intermediates: readonly X509Certificate[];
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbmac1: '1.2.840.113549.1.5.14',
};

/** Reads a PKCS#12 bundle; an absent password is tried as both "" and no password, as OpenSSL does. */
export function readPkcs12(data: Buffer, password: string = '', passwordName = 'pkcs12Password'): Pkcs12Contents {
  try {
    return read(data, password, passwordName);
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    throw new CertificateError('InvalidPkcs12', `pkcs12 bundle is malformed (${(e as Error).message}): expected a PKCS#12 (.p12/.pfx) file in DER`, { cause: e });
  }
}

function read(data: Buffer, password: string, passwordName: string): Pkcs12Contents {
  const [version, authSafe, macData] = childrenOf(readAsn1(data), Tag.SEQUENCE, 'PFX');
  if (smallIntegerOf(version, 'PFX version') !== 3) throw new Error('PFX version is not 3');
  const [contentType, content] = childrenOf(authSafe, Tag.SEQUENCE, 'authSafe');
  const type = oidOf(contentType, 'authSafe content type');
  if (type !== OID.data) {
    throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle is protected with a public key (content type ${type}): expected password integrity; re-export it with \`openssl pkcs12 -export\``);
  }
  const authSafeBytes = octetsOf(expectTag(content, Tag.context(0), 'authSafe content').children[0], 'authSafe data');

  const passwords = candidatePasswords(password);
  const opened = macData ? passwords.find((p) => macMatches(macData, authSafeBytes, p)) : passwords[0];
  if (!opened) {
    throw new CertificateError('IncorrectPassword', `pkcs12 bundle MAC does not verify: expected the password the bundle was exported with (${passwordName}) and an unmodified file`);
  }

  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const info of childrenOf(readAsn1(authSafeBytes), Tag.SEQUENCE, 'AuthenticatedSafe')) {
    readSafeContents(contentInfoBytes(info, opened), opened, keys, certificates, 0);
  }
  return pickKeyAndLeaf(keys, certificates);
}

function candidatePasswords(password: string): Pkcs12Password[] {
  const utf8 = Buffer.from(password, 'utf8');
  const given = { utf8, bmp: bmpPassword(password) };
  return password === '' ? [given, { utf8, bmp: bmpPassword('', true) }] : [given];
}

/** MacData: DigestInfo (algorithm, digest), salt, iterations; the key comes from the PKCS#12 KDF. */
function macMatches(macData: Asn1, authSafe: Buffer, password: Pkcs12Password): boolean {
  const [digestInfo, salt, iterations] = childrenOf(macData, Tag.SEQUENCE, 'MacData');
  const [algorithm, digest] = childrenOf(digestInfo, Tag.SEQUENCE, 'MAC DigestInfo');
  const { oid } = algorithmOf(algorithm, 'MAC');
  if (oid === OID.pbmac1) {
    throw new CertificateError('UnsupportedAlgorithm', 'pkcs12 bundle uses a PBMAC1 MAC, which is not supported: expected an HMAC MAC; re-export it with `openssl pkcs12 -export -macalg sha256`');
  }
  const hash = DIGESTS[oid];
  if (!hash) {
    throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle MAC uses the digest with OID ${oid}: expected SHA-1 or SHA-2; re-export it with \`openssl pkcs12 -export -macalg sha256\``);
  }
  const expected = octetsOf(digest, 'MAC digest');
  const length = createHmac(hash, '').digest().length;
  const key = pkcs12Kdf(hash, password.bmp, octetsOf(salt, 'MAC salt'), iterationsOf(iterations, 'MAC iteration count'), 3, length);
  const actual = createHmac(hash, key).update(authSafe).digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The SafeContents bytes of one ContentInfo of the AuthenticatedSafe, decrypted if need be. */
function contentInfoBytes(info: Asn1, password: Pkcs12Password): Buffer {
  const [contentType, content] = childrenOf(info, Tag.SEQUENCE, 'ContentInfo');
  const type = oidOf(contentType, 'ContentInfo type');
  const inner = expectTag(content, Tag.context(0), 'ContentInfo content').children[0];
  if (type === OID.data) return octetsOf(inner, 'SafeContents');
  if (type === OID.encryptedData) {
    // EncryptedData: version, EncryptedContentInfo (type, algorithm, [0] IMPLICIT encrypted bytes).
    const [, encryptedContentInfo] = childrenOf(inner, Tag.SEQUENCE, 'EncryptedData');
    const [, algorithm, encrypted] = childrenOf(encryptedContentInfo, Tag.SEQUENCE, 'EncryptedContentInfo');
    return decryptWithPassword(algorithm, octetsOf(encrypted, 'encrypted content', Tag.contextPrimitive(0)), password, 'its certificates');
  }
  if (type === OID.envelopedData) {
    throw new CertificateError('UnsupportedAlgorithm', 'pkcs12 bundle encrypts its contents to a public key (envelopedData): expected password encryption; re-export it with `openssl pkcs12 -export`');
  }
  throw new Error(`unknown ContentInfo type ${type}`);
}

/** Nested SafeContents bags this deep are no real file. */
const MAX_BAG_DEPTH = 8;

function readSafeContents(bytes: Buffer, password: Pkcs12Password, keys: KeyObject[], certificates: X509Certificate[], depth: number): void {
  if (depth > MAX_BAG_DEPTH) throw new Error(`safe contents nested deeper than ${MAX_BAG_DEPTH}`);
  for (const bag of childrenOf(readAsn1(bytes), Tag.SEQUENCE, 'SafeContents')) {
    const [bagId, bagValue] = childrenOf(bag, Tag.SEQUENCE, 'SafeBag');
    const id = oidOf(bagId, 'SafeBag type');
    const value = expectTag(bagValue, Tag.context(0), 'SafeBag value').children[0];
    switch (id) {
      case OID.keyBag:
        keys.push(privateKeyFromPkcs8(expectTag(value, Tag.SEQUENCE, 'PrivateKeyInfo').raw));
        break;
      case OID.shroudedKeyBag: {
        const [algorithm, encrypted] = childrenOf(value, Tag.SEQUENCE, 'EncryptedPrivateKeyInfo');
        keys.push(privateKeyFromPkcs8(decryptWithPassword(algorithm, octetsOf(encrypted, 'encrypted private key'), password, 'its private key')));
        break;
      }
      case OID.certBag: {
        const [certType, certValue] = childrenOf(value, Tag.SEQUENCE, 'CertBag');
        if (oidOf(certType, 'CertBag type') !== OID.x509Certificate) break; // SDSI certificates: not ours to use
        const der = octetsOf(expectTag(certValue, Tag.context(0), 'CertBag value').children[0], 'certificate');
        certificates.push(certificateFromDer(der));
        break;
      }
      case OID.safeContentsBag:
        readSafeContents(value.raw, password, keys, certificates, depth + 1);
        break;
      default:
        // CRL and secret bags carry nothing a client certificate needs.
        break;
    }
  }
}

function privateKeyFromPkcs8(der: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new CertificateError('InvalidPkcs12', `pkcs12 bundle holds a private key node:crypto cannot read (${(cause as Error).message}): expected an RSA or EC key`, { cause });
  }
}

function certificateFromDer(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CertificateError('InvalidPkcs12', `pkcs12 bundle holds a certificate that cannot be parsed (${(cause as Error).message}): expected X.509 certificates`, { cause });
  }
}

function pickKeyAndLeaf(keys: readonly KeyObject[], certificates: readonly X509Certificate[]): Pkcs12Contents {
  if (keys.length === 0) {
    throw new CertificateError('InvalidPkcs12', `pkcs12 bundle holds no private key (${certificates.length} certificates): expected the client certificate's key in the bundle`);
  }
  for (const privateKey of keys) {
    const certificate = certificates.find((c) => c.checkPrivateKey(privateKey));
    if (certificate) {
      return { privateKey, certificate, intermediates: orderChain(certificate, certificates.filter((c) => c !== certificate)) };
    }
  }
  throw new CertificateError(
    'KeyMismatch',
    `pkcs12 bundle holds ${keys.length} private key(s) and ${certificates.length} certificate(s) but no certificate matches a key: expected the client certificate together with its key`,
  );
}
