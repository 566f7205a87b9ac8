/**
 * Private keys as users hold them: PEM in PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`),
 * PKCS#8 (`PRIVATE KEY`) or passphrase-encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`), or the same
 * as DER. node:crypto does the decoding; this file finds the key block and turns node's OpenSSL
 * errors into messages that say what to fix.
 */
import { createPrivateKey, KeyObject } from 'node:crypto';
import { asPemText, looksLike, pemBlocks } from './certificates';
import { CertificateError } from './errors';

/** Private key input: PEM text, DER bytes, or PEM text in a Buffer. */
export type PrivateKeyInput = string | Buffer;

const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];
const EXPECTED = 'expected an RSA or EC private key in PEM (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8) or DER';

/** Reads a private key; `what` names the option in messages. */
export function parsePrivateKey(input: PrivateKeyInput, passphrase: string | undefined, what: string, passphraseName = 'the passphrase option'): KeyObject {
  const pem = asPemText(input);
  if (pem !== undefined) return fromPem(pem, passphrase, what, passphraseName);
  const der = typeof input === 'string' ? Buffer.from(input.trim(), 'base64') : input;
  return fromDer(der, passphrase, what, passphraseName);
}

function fromPem(text: string, passphrase: string | undefined, what: string, passphraseName: string): KeyObject {
  // Certificates or EC PARAMETERS may share the file; only key blocks count.
  const all = pemBlocks(text);
  const keys = all.filter((b) => KEY_LABELS.includes(b.label));
  if (keys.length !== 1) {
    const labels = all.map((b) => `'${b.label}'`).join(', ') || 'no PEM blocks';
    throw new CertificateError('InvalidPrivateKey', `${what} holds ${keys.length === 0 ? labels : `${keys.length} private keys`}: ${EXPECTED}`);
  }
  const block = keys[0];
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text);
  if (encrypted && passphrase === undefined) {
    throw new CertificateError('InvalidPrivateKey', `${what} is encrypted: expected its passphrase in ${passphraseName}`);
  }
  try {
    return createPrivateKey(encrypted ? { key: block.text, format: 'pem', passphrase } : { key: block.text, format: 'pem' });
  } catch (cause) {
    if (encrypted) {
      throw new CertificateError('IncorrectPassword', `cannot decrypt ${what} with the given passphrase: expected the passphrase the key was encrypted with`, { cause });
    }
    throw new CertificateError('InvalidPrivateKey', `${what} cannot be read (${(cause as Error).message}): ${EXPECTED}`, { cause });
  }
}

function fromDer(der: Buffer, passphrase: string | undefined, what: string, passphraseName: string): KeyObject {
  if (der.length === 0) throw new CertificateError('InvalidPrivateKey', `${what} is empty: ${EXPECTED}`);
  const attempts: Array<{ type: 'pkcs8' | 'pkcs1' | 'sec1'; passphrase?: string }> = [
    { type: 'pkcs8', passphrase },
    { type: 'pkcs1' },
    { type: 'sec1' },
  ];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return createPrivateKey({ key: der, format: 'der', ...attempt });
    } catch (e) {
      lastError = e;
    }
  }
  throw new CertificateError(
    'InvalidPrivateKey',
    `${what} cannot be read as DER (${looksLike(der)}; ${(lastError as Error).message}): ${EXPECTED}${passphrase === undefined ? ` (an encrypted key needs ${passphraseName})` : ''}`,
    { cause: lastError },
  );
}
