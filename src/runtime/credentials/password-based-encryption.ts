/* eslint-disable no-bitwise -- the PKCS#12 KDF adds big-endian blocks byte by byte */
/**
 * Password-based decryption and MAC keys as PKCS#12 files use them: PBES2 (PBKDF2 with AES or
 * 3DES, what OpenSSL 3 writes by default) and the PKCS#12 PBE schemes with the PKCS#12 key
 * derivation function (what `openssl pkcs12 -legacy` and older tools write). Ciphers come from
 * node:crypto; one it lacks (RC2 and RC4 live in OpenSSL 3's legacy provider) is refused with
 * the algorithm's name and how to re-export the file.
 */
import { createDecipheriv, createHash, pbkdf2Sync, scryptSync } from 'node:crypto';
import { algorithmOf, Asn1, childrenOf, octetsOf, oidOf, smallIntegerOf, Tag } from './der';
import { CertificateError } from './errors';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Digest OIDs a PKCS#12 MAC names. */
export const DIGESTS: Readonly<Record<string, HashName>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** PBKDF2 pseudo-random functions (hmacWithSHA*). */
const PRFS: Readonly<Record<string, HashName>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** PBES2 encryption schemes: node cipher name and key length. */
const PBES2_CIPHERS: Readonly<Record<string, { cipher: string; keyLength: number; name: string }>> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16, name: 'AES-128-CBC' },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24, name: 'AES-192-CBC' },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32, name: 'AES-256-CBC' },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24, name: 'DES-EDE3-CBC' },
};

/** PKCS#12 PBE schemes (RFC 7292 appendix C), all with SHA-1 and the PKCS#12 KDF. */
const PKCS12_PBE: Readonly<Record<string, { cipher: string; keyLength: number; ivLength: number; name: string }>> = {
  '1.2.840.113549.1.12.1.1': { cipher: 'rc4', keyLength: 16, ivLength: 0, name: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { cipher: 'rc4-40', keyLength: 5, ivLength: 0, name: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24, ivLength: 8, name: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16, ivLength: 8, name: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-cbc', keyLength: 16, ivLength: 8, name: 'pbeWithSHAAnd128BitRC2-CBC' },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-40-cbc', keyLength: 5, ivLength: 8, name: 'pbeWithSHAAnd40BitRC2-CBC' },
};

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
/** id-scrypt (RFC 7914): what `openssl pkcs8 -scrypt` writes. */
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
/** scrypt costs beyond these are no real key file (OpenSSL's own limit is 32 MiB of memory by default). */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

/** Known but refused schemes, named so the message can say which one the file uses. */
const REFUSED: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
};

/** Counts beyond this are no real file, only a way to make loading hang. */
const MAX_ITERATIONS = 10_000_000;

const RE_EXPORT = 'openssl pkcs12 -export -certpbe AES-256-CBC -keypbe AES-256-CBC -macalg sha256';

/**
 * The password as the PKCS#12 KDF takes it: UTF-16BE with a two-byte terminator. `absent` is
 * the empty byte string some writers use for "no password", which differs from "".
 */
export function bmpPassword(password: string, absent = false): Buffer {
  if (absent) return Buffer.alloc(0);
  const utf16le = Buffer.from(`${password}\0`, 'utf16le');
  return Buffer.from(utf16le).swap16();
}

const BLOCK_SIZES: Readonly<Record<HashName, number>> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The PKCS#12 key derivation function (RFC 7292 appendix B.2); `id` 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(hash: HashName, password: Buffer, salt: Buffer, iterations: number, id: 1 | 2 | 3, length: number): Buffer {
  const v = BLOCK_SIZES[hash];
  const repeatTo = (data: Buffer): Buffer => {
    const size = v * Math.ceil(data.length / v);
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = data[i % data.length];
    return out;
  };
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([repeatTo(salt), repeatTo(password)]);
  const output: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hash).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    output.push(a);
    produced += a.length;
    if (produced >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B being A repeated to v bytes.
    const b = Buffer.alloc(v);
    for (let k = 0; k < v; k++) b[k] = a[k % a.length];
    for (let block = 0; block < i.length; block += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[block + k] + b[k] + carry;
        i[block + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(output).subarray(0, length);
}

/** Iteration count from a parameters field, bounded. */
export function iterationsOf(element: Asn1 | undefined, what: string): number {
  const iterations = element ? smallIntegerOf(element, what) : 1;
  if (iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new CertificateError('InvalidPkcs12', `${what} is ${iterations}: expected 1 to ${MAX_ITERATIONS}`);
  }
  return iterations;
}

/** A password that opens the file, in the two encodings the two scheme families use. */
export interface Pkcs12Password {
  /** PBES2 takes the password's UTF-8 bytes (as OpenSSL does). */
  readonly utf8: Buffer;
  /** PKCS#12 PBE and the MAC take {@link bmpPassword}. */
  readonly bmp: Buffer;
}

/**
 * Decrypts data encrypted with the scheme named by an AlgorithmIdentifier. `what` names the
 * data for messages ("its private key", "its certificates").
 */
export function decryptWithPassword(algorithm: Asn1, data: Buffer, password: Pkcs12Password, what: string): Buffer {
  const { oid, parameters } = algorithmOf(algorithm, `encryption algorithm of ${what}`);
  if (oid === PBES2) return decryptPbes2(parameters, data, password, what);
  const scheme = PKCS12_PBE[oid];
  if (scheme) {
    const [salt, count] = childrenOf(parameters, Tag.SEQUENCE, `PBE parameters of ${what}`);
    const saltBytes = octetsOf(salt, `PBE salt of ${what}`);
    const iterations = iterationsOf(count, `PBE iteration count of ${what}`);
    const key = pkcs12Kdf('sha1', password.bmp, saltBytes, iterations, 1, scheme.keyLength);
    const iv = scheme.ivLength ? pkcs12Kdf('sha1', password.bmp, saltBytes, iterations, 2, scheme.ivLength) : null;
    return decipher(scheme.cipher, scheme.name, key, iv, data, what);
  }
  const name = REFUSED[oid] ?? `the algorithm with OID ${oid}`;
  throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle encrypts ${what} with ${name}, which is not supported: expected PBES2 (AES) or pbeWithSHAAnd3-KeyTripleDES-CBC; re-export it with \`${RE_EXPORT}\``);
}

function decryptPbes2(parameters: Asn1 | undefined, data: Buffer, password: Pkcs12Password, what: string): Buffer {
  const [kdf, scheme] = childrenOf(parameters, Tag.SEQUENCE, `PBES2 parameters of ${what}`);
  const kdfAlgorithm = algorithmOf(kdf, `PBES2 key derivation of ${what}`);
  if (kdfAlgorithm.oid !== PBKDF2 && kdfAlgorithm.oid !== SCRYPT) {
    throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle encrypts ${what} with a key derived by the algorithm with OID ${kdfAlgorithm.oid}: expected PBKDF2; re-export it with \`${RE_EXPORT}\``);
  }
  const cipherAlgorithm = algorithmOf(scheme, `PBES2 cipher of ${what}`);
  const cipher = PBES2_CIPHERS[cipherAlgorithm.oid];
  if (!cipher) {
    throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle encrypts ${what} with the PBES2 cipher with OID ${cipherAlgorithm.oid}: expected AES-CBC or DES-EDE3-CBC; re-export it with \`${RE_EXPORT}\``);
  }
  const iv = octetsOf(cipherAlgorithm.parameters, `PBES2 IV of ${what}`);
  if (kdfAlgorithm.oid === SCRYPT) {
    return decipher(cipher.cipher, `PBES2 ${cipher.name}`, scryptKey(kdfAlgorithm.parameters, password, cipher.keyLength, what), iv, data, what);
  }

  // PBKDF2-params: salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1.
  const fields = childrenOf(kdfAlgorithm.parameters, Tag.SEQUENCE, `PBKDF2 parameters of ${what}`);
  const salt = octetsOf(fields[0], `PBKDF2 salt of ${what}`);
  const iterations = iterationsOf(fields[1], `PBKDF2 iteration count of ${what}`);
  let prf: HashName = 'sha1';
  for (const field of fields.slice(2)) {
    if (field.tag !== Tag.SEQUENCE) continue;
    const prfOid = oidOf(field.children[0], `PBKDF2 PRF of ${what}`);
    const hash = PRFS[prfOid];
    if (!hash) throw new CertificateError('UnsupportedAlgorithm', `pkcs12 bundle encrypts ${what} with a PBKDF2 PRF with OID ${prfOid}: expected HMAC-SHA-1 or HMAC-SHA-2; re-export it with \`${RE_EXPORT}\``);
    prf = hash;
  }
  const key = pbkdf2Sync(password.utf8, salt, iterations, cipher.keyLength, prf);
  return decipher(cipher.cipher, `PBES2 ${cipher.name}`, key, iv, data, what);
}

/** scrypt-params: salt, costParameter (N), blockSize (r), parallelizationParameter (p), keyLength OPTIONAL. */
function scryptKey(parameters: Asn1 | undefined, password: Pkcs12Password, keyLength: number, what: string): Buffer {
  const fields = childrenOf(parameters, Tag.SEQUENCE, `scrypt parameters of ${what}`);
  const salt = octetsOf(fields[0], `scrypt salt of ${what}`);
  const [N, r, p] = [1, 2, 3].map((i) => smallIntegerOf(fields[i], `scrypt parameter ${i} of ${what}`));
  const memory = 128 * N * r * p + 128 * r * 8;
  if (memory > MAX_SCRYPT_MEMORY) {
    throw new CertificateError('UnsupportedAlgorithm', `${what} is encrypted with scrypt N=${N} r=${r} p=${p}, which needs ${Math.round(memory / 2 ** 20)} MiB: expected at most ${MAX_SCRYPT_MEMORY / 2 ** 20} MiB`);
  }
  return scryptSync(password.utf8, salt, keyLength, { N, r, p, maxmem: memory + 1024 * 1024 });
}

function decipher(cipher: string, name: string, key: Buffer, iv: Buffer | null, data: Buffer, what: string): Buffer {
  let decipherer;
  try {
    decipherer = createDecipheriv(cipher, key, iv);
  } catch (cause) {
    throw new CertificateError(
      'UnsupportedAlgorithm',
      `pkcs12 bundle encrypts ${what} with ${name}, which this Node.js cannot decrypt (OpenSSL 3 keeps it in its legacy provider): re-export the bundle with \`${RE_EXPORT}\`, or run node with --openssl-legacy-provider`,
      { cause },
    );
  }
  try {
    return Buffer.concat([decipherer.update(data), decipherer.final()]);
  } catch (cause) {
    throw new CertificateError('IncorrectPassword', `pkcs12 bundle: cannot decrypt ${what}: expected the password the bundle was exported with`, { cause });
  }
}
