/**
 * What the connector's principal may do, one group of IAM permissions each. The runtime's
 * activities map onto these groups; a principal is given only the groups it is meant to use.
 */
export enum ConnectorActivity {
  /** `events:PutEvents` on the connector's event bus. */
  SEND_EVENTS = 'SEND_EVENTS',

  /**
   * Create, update and describe connections and API destinations whose names start with the
   * connector's resource name prefix, with the Secrets Manager permissions EventBridge needs from
   * the caller to keep a connection's credentials.
   */
  MANAGE_DESTINATIONS = 'MANAGE_DESTINATIONS',

  /** `events:DescribeEventBus` on the connector's bus and `events:ListEventBuses`. */
  INSPECT = 'INSPECT',

  /** Read the connector's own SSM parameter path (the contract). */
  READ_PARAMETERS = 'READ_PARAMETERS',
}
