// The props of an EventBridgeConnector, beside the construct (connector.ts) and their checks
// (connector-validation.ts), which both import this file and nothing imports back.
import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { ConnectorActivity, ConnectorAuthentication } from '../access';
import type { ConnectorClaimCheckOptions } from '../claim-check';
import type { HealthCheckAlarmOptions } from '../global-endpoint';

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

  /**
   * Events of any size (claim check): an S3 store for the `detail` of entries over the request
   * limit, the connector's principal allowed to write and read its own key prefix there (which
   * covers both receiving paths: the HTTP receiver and the queue consumer run with that principal),
   * and the contract keys `ClaimCheckBucketName` and `ClaimCheckKeyPrefix`. `{}` makes a new store
   * with the defaults; `{ store }` shares one.
   *
   * @default - no claim check: an entry over the request limit is refused
   */
  readonly claimCheck?: ConnectorClaimCheckOptions;
  // Multi-region (issue 22): a global endpoint and what the secondary region needs.
  /**
   * Makes the connector multi-region: a global endpoint in this stack's region (the primary) that
   * fails over to this region, e.g. `eu-central-1`; the contract gains `EndpointId`,
   * `EndpointArn` and `SecondaryRegion`; the role may send, read the contract and consume the
   * receivers in both regions and is trusted by this region's trust anchors. Deploy a
   * `SecondaryRegionConnector` with `secondaryRegionAttributes` in a stack of this region
   * first. Needs a stack with a literal `env.region`, Roles Anywhere, and a literal
   * `eventBusName` (or an imported bus of this account and region with a literal name); synth
   * fails naming the value otherwise, and for the stack's own region.
   *
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-global-endpoints.html
   * @default - single-region: no global endpoint
   */
  readonly secondaryRegion?: string;

  /**
   * How the global endpoint of a multi-region connector fails over and replicates. Only with
   * `secondaryRegion`.
   *
   * @default - AWS's health check template and replication on (see `ConnectorGlobalEndpointOptions`)
   */
  readonly globalEndpoint?: ConnectorGlobalEndpointOptions;
}

/** The global endpoint of a multi-region connector. */
export interface ConnectorGlobalEndpointOptions {
  /**
   * Name of the endpoint: 1 to 64 letters, digits, `.`, `-` or `_`.
   *
   * @default - a name unique to the construct path
   */
  readonly endpointName?: string;

  /**
   * Id of your own Route 53 health check. Exclusive with `healthCheckAlarm`.
   *
   * @default - a CloudWatch alarm behind a `CLOUDWATCH_METRIC` health check, as AWS documents
   */
  readonly healthCheckId?: string;

  /**
   * The alarm of the default health check.
   *
   * @default - IngestionToInvocationStartLatency above 30 s for 5 minutes, missing data breaching
   */
  readonly healthCheckAlarm?: HealthCheckAlarmOptions;

  /**
   * Whether events are replicated to the secondary region's bus.
   *
   * @default true
   */
  readonly replication?: boolean;

  /**
   * ARN of the secondary region's trust anchor, once that region's stack is deployed (its
   * `TrustAnchorArn` output): the role then trusts sessions of that trust anchor only. A
   * literal ARN must be of `secondaryRegion` (and of the stack's account, when literal).
   *
   * @default - any trust anchor of the account in the secondary region (its ARN is generated
   * there): sessions still need a certificate the trust anchor trusts and that meets the
   * role's certificate conditions
   */
  readonly secondaryTrustAnchorArn?: string;
}
