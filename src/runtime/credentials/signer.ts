/**
 * What CreateSession needs of a key source, as the AWS helper's Go `Signer` has it: the leaf
 * certificate, the intermediates sent beside it, the algorithm name, and a way to sign. File
 * keys (PEM, DER, PKCS#12), ML-DSA keys and keys inside a PKCS#11 token each implement it, so
 * the request signing never learns where the key lives.
 */
import { KeyObject, sign as cryptoSign, X509Certificate } from 'node:crypto';

export const X509_RSA_ALGORITHM = 'AWS4-X509-RSA-SHA256';
export const X509_ECDSA_ALGORITHM = 'AWS4-X509-ECDSA-SHA256';
/** ML-DSA (FIPS 204): the key signs the string to sign itself, no prehash, empty context. */
export const X509_MLDSA_ALGORITHM = 'AWS4-X509-MLDSA';
export type X509Algorithm = typeof X509_RSA_ALGORITHM | typeof X509_ECDSA_ALGORITHM | typeof X509_MLDSA_ALGORITHM;

/** The digests `sign-string --digest` offers; CreateSession always uses SHA-256. */
export type SignerDigest = 'sha256' | 'sha384' | 'sha512';

export interface X509Signer {
  /** The client certificate (its DER goes in `X-Amz-X509`, its serial in the credential). */
  readonly certificate: X509Certificate;
  /** Intermediate CA certificates, the leaf's issuer first (`X-Amz-X509-Chain`). */
  readonly intermediates: readonly X509Certificate[];
  readonly algorithm: X509Algorithm;
  /**
   * Signs `data`: RSA PKCS#1 v1.5 or DER-encoded ECDSA over `digest` of it, or pure ML-DSA of
   * `data` itself (the digest is then ignored).
   * @param digest default 'sha256'
   */
  sign(data: Buffer, digest?: SignerDigest): Promise<Buffer>;
  /** Releases what the signer holds open (a PKCS#11 session); a no-op for file keys. */
  close(): Promise<void>;
}

/** The algorithm of an RSA or EC key; Roles Anywhere accepts no other classical key type. */
export function algorithmFor(key: KeyObject): X509Algorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return X509_RSA_ALGORITHM;
    case 'ec':
      return X509_ECDSA_ALGORITHM;
    default:
      throw new Error(`unsupported key type '${key.asymmetricKeyType}': expected an RSA, EC or ML-DSA key`);
  }
}

/** A signer over a node:crypto private key (PEM, DER and PKCS#12 keys end up here). */
export function keyObjectSigner(certificate: X509Certificate, privateKey: KeyObject, intermediates: readonly X509Certificate[] = []): X509Signer {
  const algorithm = algorithmFor(privateKey);
  return {
    certificate,
    intermediates,
    algorithm,
    sign: async (data, digest = 'sha256') => cryptoSign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
    close: async () => undefined,
  };
}
