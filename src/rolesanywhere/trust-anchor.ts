import { IResource, Resource } from 'aws-cdk-lib';
import { CfnTrustAnchor } from 'aws-cdk-lib/aws-rolesanywhere';
import type { aws_rolesanywhere as rolesanywhereRefs } from 'aws-cdk-lib/interfaces';
import type { Construct } from 'constructs';
import { assertResourceName, defaultResourceName, importedResourceId } from './names';
import { NotificationSetting, renderNotificationSettings } from './notification-settings';
import type { TrustAnchorCertificate } from './trust-anchor-certificate';
import { TrustAnchorSource, TrustAnchorSourceType } from './trust-anchor-source';

/** An IAM Roles Anywhere trust anchor: the CA whose certificates may create sessions. */
export interface ITrustAnchor extends IResource, rolesanywhereRefs.ITrustAnchorRef {
  /**
   * ARN of the trust anchor.
   *
   * @attribute
   */
  readonly trustAnchorArn: string;

  /**
   * Identifier (a UUID) of the trust anchor.
   *
   * @attribute
   */
  readonly trustAnchorId: string;
}

/** Properties of a {@link TrustAnchor}. */
export interface TrustAnchorProps {
  /**
   * The CA certificates the trust anchor trusts.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-trustanchor.html#cfn-rolesanywhere-trustanchor-source
   */
  readonly source: TrustAnchorSource;

  /**
   * Name of the trust anchor: 1 to 255 letters, digits, spaces, `-` and `_`.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-trustanchor.html#cfn-rolesanywhere-trustanchor-name
   * @default - a name unique to the construct path
   */
  readonly trustAnchorName?: string;

  /**
   * Whether the trust anchor accepts certificates once deployed.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-trustanchor.html#cfn-rolesanywhere-trustanchor-enabled
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Custom settings for certificate expiry notifications, at most one per event and channel.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-trustanchor.html#cfn-rolesanywhere-trustanchor-notificationsettings
   * @default - the service's defaults: both events, all channels, 45 days before expiry
   */
  readonly notificationSettings?: NotificationSetting[];
}

abstract class TrustAnchorBase extends Resource implements ITrustAnchor {
  public abstract readonly trustAnchorArn: string;
  public abstract readonly trustAnchorId: string;

  public get trustAnchorRef(): rolesanywhereRefs.TrustAnchorReference {
    return { trustAnchorArn: this.trustAnchorArn, trustAnchorId: this.trustAnchorId };
  }
}

/**
 * An IAM Roles Anywhere trust anchor.
 *
 * @resource AWS::RolesAnywhere::TrustAnchor
 */
export class TrustAnchor extends TrustAnchorBase {
  /** A trust anchor defined elsewhere, by its ARN. */
  public static fromTrustAnchorArn(scope: Construct, id: string, trustAnchorArn: string): ITrustAnchor {
    const trustAnchorId = importedResourceId(scope, 'trust-anchor', trustAnchorArn, 'trust anchor ARN');

    class Import extends TrustAnchorBase {
      public readonly trustAnchorArn = trustAnchorArn;
      public readonly trustAnchorId = trustAnchorId;
    }
    return new Import(scope, id, { environmentFromArn: trustAnchorArn });
  }

  public readonly trustAnchorArn: string;
  public readonly trustAnchorId: string;

  /** Name of the trust anchor, given or generated. */
  public readonly trustAnchorName: string;

  /** Where the trust anchor's CA certificates come from. */
  public readonly sourceType: TrustAnchorSourceType;

  /**
   * The CA certificates of a bundle source, read at synthesis: subjects and expiry, for outputs,
   * alarms and documentation. Empty for an AWS Private CA or a bundle given as a token.
   */
  public readonly certificates: TrustAnchorCertificate[];

  constructor(scope: Construct, id: string, props: TrustAnchorProps) {
    super(scope, id, { physicalName: props.trustAnchorName });
    assertResourceName('trust anchor', props.trustAnchorName);
    const notificationSettings = props.notificationSettings && renderNotificationSettings(props.notificationSettings);

    const source = props.source.bind(this);
    this.sourceType = source.sourceType;
    this.certificates = [...props.source.certificates];
    this.trustAnchorName = props.trustAnchorName ?? defaultResourceName(this);

    const resource = new CfnTrustAnchor(this, 'Resource', {
      name: this.trustAnchorName,
      enabled: props.enabled ?? true,
      source: {
        sourceType: source.sourceType,
        sourceData: source.sourceType === TrustAnchorSourceType.AWS_ACM_PCA
          ? { acmPcaArn: source.acmPcaArn }
          : { x509CertificateData: source.x509CertificateData },
      },
      notificationSettings,
    });
    this.trustAnchorArn = resource.attrTrustAnchorArn;
    this.trustAnchorId = resource.attrTrustAnchorId;
  }
}
