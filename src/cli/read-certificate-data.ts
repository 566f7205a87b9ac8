/**
 * `eventbridge-connector read-certificate-data`: the helper's diagnostic. For a certificate
 * file it prints `{"keyType","certificateData","serialNumber","supportedAlgorithms"}` (the
 * helper's CertificateData); for a pkcs11: URI, the matching certificate as
 * "Matching identities" with its SHA-1 fingerprint, subject and URI.
 */
import { createHash } from 'node:crypto';
import { CREDENTIAL_FLAGS, refuseUnsupported } from './credential-flags';
import { CliCommand } from './io';
import { parseFlags, readFlagFile, required } from './options';
import { parseCertificates } from '../runtime/credentials/certificates';
import { mlDsaPublicKeyOf } from '../runtime/credentials/ml-dsa';
import { pkcs11Signer } from '../runtime/credentials/pkcs11-signer';
import { isPkcs11Uri, parsePkcs11Uri } from '../runtime/credentials/pkcs11-uri';
import { serialNumberDecimal } from '../runtime/credentials/x509-signature';

export const READ_CERTIFICATE_DATA_USAGE = `Usage: eventbridge-connector read-certificate-data --certificate FILE|URI [flags]

Prints what CreateSession would send of a certificate: its key type, base64 DER, serial number
(decimal) and the digests it signs with; for a pkcs11: URI, the matching identity in the token.

Flags:
  --certificate FILE|URI  certificate file (PEM or DER) or pkcs11: URI
  --pkcs11-lib FILE       PKCS#11 module for pkcs11: URIs
  --debug                 accepted, as the helper's
  --help                  show this help
`;

const FLAGS = {
  'certificate': CREDENTIAL_FLAGS.certificate,
  'pkcs11-lib': CREDENTIAL_FLAGS['pkcs11-lib'],
  'cert-selector': CREDENTIAL_FLAGS['cert-selector'],
  'system-store-name': CREDENTIAL_FLAGS['system-store-name'],
  'debug': CREDENTIAL_FLAGS.debug,
  'help': { type: 'boolean' },
} as const;

export const readCertificateData: CliCommand = async (args, io) => {
  const flags = parseFlags('read-certificate-data', args, FLAGS);
  if (flags.help) {
    io.stdout(READ_CERTIFICATE_DATA_USAGE);
    return 0;
  }
  refuseUnsupported(flags);
  const certificateFlag = required(flags.certificate, 'certificate', 'a certificate file or a pkcs11: URI');
  if (isPkcs11Uri(certificateFlag)) {
    const uri = parsePkcs11Uri(certificateFlag, '--certificate');
    const signer = pkcs11Signer({ certificate: uri, modulePath: flags['pkcs11-lib'], pin: io.env.EVENTBRIDGE_CONNECTOR_PKCS11_PIN });
    await signer.close();
    const fingerprint = createHash('sha1').update(signer.certificate.raw).digest('hex');
    io.stdout(`Matching identities\n1) ${fingerprint} "${signer.certificate.subject.split('\n').reverse().join(',')}"\n\tURI: ${certificateFlag}\n`);
    return 0;
  }
  const [certificate] = parseCertificates(readFlagFile(certificateFlag, 'certificate', io.cwd), '--certificate');
  const mlDsa = mlDsaPublicKeyOf(certificate);
  const keyType = mlDsa ? mlDsa.variant : certificate.publicKey.asymmetricKeyType === 'rsa' ? 'RSA' : 'EC';
  io.stdout(JSON.stringify({
    keyType,
    certificateData: certificate.raw.toString('base64'),
    serialNumber: serialNumberDecimal(certificate),
    supportedAlgorithms: mlDsa ? [mlDsa.variant] : ['SHA256', 'SHA384', 'SHA512'],
  }));
  return 0;
};
