/**
 * `eventbridge-connector sign-string`: the helper's `sign-string`, which signs what arrives on
 * stdin with the private key (a file, an ML-DSA key or a pkcs11: URI) and prints the signature
 * as a JSON string of hex (default), plain hex (`--format text`) or raw bytes (`--format bin`).
 */
import { sign as cryptoSign } from 'node:crypto';
import { CREDENTIAL_FLAGS, refuseUnsupported } from './credential-flags';
import { CliCommand, CliError } from './io';
import { parseFlags, readFlagFile, required } from './options';
import { asPemText, parseCertificates, pemBlocks } from '../runtime/credentials/certificates';
import { readMlDsaPrivateKey, schemeOf } from '../runtime/credentials/ml-dsa';
import { pkcs11Signer } from '../runtime/credentials/pkcs11-signer';
import { isPkcs11Uri, parsePkcs11Uri } from '../runtime/credentials/pkcs11-uri';
import { parsePrivateKey } from '../runtime/credentials/private-key';
import { SignerDigest } from '../runtime/credentials/signer';

export const SIGN_STRING_USAGE = `Usage: eventbridge-connector sign-string --private-key FILE|URI [flags] < data

Signs stdin with the private key: RSA PKCS#1 v1.5 or ECDSA (DER) over the digest, or pure ML-DSA.

Flags:
  --private-key FILE|URI  the key: PEM/DER (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8, ML-DSA) or a pkcs11: URI
  --certificate FILE|URI  with a pkcs11: key, the certificate that names it (optional for files)
  --format FORMAT         json (default), text or bin
  --digest DIGEST         SHA256 (default), SHA384 or SHA512 (ML-DSA signs the data itself)
  --pkcs8-password PASS   password of an encrypted key (or EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE)
  --pkcs11-lib FILE       PKCS#11 module for pkcs11: URIs
  --reuse-pin             use the user PIN for keys that ask for it on every use
  --help                  show this help
`;

const FLAGS = {
  'private-key': CREDENTIAL_FLAGS['private-key'],
  'certificate': CREDENTIAL_FLAGS.certificate,
  'pkcs8-password': CREDENTIAL_FLAGS['pkcs8-password'],
  'pkcs11-lib': CREDENTIAL_FLAGS['pkcs11-lib'],
  'reuse-pin': CREDENTIAL_FLAGS['reuse-pin'],
  'cert-selector': CREDENTIAL_FLAGS['cert-selector'],
  'debug': CREDENTIAL_FLAGS.debug,
  'format': { type: 'string' },
  'digest': { type: 'string' },
  'help': { type: 'boolean' },
} as const;

const FORMATS = ['json', 'text', 'bin'];
const DIGESTS: Record<string, SignerDigest> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };
const MAX_INPUT_BYTES = 1024 * 1024;
const PASSWORD_NAME = '--pkcs8-password or EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE';

export const signString: CliCommand = async (args, io) => {
  const flags = parseFlags('sign-string', args, FLAGS);
  if (flags.help) {
    io.stdout(SIGN_STRING_USAGE);
    return 0;
  }
  refuseUnsupported(flags);
  const format = flags.format ?? 'json';
  if (!FORMATS.includes(format)) throw new CliError(`invalid --format '${format.slice(0, 40)}': expected json, text or bin`);
  const digestName = (flags.digest ?? 'SHA256').toUpperCase();
  const digest = DIGESTS[digestName];
  if (!digest) throw new CliError(`invalid --digest '${flags.digest!.slice(0, 40)}': expected SHA256, SHA384 or SHA512`);
  const keyFlag = required(flags['private-key'], 'private-key', 'the private key file or a pkcs11: URI');
  const password = flags['pkcs8-password'] ?? io.env.EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE;
  if (!io.stdin) throw new CliError('no stdin: expected the data to sign on stdin');
  const data = await io.stdin(MAX_INPUT_BYTES);

  let signature: Buffer;
  if (isPkcs11Uri(keyFlag)) {
    const certificateFlag = required(flags.certificate, 'certificate', 'the certificate (file or pkcs11: URI) of the token key, which the key is checked against');
    const signer = pkcs11Signer({
      certificate: isPkcs11Uri(certificateFlag) ? parsePkcs11Uri(certificateFlag, '--certificate') : parseCertificates(readFlagFile(certificateFlag, 'certificate', io.cwd), '--certificate')[0],
      privateKey: parsePkcs11Uri(keyFlag, '--private-key'),
      modulePath: flags['pkcs11-lib'],
      pin: io.env.EVENTBRIDGE_CONNECTOR_PKCS11_PIN,
      reusePin: flags['reuse-pin'],
      hints: { pin: 'pin-value in the pkcs11: URI or EVENTBRIDGE_CONNECTOR_PKCS11_PIN', modulePath: '--pkcs11-lib or module-path in the pkcs11: URI', reusePin: '--reuse-pin' },
    });
    try {
      signature = await signer.sign(data, digest);
    } finally {
      await signer.close();
    }
  } else {
    const keyFile = readFlagFile(keyFlag, 'private-key', io.cwd);
    const mlDsa = mlDsaKey(keyFile, password);
    signature = mlDsa
      ? Buffer.from(schemeOf(mlDsa.variant).sign(data, mlDsa.secretKey))
      : cryptoSign(digest, data, { key: parsePrivateKey(keyFile, password, '--private-key', PASSWORD_NAME), dsaEncoding: 'der' });
  }
  if (format === 'bin') io.stdout(signature);
  else io.stdout(format === 'json' ? JSON.stringify(signature.toString('hex')) : signature.toString('hex'));
  return 0;
};

function mlDsaKey(file: Buffer, password: string | undefined) {
  const pem = asPemText(file);
  const block = pem !== undefined ? pemBlocks(pem).find((b) => b.label === 'PRIVATE KEY' || b.label === 'ENCRYPTED PRIVATE KEY') : undefined;
  if (pem !== undefined && !block) return undefined;
  try {
    return readMlDsaPrivateKey(block?.der ?? file, block?.label === 'ENCRYPTED PRIVATE KEY', password, '--private-key', PASSWORD_NAME);
  } catch (e) {
    // An RSA or EC key that is merely encrypted is node:crypto's to read and report.
    if (block?.label === 'ENCRYPTED PRIVATE KEY' && password !== undefined) return undefined;
    if (block === undefined) return undefined;
    throw e;
  }
}
