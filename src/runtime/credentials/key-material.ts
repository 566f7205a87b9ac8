/* eslint-disable no-bitwise -- DER length octets and PKCS#11 flags are bit fields */
/**
 * The certificate, key and intermediates a CreateSession is signed with, loaded from whichever
 * form the user holds: certificate and key (PEM or DER), or one PKCS#12 bundle.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { asPemText, CertificateInput, orderChain, parseCertificates } from './certificates';
import { readPkcs12 } from './pkcs12';
import { parsePrivateKey, PrivateKeyInput } from './private-key';
import { InputError } from '../errors';

export interface KeyMaterial {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  /** The leaf's issuer first; sent in `X-Amz-X509-Chain`. */
  readonly intermediates: readonly X509Certificate[];
}

/** The certificate and key options of `fromRolesAnywhere`. */
export interface KeyMaterialInput {
  /** The client certificate, PEM or DER; a PEM full chain (leaf first) also gives intermediates. Or use `pkcs12`. */
  readonly certificate?: CertificateInput;
  /** The certificate's private key: PEM (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8) or DER. */
  readonly privateKey?: PrivateKeyInput;
  /** Passphrase of an encrypted `privateKey`. */
  readonly passphrase?: string;
  /** A PKCS#12 (.p12/.pfx) bundle with the key, the certificate and optionally its chain, instead of `certificate` and `privateKey`. */
  readonly pkcs12?: Buffer;
  /** @default '' */
  readonly pkcs12Password?: string;
  /** Intermediate CA certificates, as a PEM bundle or a list; sent in `X-Amz-X509-Chain`. */
  readonly intermediates?: CertificateInput | readonly CertificateInput[];
  /** How messages name these inputs; a CLI names its flags. @default - the option names */
  readonly inputNames?: InputNames;
}

/** What the user sets for each input, as error messages should say it. */
export interface InputNames {
  readonly certificate: string;
  readonly privateKey: string;
  /** Completes "expected its passphrase in ...". */
  readonly passphrase: string;
  readonly pkcs12Password: string;
}

export const OPTION_NAMES: InputNames = {
  certificate: 'certificate',
  privateKey: 'privateKey',
  passphrase: 'the passphrase option',
  pkcs12Password: 'pkcs12Password',
};

export function loadKeyMaterial(input: KeyMaterialInput): KeyMaterial {
  const names = input.inputNames ?? OPTION_NAMES;
  const extra = intermediatesOf(input.intermediates);
  if (input.pkcs12 !== undefined) {
    if (input.certificate !== undefined || input.privateKey !== undefined) {
      throw new InputError('pkcs12 was given together with certificate or privateKey: expected either pkcs12 or certificate and privateKey');
    }
    if (!Buffer.isBuffer(input.pkcs12)) {
      throw new InputError(`invalid pkcs12 of type ${typeof input.pkcs12}: expected a Buffer holding the .p12/.pfx file`);
    }
    const bundle = readPkcs12(input.pkcs12, input.pkcs12Password, names.pkcs12Password);
    return { ...bundle, intermediates: orderChain(bundle.certificate, [...bundle.intermediates, ...extra]) };
  }
  // The helper's way: `--certificate bundle.p12` and no key; a bundle is DER, never PEM text.
  if (Buffer.isBuffer(input.certificate) && input.privateKey === undefined && looksLikePkcs12(input.certificate)) {
    const bundle = readPkcs12(input.certificate, input.pkcs12Password ?? input.passphrase, names.pkcs12Password);
    return { ...bundle, intermediates: orderChain(bundle.certificate, [...bundle.intermediates, ...extra]) };
  }
  if (input.certificate === undefined || input.privateKey === undefined) {
    const missing = input.certificate === undefined ? 'certificate' : 'privateKey';
    throw new InputError(`missing ${missing}: expected certificate and privateKey (PEM or DER), or pkcs12`);
  }
  if (input.pkcs12Password !== undefined) {
    throw new InputError('pkcs12Password was given without pkcs12: expected the passphrase option for an encrypted private key');
  }
  checkInputType(input.certificate, 'certificate');
  checkInputType(input.privateKey, 'privateKey');
  // A full-chain file (leaf first, then its CAs) is common; its CAs count as intermediates.
  const [certificate, ...chain] = parseCertificates(input.certificate, names.certificate);
  const privateKey = parsePrivateKey(input.privateKey, input.passphrase, names.privateKey, names.passphrase);
  return { certificate, privateKey, intermediates: orderChain(certificate, [...chain, ...extra]) };
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, ... }: a SEQUENCE whose first element is INTEGER 3. */
export function looksLikePkcs12(data: Buffer): boolean {
  if (data.length < 8 || data[0] !== 0x30 || asPemText(data) !== undefined) return false;
  const lengthBytes = data[1] & 0x80 ? (data[1] & 0x7f) : 0;
  const at = 2 + lengthBytes;
  return data[at] === 0x02 && data[at + 1] === 0x01 && data[at + 2] === 0x03;
}

function intermediatesOf(input: KeyMaterialInput['intermediates']): X509Certificate[] {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? (input as readonly CertificateInput[]) : [input as CertificateInput];
  return list.flatMap((item, i) => {
    const what = list.length > 1 ? `intermediates[${i}]` : 'intermediates';
    checkInputType(item, what);
    return parseCertificates(item, what);
  });
}

function checkInputType(value: unknown, what: string): void {
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new InputError(`invalid ${what} of type ${typeof value}: expected PEM text or a Buffer with PEM or DER`);
  }
}
