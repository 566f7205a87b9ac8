// The reference app's multi-region connector: a primary stack (the connector with a global
// endpoint, its health check and replication role) and the secondary region's stack built from
// the connector's plain values, each receiving through a queue of its region.
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { ConnectorAuthentication, EventBridgeConnector, SecondaryRegionConnector } from '../../src';

/** Where the multi-region connector writes its contract, in both regions. */
export const TWO_REGION_PARAMETER_PATH = '/eventbridge-connector/orders-global';
/** Its bus: a literal name, since the global endpoint routes to the bus of that name in either region. */
export const TWO_REGION_EVENT_BUS_NAME = 'orders-global';
/** Its connections and API destinations' prefix: one per connector of an account (the reference connector has `orders.`). */
export const TWO_REGION_RESOURCE_NAME_PREFIX = 'orders-global.';
export const TWO_REGION_PRIMARY = 'us-east-1';
export const TWO_REGION_SECONDARY = 'us-west-2';

/** Properties of {@link addTwoRegionStacks}. */
export interface TwoRegionStacksProps {
  /** The CA certificates (PEM) both regions' trust anchors trust. */
  readonly caCertificates: string;

  /**
   * The application's client certificate (PEM), pinned through `AWS_ClientCertificateID` in both contracts.
   *
   * @default - no pinned certificate
   */
  readonly clientCertificate?: string;

  /**
   * The account of both stacks.
   *
   * @default - the CLI's account at deploy time (the ARNs of the other region are built with `AWS::AccountId`)
   */
  readonly account?: string;
}

/** The two stacks of the multi-region connector and the constructs in them. */
export interface TwoRegionStacks {
  readonly primaryStack: Stack;
  readonly secondaryStack: Stack;
  readonly connector: EventBridgeConnector;
  readonly secondary: SecondaryRegionConnector;
}

/**
 * Adds `OrdersGlobalPrimary` (us-east-1) and `OrdersGlobalSecondary` (us-west-2) to `app`. The
 * secondary deploys first: the endpoint names its bus, and it names the connector's role by the
 * role's literal name, so neither stack refers to the other.
 */
export function addTwoRegionStacks(app: App, props: TwoRegionStacksProps): TwoRegionStacks {
  const env = (region: string): StackProps['env'] => ({ region, account: props.account });
  const primaryStack = new Stack(app, 'OrdersGlobalPrimary', {
    env: env(TWO_REGION_PRIMARY),
    description: 'Multi-region EventBridge connector, primary region: bus, global endpoint, Roles Anywhere, role, contract, queue receiver',
  });
  const secondaryStack = new Stack(app, 'OrdersGlobalSecondary', {
    env: env(TWO_REGION_SECONDARY),
    description: 'Multi-region EventBridge connector, secondary region: bus of the same name, Roles Anywhere, contract, queue receiver',
  });
  const connector = new EventBridgeConnector(primaryStack, 'Orders', {
    eventBusName: TWO_REGION_EVENT_BUS_NAME,
    parameterPath: TWO_REGION_PARAMETER_PATH,
    resourceNamePrefix: TWO_REGION_RESOURCE_NAME_PREFIX,
    secondaryRegion: TWO_REGION_SECONDARY,
    authentication: ConnectorAuthentication.rolesAnywhere({
      caCertificates: props.caCertificates,
      clientCertificate: props.clientCertificate,
      sessionDuration: Duration.hours(1),
    }),
  });
  connector.addQueueReceiver('Inbox', { sources: ['com.example.orders'] });
  const secondary = new SecondaryRegionConnector(secondaryStack, 'Orders', { primary: connector.secondaryRegionAttributes! });
  secondary.addQueueReceiver('Inbox', { sources: ['com.example.orders'] });
  primaryStack.addStackDependency(secondaryStack);
  return { primaryStack, secondaryStack, connector, secondary };
}
