import { ArnFormat, IResource, Resource, Stack } from 'aws-cdk-lib';
import { CfnCRL } from 'aws-cdk-lib/aws-rolesanywhere';
import type { aws_rolesanywhere as rolesanywhereRefs } from 'aws-cdk-lib/interfaces';
import type { Construct } from 'constructs';
import type { CrlSource } from './crl-source';
import { assertResourceName, defaultResourceName, importedResourceId } from './names';
import type { ITrustAnchor } from './trust-anchor';

/** A certificate revocation list imported into IAM Roles Anywhere. */
export interface ICrl extends IResource, rolesanywhereRefs.ICRLRef {
  /**
   * Identifier (a UUID) of the CRL.
   *
   * @attribute
   */
  readonly crlId: string;

  /**
   * ARN of the CRL.
   *
   * @attribute
   */
  readonly crlArn: string;
}

/** Properties of a {@link Crl}. */
export interface CrlProps {
  /**
   * The trust anchor whose certificates the CRL revokes.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-crl.html#cfn-rolesanywhere-crl-trustanchorarn
   */
  readonly trustAnchor: ITrustAnchor;

  /**
   * The revocation list, from PEM or DER.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-crl.html#cfn-rolesanywhere-crl-crldata
   */
  readonly source: CrlSource;

  /**
   * Name of the CRL: 1 to 255 letters, digits, spaces, `-` and `_`.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-crl.html#cfn-rolesanywhere-crl-name
   * @default - a name unique to the construct path
   */
  readonly crlName?: string;

  /**
   * Whether Roles Anywhere checks certificates against the CRL once deployed.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-crl.html#cfn-rolesanywhere-crl-enabled
   * @default true
   */
  readonly enabled?: boolean;
}

abstract class CrlBase extends Resource implements ICrl {
  public abstract readonly crlId: string;
  public abstract readonly crlArn: string;

  public get crlRef(): rolesanywhereRefs.CRLReference {
    return { crlId: this.crlId };
  }
}

/**
 * A certificate revocation list for a trust anchor.
 *
 * @resource AWS::RolesAnywhere::CRL
 */
export class Crl extends CrlBase {
  /** A CRL defined elsewhere, by its ARN. */
  public static fromCrlArn(scope: Construct, id: string, crlArn: string): ICrl {
    const crlId = importedResourceId(scope, 'crl', crlArn, 'CRL ARN');

    class Import extends CrlBase {
      public readonly crlArn = crlArn;
      public readonly crlId = crlId;
    }
    return new Import(scope, id, { environmentFromArn: crlArn });
  }

  public readonly crlId: string;
  public readonly crlArn: string;

  /** Name of the CRL, given or generated. */
  public readonly crlName: string;

  /** The trust anchor whose certificates the CRL revokes. */
  public readonly trustAnchor: ITrustAnchor;

  constructor(scope: Construct, id: string, props: CrlProps) {
    super(scope, id, { physicalName: props.crlName });
    assertResourceName('CRL', props.crlName);

    this.trustAnchor = props.trustAnchor;
    this.crlName = props.crlName ?? defaultResourceName(this);
    const resource = new CfnCRL(this, 'Resource', {
      name: this.crlName,
      crlData: props.source.pem,
      trustAnchorArn: props.trustAnchor.trustAnchorArn,
      enabled: props.enabled ?? true,
    });
    this.crlId = resource.attrCrlId;
    // CloudFormation returns only the id; the ARN follows the service's layout.
    this.crlArn = Stack.of(this).formatArn({
      service: 'rolesanywhere',
      resource: 'crl',
      resourceName: this.crlId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
