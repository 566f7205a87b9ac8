/* eslint-disable no-bitwise -- DER length octets and PKCS#11 flags are bit fields */
/**
 * Picks the signer for the key a user holds: a `pkcs11:` URI (a key inside a token), an ML-DSA
 * certificate and key, a PKCS#12 bundle, or an RSA/EC certificate and key in PEM or DER. Each
 * is checked locally before any request; CreateSession only sees the resulting {@link X509Signer}.
 */
import { X509Certificate } from 'node:crypto';
import { asPemText, orderChain, parseCertificates, pemBlocks } from './certificates';
import { runLocalChecks } from './checks';
import { CertificateError } from './errors';
import { InputNames, KeyMaterialInput, loadKeyMaterial, looksLikePkcs12, OPTION_NAMES } from './key-material';
import { mlDsaPublicKeyOf, mlDsaSigner, readMlDsaPrivateKey } from './ml-dsa';
import { pkcs11Signer } from './pkcs11-signer';
import { isPkcs11Uri, parsePkcs11Uri } from './pkcs11-uri';
import { keyObjectSigner, X509Signer } from './signer';
import { InputError } from '../errors';

/** The key source options beside certificate and key. */
export interface KeySourceOptions extends KeyMaterialInput {
  /** A signer of your own (another key store); replaces certificate, privateKey and pkcs12. */
  readonly signer?: X509Signer;
  /** The PKCS#11 module for `pkcs11:` URIs. @default - `module-path` of the URI */
  readonly pkcs11Lib?: string;
  /** The token's user PIN. @default - `pin-value` of the URI */
  readonly pkcs11Pin?: string;
  /** Log in with the user PIN again for keys that ask for it on every use. @default false */
  readonly pkcs11ReusePin?: boolean;
  /** How the user sets the PIN, module and reuse-PIN, for messages (the CLI names its flags). */
  readonly pkcs11Hints?: { readonly pin: string; readonly modulePath: string; readonly reusePin: string };
}

export interface SignerChecks {
  readonly now: Date;
  readonly clientCertificateId?: string;
  readonly onClockTolerance?: (message: string) => void;
}

export function loadSigner(options: KeySourceOptions, checks: SignerChecks): X509Signer {
  if (options.signer !== undefined) {
    if (options.certificate !== undefined || options.privateKey !== undefined || options.pkcs12 !== undefined) {
      throw new InputError('signer was given together with certificate, privateKey or pkcs12: expected one key source');
    }
    return options.signer;
  }
  const extra = intermediatesOf(options);
  const names = options.inputNames ?? OPTION_NAMES;
  if (isPkcs11Uri(options.certificate) || isPkcs11Uri(options.privateKey)) {
    const certificate = isPkcs11Uri(options.certificate)
      ? parsePkcs11Uri(options.certificate, names.certificate)
      : options.certificate !== undefined ? parseCertificates(options.certificate, names.certificate)[0] : undefined;
    if (!certificate) throw new InputError('missing certificate: expected a pkcs11: URI or a certificate file with a pkcs11: private key');
    const signer = pkcs11Signer({
      certificate,
      privateKey: isPkcs11Uri(options.privateKey) ? parsePkcs11Uri(options.privateKey, names.privateKey) : undefined,
      modulePath: options.pkcs11Lib,
      pin: options.pkcs11Pin,
      reusePin: options.pkcs11ReusePin,
      hints: options.pkcs11Hints,
    });
    const withChain = { ...signer, intermediates: orderChain(signer.certificate, extra) };
    try {
      certificateChecks(signer.certificate, checks);
    } catch (e) {
      void signer.close();
      throw e;
    }
    return withChain;
  }
  const bundleAsCertificate = Buffer.isBuffer(options.certificate) && options.privateKey === undefined && looksLikePkcs12(options.certificate);
  if (options.certificate !== undefined && options.pkcs12 === undefined && !bundleAsCertificate) {
    const [certificate, ...chain] = parseCertificates(options.certificate, names.certificate);
    const mlDsa = mlDsaPublicKeyOf(certificate);
    if (mlDsa) {
      if (options.privateKey === undefined) throw new InputError(`missing privateKey: expected the ${mlDsa.variant} private key of the certificate`);
      const key = mlDsaKeyOf(options.privateKey, options.passphrase, names);
      const signer = mlDsaSigner(certificate, key, orderChain(certificate, [...chain, ...extra]));
      certificateChecks(certificate, checks);
      return signer;
    }
  }
  const material = loadKeyMaterial(options);
  runLocalChecks({ ...material, ...checks });
  return keyObjectSigner(material.certificate, material.privateKey, material.intermediates);
}

function certificateChecks(certificate: X509Certificate, checks: SignerChecks): void {
  runLocalChecks({ certificate, ...checks });
}

function mlDsaKeyOf(input: string | Buffer, passphrase: string | undefined, names: InputNames) {
  const pem = asPemText(input);
  let der: Buffer;
  let encrypted: boolean;
  if (pem !== undefined) {
    const block = pemBlocks(pem).find((b) => b.label === 'PRIVATE KEY' || b.label === 'ENCRYPTED PRIVATE KEY');
    if (!block) throw new CertificateError('InvalidPrivateKey', 'privateKey holds no PRIVATE KEY or ENCRYPTED PRIVATE KEY block: expected the ML-DSA key in PKCS#8');
    der = block.der;
    encrypted = block.label === 'ENCRYPTED PRIVATE KEY';
  } else {
    der = typeof input === 'string' ? Buffer.from(input.trim(), 'base64') : input;
    // PrivateKeyInfo starts with INTEGER version; EncryptedPrivateKeyInfo with a SEQUENCE.
    encrypted = der[0] === 0x30 && der[2] === 0x30 || (der[1] & 0x80) !== 0 && der[2 + (der[1] & 0x7f)] === 0x30;
  }
  const key = readMlDsaPrivateKey(der, encrypted, passphrase, names.privateKey, names.passphrase);
  if (!key) throw new CertificateError('KeyMismatch', 'privateKey is not an ML-DSA key, but the certificate\'s key is: expected the key the certificate was issued for');
  return key;
}

function intermediatesOf(options: KeyMaterialInput): X509Certificate[] {
  const input = options.intermediates;
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  return list.flatMap((item, i) => parseCertificates(item as string | Buffer, list.length > 1 ? `intermediates[${i}]` : 'intermediates'));
}
