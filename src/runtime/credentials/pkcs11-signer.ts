/* eslint-disable no-bitwise -- DER length octets and PKCS#11 flags are bit fields */
/**
 * Keys inside a PKCS#11 token (HSMs, smart cards, SoftHSM2): the certificate is read from the
 * token or a file, and every signature is made inside the token; the key never leaves it. The
 * native binding (`pkcs11js`, PeculiarVentures) is required only here, when a `pkcs11:` URI is
 * used, so users without tokens neither install nor load it.
 */
import { createHash, X509Certificate } from 'node:crypto';
// Not bound as `createRequire`: the banner of an app's ES module bundle declares that name (build-tools/bundle.mjs checks).
import { createRequire as createRequireOfPkcs11 } from 'node:module';
import { join } from 'node:path';
import type * as Pkcs11Module from 'pkcs11js';
import { parseCertificates } from './certificates';
import { CertificateError } from './errors';
import { Pkcs11Uri } from './pkcs11-uri';
import { SignerDigest, X509_ECDSA_ALGORITHM, X509_RSA_ALGORITHM, X509Signer } from './signer';
import { InputError } from '../errors';

export interface Pkcs11SignerOptions {
  /** Where the certificate comes from: a URI of an object in the token, or the certificate itself. */
  readonly certificate: Pkcs11Uri | X509Certificate;
  /** The private key's URI. @default - the key with the certificate's CKA_ID (or label) in the same token */
  readonly privateKey?: Pkcs11Uri;
  readonly intermediates?: readonly X509Certificate[];
  /** The PKCS#11 module (.so/.dylib/.dll). @default - `module-path` of the URI */
  readonly modulePath?: string;
  /** The user PIN. @default - `pin-value` of the URI */
  readonly pin?: string;
  /** Log in with the user PIN again for keys that demand a context-specific login (CKA_ALWAYS_AUTHENTICATE). @default false */
  readonly reusePin?: boolean;
  /** What the user sets to give the PIN or the module, for messages (CLI flags or option names). */
  readonly hints?: { readonly pin: string; readonly modulePath: string; readonly reusePin: string };
}

type Pkcs11Js = typeof Pkcs11Module;

const DEFAULT_HINTS = { pin: 'the pkcs11Pin option or pin-value in the URI', modulePath: 'the pkcs11Lib option or module-path in the URI', reusePin: 'the pkcs11ReusePin option' };

function loadPkcs11js(): Pkcs11Js {
  try {
    // Resolved from this file's folder (the installed package), and through Node's own loader so
    // that the ES module build, which has no `require`, loads it too.
    const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
    return createRequireOfPkcs11(from)('pkcs11js') as Pkcs11Js;
  } catch (cause) {
    throw new CertificateError('UnsupportedKey', `pkcs11: URIs need the native package pkcs11js, which cannot be loaded (${(cause as Error).message.split('\n')[0]}): expected it installed beside this package (npm install pkcs11js)`, { cause });
  }
}

const trimmed = (value: string) => value.replace(/[\s\0]+$/, '');

/** Opens a session with the token the URIs name and returns a signer that signs inside it. */
export function pkcs11Signer(options: Pkcs11SignerOptions): X509Signer {
  const hints = options.hints ?? DEFAULT_HINTS;
  const certUri = options.certificate instanceof X509Certificate ? undefined : options.certificate;
  const keyUri = options.privateKey ?? certUri;
  if (!keyUri) throw new InputError('missing the private key\'s pkcs11: URI: expected it when the certificate is a file');
  const modulePath = options.modulePath ?? keyUri.modulePath ?? certUri?.modulePath;
  if (!modulePath) throw new InputError(`missing the PKCS#11 module: expected ${hints.modulePath} (such as /usr/lib/softhsm/libsofthsm2.so)`);
  const js = loadPkcs11js();
  const pkcs11 = new js.PKCS11();
  try {
    pkcs11.load(modulePath);
  } catch (cause) {
    throw new CertificateError('UnsupportedKey', `cannot load PKCS#11 module '${modulePath}' (${(cause as Error).message}): expected the path of a PKCS#11 library`, { cause });
  }
  // A module is initialized once per process: a second signer over the same module shares it
  // and leaves finalizing to the first.
  let owner = true;
  try {
    pkcs11.C_Initialize();
  } catch (cause) {
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test((cause as Error).message)) throw cause;
    owner = false;
  }
  let session: Buffer | undefined;
  const fail = (error: Error): never => {
    try {
      if (session) pkcs11.C_CloseSession(session);
      if (owner) pkcs11.C_Finalize();
    } catch {
      // the error that brought us here says more
    }
    throw error;
  };
  try {
    const slot = findSlot(pkcs11, keyUri) ?? fail(new CertificateError('InvalidPrivateKey', `no PKCS#11 token matches ${describe(keyUri)} in module '${modulePath}': expected a token with that label/serial/slot`));
    const tokenInfo = pkcs11.C_GetTokenInfo(slot);
    session = pkcs11.C_OpenSession(slot, js.CKF_SERIAL_SESSION);
    const pin = options.pin ?? keyUri.pinValue ?? certUri?.pinValue;
    if (tokenInfo.flags & js.CKF_LOGIN_REQUIRED) {
      if (pin === undefined) fail(new InputError(`PKCS#11 token '${trimmed(tokenInfo.label)}' needs its user PIN: expected ${hints.pin}`));
      try {
        pkcs11.C_Login(session, js.CKU_USER, pin);
      } catch (cause) {
        if (!/CKR_USER_ALREADY_LOGGED_IN/.test((cause as Error).message)) {
          fail(new CertificateError('IncorrectPassword', `PKCS#11 login to token '${trimmed(tokenInfo.label)}' failed (${(cause as Error).message}): expected its user PIN`, { cause }));
        }
      }
    }
    const s = session;
    let certificate: X509Certificate;
    if (options.certificate instanceof X509Certificate) {
      certificate = options.certificate;
    } else {
      const handle = findObject(pkcs11, s, js.CKO_CERTIFICATE, options.certificate, js)
        ?? fail(new CertificateError('InvalidCertificate', `no certificate matches ${describe(options.certificate)} in token '${trimmed(tokenInfo.label)}': expected a certificate object with that label or id`));
      const [value] = pkcs11.C_GetAttributeValue(s, handle, [{ type: js.CKA_VALUE }]);
      certificate = parseCertificates(value.value as Buffer, 'certificate in the token')[0];
    }
    // Without a key URI of its own, the key is the one that shares the certificate's id or label.
    let keySelector: Pkcs11Uri = keyUri;
    if (!options.privateKey && certUri) {
      const certHandle = findObject(pkcs11, s, js.CKO_CERTIFICATE, certUri, js);
      if (certHandle) {
        const [id, label] = pkcs11.C_GetAttributeValue(s, certHandle, [{ type: js.CKA_ID }, { type: js.CKA_LABEL }]);
        keySelector = (id.value as Buffer).length > 0 ? { id: id.value as Buffer } : { object: (label.value as Buffer).toString('utf8') };
      }
    }
    const key = findObject(pkcs11, s, js.CKO_PRIVATE_KEY, keySelector, js)
      ?? fail(new CertificateError('InvalidPrivateKey', `no private key matches ${describe(keySelector)} in token '${trimmed(tokenInfo.label)}': expected a private key object with that label or id (is the PIN given? private objects are hidden before login)`));
    const [keyType, alwaysAuthenticate] = pkcs11.C_GetAttributeValue(s, key, [{ type: js.CKA_KEY_TYPE }, { type: js.CKA_ALWAYS_AUTHENTICATE }]);
    const type = Number((keyType.value as Buffer).readUInt32LE(0)); // CK_ULONG, little-endian; key types fit in 32 bits
    const algorithm = type === js.CKK_RSA ? X509_RSA_ALGORITHM : type === js.CKK_EC ? X509_ECDSA_ALGORITHM
      : fail(new CertificateError('UnsupportedKey', `PKCS#11 key of type 0x${type.toString(16)} is not supported: expected an RSA or EC key`));
    const contextLogin = (alwaysAuthenticate.value as Buffer).length > 0 && (alwaysAuthenticate.value as Buffer)[0] === 1;
    if (contextLogin && !options.reusePin) {
      fail(new InputError(`PKCS#11 key in token '${trimmed(tokenInfo.label)}' asks for its PIN on every use (CKA_ALWAYS_AUTHENTICATE): expected ${hints.reusePin} to log in with the user PIN again`));
    }
    checkKeyMatchesCertificate(pkcs11, s, key, certificate, js, type === js.CKK_RSA);

    const sign = async (data: Buffer, digest: SignerDigest = 'sha256'): Promise<Buffer> => {
      if (type === js.CKK_RSA) {
        const mechanism = { sha256: js.CKM_SHA256_RSA_PKCS, sha384: js.CKM_SHA384_RSA_PKCS, sha512: js.CKM_SHA512_RSA_PKCS }[digest];
        pkcs11.C_SignInit(s, { mechanism }, key);
        if (contextLogin) pkcs11.C_Login(s, js.CKU_CONTEXT_SPECIFIC, pin);
        // pkcs11js hands an empty Buffer over as a NULL pointer, which modules refuse
        // (CKR_ARGUMENTS_BAD); the multi-part form with no part signs the empty message, as
        // the AWS helper does (its binding passes a non-NULL pointer of length 0).
        if (data.length === 0) {
          try {
            return pkcs11.C_SignFinal(s, Buffer.alloc(1024));
          } catch (cause) {
            throw new CertificateError('UnsupportedKey', `PKCS#11 token '${trimmed(tokenInfo.label)}' cannot sign empty data with ${digest.toUpperCase()} and RSA in parts (${(cause as Error).message}): expected data of at least one byte`, { cause });
          }
        }
        return pkcs11.C_Sign(s, data, Buffer.alloc(1024));
      }
      // CKM_ECDSA signs a digest made here and answers r||s; X.509 signatures carry DER.
      pkcs11.C_SignInit(s, { mechanism: js.CKM_ECDSA }, key);
      if (contextLogin) pkcs11.C_Login(s, js.CKU_CONTEXT_SPECIFIC, pin);
      return ecdsaDer(pkcs11.C_Sign(s, createHash(digest).update(data).digest(), Buffer.alloc(256)));
    };
    let closed = false;
    return {
      certificate,
      intermediates: options.intermediates ?? [],
      algorithm,
      sign,
      close: async () => {
        if (closed) return;
        closed = true;
        pkcs11.C_CloseSession(s);
        if (owner) pkcs11.C_Finalize();
      },
    };
  } catch (e) {
    return fail(e as Error);
  }
}

function findSlot(pkcs11: Pkcs11Module.PKCS11, uri: Pkcs11Uri): Buffer | undefined {
  const slots = pkcs11.C_GetSlotList(true);
  return slots.find((slot, index) => {
    if (uri.slotId !== undefined && uri.slotId !== slot.readUInt32LE(0) && uri.slotId !== index) return false;
    const info = pkcs11.C_GetTokenInfo(slot);
    return (uri.token === undefined || trimmed(info.label) === uri.token)
      && (uri.manufacturer === undefined || trimmed(info.manufacturerID) === uri.manufacturer)
      && (uri.serial === undefined || trimmed(info.serialNumber) === uri.serial)
      && (uri.model === undefined || trimmed(info.model) === uri.model);
  });
}

function findObject(pkcs11: Pkcs11Module.PKCS11, session: Buffer, objectClass: number, uri: Pkcs11Uri, js: Pkcs11Js): Buffer | undefined {
  const template: Pkcs11Module.Template = [{ type: js.CKA_CLASS, value: objectClass }];
  if (uri.object !== undefined) template.push({ type: js.CKA_LABEL, value: uri.object });
  if (uri.id !== undefined) template.push({ type: js.CKA_ID, value: uri.id });
  pkcs11.C_FindObjectsInit(session, template);
  try {
    return pkcs11.C_FindObjects(session) ?? undefined;
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

/** Compares the token key's public half (modulus, or the EC point) with the certificate's. */
function checkKeyMatchesCertificate(
  pkcs11: Pkcs11Module.PKCS11, session: Buffer, key: Buffer, certificate: X509Certificate, js: Pkcs11Js, rsa: boolean,
): void {
  const jwk = certificate.publicKey.export({ format: 'jwk' });
  let matches: boolean;
  if (rsa) {
    const [modulus] = pkcs11.C_GetAttributeValue(session, key, [{ type: js.CKA_MODULUS }]);
    matches = jwk.n !== undefined && Buffer.from(jwk.n, 'base64url').equals(stripZeros(modulus.value as Buffer));
  } else {
    // Private EC keys rarely carry their point; the public key object with the same id does.
    const [id] = pkcs11.C_GetAttributeValue(session, key, [{ type: js.CKA_ID }]);
    const publicKey = findObject(pkcs11, session, js.CKO_PUBLIC_KEY, { id: id.value as Buffer }, js);
    if (!publicKey) return;
    const [point] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: js.CKA_EC_POINT }]);
    const expected = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    matches = (point.value as Buffer).subarray(-expected.length).equals(expected);
  }
  if (!matches) {
    throw new CertificateError('KeyMismatch', `the PKCS#11 private key does not match certificate '${certificate.subject.split('\n').join(', ')}': expected the key the certificate was issued for`);
  }
}

function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** r||s (each half the length) as the DER SEQUENCE of two INTEGERs. */
export function ecdsaDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    const v = stripZeros(bytes);
    const body = v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const content = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  const length = content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x81, content.length]);
  return Buffer.concat([Buffer.from([0x30]), length, content]);
}

function describe(uri: Pkcs11Uri): string {
  const parts = [
    uri.token !== undefined && `token=${uri.token}`,
    uri.serial !== undefined && `serial=${uri.serial}`,
    uri.slotId !== undefined && `slot-id=${uri.slotId}`,
    uri.object !== undefined && `object=${uri.object}`,
    uri.id !== undefined && `id=${uri.id.toString('hex')}`,
  ].filter(Boolean);
  return parts.length > 0 ? `'${parts.join(';')}'` : 'the URI (no token or object attributes)';
}
