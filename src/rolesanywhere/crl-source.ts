import { Token } from 'aws-cdk-lib';
import { quote } from '../contract';
import { checkCrlDer } from './der';
import { formatPem, looksLikePem, parsePemBlocks } from './pem';
import { readSynthFile } from './read-file';

const CRL_LABEL = 'X509 CRL';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** ImportCrl takes at most 300000 bytes of CRL data. */
const MAX_CRL_LENGTH = 300_000;

/**
 * The content of a certificate revocation list, in the form CloudFormation's `CrlData` takes:
 * the PEM text (`-----BEGIN X509 CRL-----`), whose UTF-8 bytes go to ImportCrl. DER input is
 * converted to PEM at synthesis.
 *
 * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-crl.html#cfn-rolesanywhere-crl-crldata
 */
export abstract class CrlSource {
  /** A CRL in PEM: exactly one `X509 CRL` block. A token is passed through unchecked. */
  public static fromPem(pem: string): CrlSource {
    if (Token.isUnresolved(pem)) return new PemCrlSource(pem);
    const blocks = parsePemBlocks('CRL PEM', pem);
    const crls = blocks.filter((block) => block.label === CRL_LABEL);
    const other = blocks.find((block) => block.label !== CRL_LABEL);
    if (other) {
      throw new Error(`invalid CRL PEM: found a '${other.label}' block, expected one '-----BEGIN ${CRL_LABEL}-----' block`);
    }
    if (crls.length !== 1) {
      throw new Error(`invalid CRL PEM: found ${crls.length} '${CRL_LABEL}' blocks, expected one`);
    }
    return CrlSource.fromDer(crls[0].der);
  }

  /**
   * A CRL in DER, base64-encoded (line breaks allowed). A token is wrapped in PEM armour at
   * deployment, unchecked.
   */
  public static fromDerBase64(derBase64: string): CrlSource {
    if (Token.isUnresolved(derBase64)) {
      return new PemCrlSource(`-----BEGIN ${CRL_LABEL}-----\n${derBase64}\n-----END ${CRL_LABEL}-----\n`);
    }
    const compact = derBase64.replace(/\s+/g, '');
    if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new Error(`invalid CRL: ${quote(derBase64, 40)} is not base64, expected base64 of a DER-encoded CRL`);
    }
    return CrlSource.fromDer(Buffer.from(compact, 'base64'));
  }

  /** A CRL file in PEM or DER (as `openssl crl -outform` writes either), read at synthesis. */
  public static fromFile(path: string): CrlSource {
    const data = readSynthFile('CRL', path);
    const text = data.toString('latin1');
    return looksLikePem(text) ? CrlSource.fromPem(text) : CrlSource.fromDer(data);
  }

  private static fromDer(der: Buffer): CrlSource {
    const problem = checkCrlDer(der);
    if (problem) throw new Error(problem);
    const pem = formatPem(CRL_LABEL, der);
    if (pem.length > MAX_CRL_LENGTH) {
      throw new Error(`invalid CRL: ${pem.length} bytes of PEM, Roles Anywhere takes at most ${MAX_CRL_LENGTH}`);
    }
    return new PemCrlSource(pem);
  }

  /** The CRL in PEM. */
  public abstract readonly pem: string;
}

class PemCrlSource extends CrlSource {
  constructor(public readonly pem: string) {
    super();
  }
}
