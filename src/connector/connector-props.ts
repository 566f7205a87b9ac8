// The props of an EventBridgeConnector, beside the construct (connector.ts) and their checks
// (connector-validation.ts), which both import this file and nothing imports back.
import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { ConnectorActivity, ConnectorAuthentication } from '../access';

/** An archive of the events on the connector's bus. */
export interface ConnectorArchiveProps {
  /**
   * How long archived events are kept, in whole days.
   *
   * @default - indefinitely
   */
  readonly retention?: Duration;

  /**
   * Name of the archive.
   *
   * @default - a name CloudFormation generates
   */
  readonly archiveName?: string;

  /**
   * Description of the archive.
   *
   * @default - says which connector the archive belongs to
   */
  readonly description?: string;
}

/** Properties of an {@link EventBridgeConnector}. */
export interface EventBridgeConnectorProps {
  /**
   * An existing event bus to use. Exclusive with `eventBusName`.
   *
   * @default - a new event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * Name of the new event bus. Exclusive with `eventBus`.
   *
   * @default - a name CloudFormation generates
   */
  readonly eventBusName?: string;

  /**
   * Archive the events the bus receives from this account.
   *
   * @default - no archive
   */
  readonly archive?: ConnectorArchiveProps;

  /**
   * How the runtime authenticates.
   *
   * @default - IAM Roles Anywhere, which needs `caCertificates` or `trustAnchor`: give them
   * through `ConnectorAuthentication.rolesAnywhere(...)`
   */
  readonly authentication?: ConnectorAuthentication;

  /**
   * SSM path the contract is written under. Two connectors of one app may not share a path nor
   * nest one under the other (synth fails naming both).
   *
   * @default `/eventbridge-connector/<construct id in lower-case kebab case>` (`Orders` gives
   * `/eventbridge-connector/orders`, `OrdersEU` gives `/eventbridge-connector/orders-eu`)
   */
  readonly parameterPath?: string;

  /**
   * Prefix of the connection and API destination names the connector may manage.
   *
   * 1 to 39 letters, digits, `-` or `_` ended by one `.`, at most 40 characters (EventBridge
   * names have 64; a receiver generates up to 24 after the prefix). The `.` is the delimiter no
   * prefix contains before its end, so the grant on `orders.*` never reaches `orders-eu.conn`,
   * even of a connector in another app. Another shape fails synth, e.g. `orders-` (suggesting
   * `orders.`), and so does a prefix another connector of the app uses too.
   *
   * @default `<construct id in lower-case kebab case>.` (`Orders` gives `orders.`, `OrdersEU`
   * gives `orders-eu.`)
   */
  readonly resourceNamePrefix?: string;

  /**
   * Activities the connector's principal is permitted. READ_PARAMETERS is always added: the
   * runtime reads the contract with the connector's credentials.
   *
   * @default - all activities
   */
  readonly activities?: ConnectorActivity[];
}
