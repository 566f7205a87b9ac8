import { Token } from 'aws-cdk-lib';
import type * as acmpca from 'aws-cdk-lib/aws-acmpca';
import type { Construct } from 'constructs';
import { checkArn } from '../contract';
import { parseCaBundle } from './certificate-bundle';
import { readSynthFile } from './read-file';
import type { TrustAnchorCertificate } from './trust-anchor-certificate';

/**
 * Where a trust anchor's CA certificates come from.
 *
 * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-source.html#cfn-rolesanywhere-trustanchor-source-sourcetype
 */
export enum TrustAnchorSourceType {
  /** One or two CA certificates given in PEM. */
  CERTIFICATE_BUNDLE = 'CERTIFICATE_BUNDLE',
  /** The root certificate of an AWS Private CA. */
  AWS_ACM_PCA = 'AWS_ACM_PCA',
}

/** What a {@link TrustAnchorSource} puts into the trust anchor's `Source`. */
export interface TrustAnchorSourceConfig {
  /** The kind of source. */
  readonly sourceType: TrustAnchorSourceType;

  /**
   * The PEM CA bundle.
   *
   * @default - none: the source is an AWS Private CA
   */
  readonly x509CertificateData?: string;

  /**
   * ARN of the AWS Private CA.
   *
   * @default - none: the source is a certificate bundle
   */
  readonly acmPcaArn?: string;
}

/**
 * The CA a trust anchor trusts: a PEM bundle of one or two CA certificates, checked at synthesis,
 * or an AWS Private CA.
 */
export abstract class TrustAnchorSource {
  /**
   * One or two CA certificates in PEM. Each must be a CA certificate (basic constraints
   * `CA:TRUE`) valid at synthesis; text between the PEM blocks is dropped.
   *
   * A token (for example a parameter resolved at deploy time) is passed through unchecked.
   */
  public static fromCertificateBundle(pem: string): TrustAnchorSource {
    if (Token.isUnresolved(pem)) return new CertificateBundleSource(pem, []);
    const bundle = parseCaBundle(pem, new Date());
    return new CertificateBundleSource(bundle.pem, bundle.certificates);
  }

  /** One or two CA certificates in PEM, read from a file at synthesis (see {@link fromCertificateBundle}). */
  public static fromCertificateBundleFile(path: string): TrustAnchorSource {
    return TrustAnchorSource.fromCertificateBundle(readSynthFile('certificate bundle', path).toString('utf8'));
  }

  /** The root certificate of an AWS Private CA. */
  public static fromAcmPrivateCa(certificateAuthority: acmpca.ICertificateAuthority): TrustAnchorSource {
    return TrustAnchorSource.fromAcmPrivateCaArn(certificateAuthority.certificateAuthorityArn);
  }

  /** The root certificate of the AWS Private CA with this ARN. */
  public static fromAcmPrivateCaArn(certificateAuthorityArn: string): TrustAnchorSource {
    if (!Token.isUnresolved(certificateAuthorityArn)) {
      const problem = checkArn('acm-pca', certificateAuthorityArn, 'certificate authority ARN');
      if (problem) throw new Error(problem);
    }
    return new AcmPrivateCaSource(certificateAuthorityArn);
  }

  /** The kind of source. */
  public abstract readonly sourceType: TrustAnchorSourceType;

  /**
   * The CA certificates read at synthesis: those of a bundle, empty for an AWS Private CA (whose
   * certificate lives in the service) or a bundle given as a token.
   */
  public abstract readonly certificates: TrustAnchorCertificate[];

  /** Renders the source for the trust anchor that uses it. */
  public abstract bind(scope: Construct): TrustAnchorSourceConfig;
}

class CertificateBundleSource extends TrustAnchorSource {
  public readonly sourceType = TrustAnchorSourceType.CERTIFICATE_BUNDLE;

  constructor(private readonly pem: string, public readonly certificates: TrustAnchorCertificate[]) {
    super();
  }

  public bind(_scope: Construct): TrustAnchorSourceConfig {
    return { sourceType: this.sourceType, x509CertificateData: this.pem };
  }
}

class AcmPrivateCaSource extends TrustAnchorSource {
  public readonly sourceType = TrustAnchorSourceType.AWS_ACM_PCA;
  public readonly certificates: TrustAnchorCertificate[] = [];

  constructor(private readonly acmPcaArn: string) {
    super();
  }

  public bind(_scope: Construct): TrustAnchorSourceConfig {
    return { sourceType: this.sourceType, acmPcaArn: this.acmPcaArn };
  }
}
