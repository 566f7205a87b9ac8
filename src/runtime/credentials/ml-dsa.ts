/**
 * ML-DSA (FIPS 204) keys and certificates as AWS's helper takes them since its 1.8 release:
 * PKCS#8 with the id-ml-dsa-44/65/87 OIDs holding a seed, an expanded key or both (RFC 9881),
 * plain or PBES2-encrypted (PBKDF2 or scrypt). Node 20's OpenSSL parses neither the keys nor the
 * certificates' public keys, so both are read here and the signing goes to @noble/post-quantum.
 * Signatures are pure ML-DSA over the string to sign, empty context, as the helper signs.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { algorithmOf, Asn1, childrenOf, octetsOf, readAsn1, Tag } from './der';
import { CertificateError } from './errors';
import { loadMlDsa, MlDsaScheme } from './ml-dsa-library';
import { decryptWithPassword } from './password-based-encryption';
import { X509_MLDSA_ALGORITHM, X509Signer } from './signer';

export type MlDsaVariant = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

/** NIST's OIDs for the three parameter sets. */
export const ML_DSA_OIDS: Readonly<Record<string, MlDsaVariant>> = {
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

const SEED_BYTES = 32;
/** FIPS 204 table 2: the expanded signing key's size per parameter set. */
const SECRET_KEY_BYTES: Readonly<Record<MlDsaVariant, number>> = { 'ML-DSA-44': 2560, 'ML-DSA-65': 4032, 'ML-DSA-87': 4896 };

export function schemeOf(variant: MlDsaVariant): MlDsaScheme {
  const library = loadMlDsa();
  return variant === 'ML-DSA-44' ? library.ml_dsa44 : variant === 'ML-DSA-65' ? library.ml_dsa65 : library.ml_dsa87;
}

/** The ML-DSA public key of a certificate, or undefined when its key is of another type. */
export function mlDsaPublicKeyOf(certificate: X509Certificate): { variant: MlDsaVariant; publicKey: Buffer } | undefined {
  const tbs = readAsn1(certificate.raw).children[0];
  const fields = tbs?.children ?? [];
  const spki = fields[fields[0]?.tag === Tag.context(0) ? 6 : 5];
  if (!spki || spki.tag !== Tag.SEQUENCE) return undefined;
  const { oid } = algorithmOf(spki.children[0], 'subjectPublicKeyInfo algorithm');
  const variant = ML_DSA_OIDS[oid];
  if (!variant) return undefined;
  const bits = spki.children[1];
  if (!bits || bits.tag !== 0x03 || bits.contents[0] !== 0) {
    throw new CertificateError('InvalidCertificate', `certificate has a malformed ${variant} public key: expected a BIT STRING`);
  }
  return { variant, publicKey: bits.contents.subarray(1) };
}

export interface MlDsaPrivateKey {
  readonly variant: MlDsaVariant;
  /** FIPS 204's expanded signing key, from the seed when the file holds one. */
  readonly secretKey: Uint8Array;
}

const EXPECTED = 'expected an ML-DSA private key in PKCS#8 PEM (PRIVATE KEY or ENCRYPTED PRIVATE KEY) or DER';

/**
 * Reads an ML-DSA PKCS#8 key (PEM blocks already decoded to `der`, `encrypted` when it is an
 * EncryptedPrivateKeyInfo). Returns undefined when the key is not ML-DSA.
 */
export function readMlDsaPrivateKey(
  der: Buffer, encrypted: boolean, passphrase: string | undefined, what: string, passphraseName = 'the passphrase option',
): MlDsaPrivateKey | undefined {
  let info = der;
  if (encrypted) {
    if (passphrase === undefined) {
      throw new CertificateError('InvalidPrivateKey', `${what} is encrypted: expected its passphrase in ${passphraseName}`);
    }
    info = decryptPkcs8(der, passphrase, what);
  }
  let fields: readonly Asn1[];
  try {
    fields = childrenOf(readAsn1(info), Tag.SEQUENCE, 'PrivateKeyInfo');
  } catch (cause) {
    if (encrypted) throw new CertificateError('IncorrectPassword', `cannot decrypt ${what} with the given password: expected the password the key was encrypted with`, { cause });
    throw new CertificateError('InvalidPrivateKey', `${what} cannot be read (${(cause as Error).message}): ${EXPECTED}`, { cause });
  }
  const { oid } = algorithmOf(fields[1], `${what} algorithm`);
  const variant = ML_DSA_OIDS[oid];
  if (!variant) return undefined;
  const inner = readAsn1(octetsOf(fields[2], `${what} privateKey`));
  const scheme = schemeOf(variant);
  // ML-DSA-PrivateKey ::= CHOICE { seed [0], expandedKey OCTET STRING, both SEQUENCE { seed, expandedKey } }
  if (inner.tag === Tag.contextPrimitive(0)) return { variant, secretKey: fromSeed(scheme, inner.contents, variant, what) };
  if (inner.tag === Tag.SEQUENCE) {
    if (inner.children.length !== 2) {
      throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} key in the 'both' form with ${inner.children.length} fields: expected SEQUENCE { seed, expandedKey }`);
    }
    const seed = octetsOf(inner.children[0], `${what} seed`);
    const expanded = octetsOf(inner.children[1], `${what} expandedKey`);
    const secretKey = fromSeed(scheme, seed, variant, what);
    // The seed is what signs; an expanded key of another key pair beside it is a damaged or
    // forged file, which OpenSSL refuses on load too: derive the pair and compare.
    if (!Buffer.from(secretKey).equals(expanded)) {
      throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} key whose seed and expanded key belong to different key pairs: expected the expanded key derived from the seed (OpenSSL refuses such a key too)`);
    }
    return { variant, secretKey };
  }
  if (inner.tag === Tag.OCTET_STRING) return { variant, secretKey: checkedExpandedKey(scheme, inner.contents, variant, what) };
  throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} key in an unknown form (tag 0x${inner.tag.toString(16)}): expected a seed, an expanded key or both`);
}

/**
 * An expanded key on its own is checked for what can be checked without its public key: the
 * right size, and its `tr` (bytes 64 to 127, FIPS 204 section 7.2) the SHAKE256 hash of the
 * public key its own rho, s1 and s2 give, which damage to any of those parts breaks. (Its K and
 * t0 are not covered: the library does not expose the t0 it derives.)
 */
function checkedExpandedKey(scheme: MlDsaScheme, expanded: Buffer, variant: MlDsaVariant, what: string): Uint8Array {
  if (expanded.length !== SECRET_KEY_BYTES[variant]) {
    throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} expanded key of ${expanded.length} bytes: expected ${SECRET_KEY_BYTES[variant]}`);
  }
  let consistent: boolean;
  try {
    const publicKey = scheme.getPublicKey(expanded);
    consistent = createHash('shake256', { outputLength: 64 }).update(publicKey).digest().equals(expanded.subarray(64, 128));
  } catch {
    consistent = false;
  }
  if (!consistent) {
    throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} expanded key that is not consistent (its tr is not the hash of the public key it gives): expected an undamaged key`);
  }
  return expanded;
}

function fromSeed(scheme: MlDsaScheme, seed: Buffer, variant: MlDsaVariant, what: string): Uint8Array {
  if (seed.length !== SEED_BYTES) {
    throw new CertificateError('InvalidPrivateKey', `${what} holds an ${variant} seed of ${seed.length} bytes: expected ${SEED_BYTES}`);
  }
  return scheme.keygen(seed).secretKey;
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING } */
function decryptPkcs8(der: Buffer, passphrase: string, what: string): Buffer {
  const [algorithm, data] = childrenOf(readAsn1(der), Tag.SEQUENCE, `${what} EncryptedPrivateKeyInfo`);
  const password = { utf8: Buffer.from(passphrase, 'utf8'), bmp: Buffer.alloc(0) };
  try {
    return decryptWithPassword(algorithm, octetsOf(data, `${what} encryptedData`), password, what);
  } catch (cause) {
    if (cause instanceof CertificateError && cause.code === 'IncorrectPassword') {
      throw new CertificateError('IncorrectPassword', `cannot decrypt ${what} with the given password: expected the password the key was encrypted with`, { cause });
    }
    throw cause;
  }
}

/** Pure ML-DSA, empty context; true when `signature` is `publicKey`'s over `message`. */
export function verifyMlDsa(variant: MlDsaVariant, publicKey: Uint8Array, message: Buffer, signature: Buffer): boolean {
  try {
    return schemeOf(variant).verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * A signer for an ML-DSA certificate and key; refuses a key that is not the certificate's
 * (compared by public key) or of another parameter set.
 */
export function mlDsaSigner(certificate: X509Certificate, key: MlDsaPrivateKey, intermediates: readonly X509Certificate[]): X509Signer {
  const certified = mlDsaPublicKeyOf(certificate);
  if (!certified) throw new CertificateError('KeyMismatch', `${key.variant} private key does not match the certificate's key, which is not ML-DSA: expected the key the certificate was issued for`);
  if (certified.variant !== key.variant) {
    throw new CertificateError('KeyMismatch', `${key.variant} private key does not match the certificate's ${certified.variant} key: expected the key the certificate was issued for`);
  }
  const scheme = schemeOf(key.variant);
  if (!Buffer.from(scheme.getPublicKey(key.secretKey)).equals(certified.publicKey)) {
    throw new CertificateError('KeyMismatch', `${key.variant} private key does not match the certificate: expected the key the certificate was issued for`);
  }
  return {
    certificate,
    intermediates,
    algorithm: X509_MLDSA_ALGORITHM,
    sign: async (data) => Buffer.from(scheme.sign(data, key.secretKey)),
    close: async () => undefined,
  };
}
