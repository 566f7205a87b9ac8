import { Duration } from 'aws-cdk-lib';
import type { CfnTrustAnchor } from 'aws-cdk-lib/aws-rolesanywhere';

/**
 * An event Roles Anywhere notifies about through CloudWatch metrics, EventBridge and AWS Health.
 *
 * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-notificationsetting.html#cfn-rolesanywhere-trustanchor-notificationsetting-event
 */
export enum NotificationEvent {
  /** A CA certificate of the trust anchor is about to expire. */
  CA_CERTIFICATE_EXPIRY = 'CA_CERTIFICATE_EXPIRY',
  /** An end-entity certificate used to create sessions is about to expire. */
  END_ENTITY_CERTIFICATE_EXPIRY = 'END_ENTITY_CERTIFICATE_EXPIRY',
}

/**
 * Where a notification setting applies.
 *
 * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-notificationsetting.html#cfn-rolesanywhere-trustanchor-notificationsetting-channel
 */
export enum NotificationChannel {
  /** Every channel: CloudWatch metrics, EventBridge and AWS Health. */
  ALL = 'ALL',
}

/** A custom notification setting of a trust anchor. */
export interface NotificationSetting {
  /** The event the setting applies to. */
  readonly event: NotificationEvent;

  /**
   * How long before the expiry notifications start, in whole days from 1 to 360.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-notificationsetting.html#cfn-rolesanywhere-trustanchor-notificationsetting-threshold
   * @default Duration.days(45) - the threshold of the service's default settings
   */
  readonly threshold?: Duration;

  /**
   * The channel the setting applies to.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-notificationsetting.html#cfn-rolesanywhere-trustanchor-notificationsetting-channel
   * @default NotificationChannel.ALL
   */
  readonly channel?: NotificationChannel;

  /**
   * Whether notifications for the event are sent.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-trustanchor-notificationsetting.html#cfn-rolesanywhere-trustanchor-notificationsetting-enabled
   * @default true
   */
  readonly enabled?: boolean;
}

const MIN_THRESHOLD_DAYS = 1;
const MAX_THRESHOLD_DAYS = 360;
const DEFAULT_THRESHOLD = Duration.days(45);

/**
 * Checks and renders notification settings. One setting per event and channel: the service keys
 * settings by the pair, so a second one would silently replace the first.
 */
export function renderNotificationSettings(settings: NotificationSetting[]): CfnTrustAnchor.NotificationSettingProperty[] {
  const seen = new Set<string>();
  return settings.map((setting) => {
    const channel = setting.channel ?? NotificationChannel.ALL;
    const key = `${setting.event}/${channel}`;
    if (seen.has(key)) {
      throw new Error(`duplicate notification setting for ${setting.event} on channel ${channel}: expected one setting per event and channel`);
    }
    seen.add(key);

    const enabled = setting.enabled ?? true;
    // The service requires a threshold only for an enabled setting; keep a disabled one minimal.
    const threshold = setting.threshold ?? (enabled ? DEFAULT_THRESHOLD : undefined);
    return {
      event: setting.event,
      channel,
      enabled,
      threshold: threshold === undefined ? undefined : thresholdDays(threshold),
    };
  });
}

function thresholdDays(threshold: Duration): number {
  // Duration.days(token) converts; a token in any other unit cannot be checked or converted.
  if (threshold.isUnresolved()) return threshold.toDays();
  const days = threshold.toDays({ integral: false });
  if (!Number.isInteger(days) || days < MIN_THRESHOLD_DAYS || days > MAX_THRESHOLD_DAYS) {
    throw new Error(
      `invalid notification threshold ${threshold.toHumanString()}: expected whole days from ${MIN_THRESHOLD_DAYS} to ${MAX_THRESHOLD_DAYS}`,
    );
  }
  return days;
}
