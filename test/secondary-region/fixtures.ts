// A two-region app as a user writes it: the connector's stack in its primary region, and the
// secondary region's stack built from the connector's plain values.
import { App, Stack } from 'aws-cdk-lib';
import { ConnectorAuthentication, EventBridgeConnector, EventBridgeConnectorProps, SecondaryRegionConnector } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';

export const ACCOUNT = '123456789012';
export const PRIMARY = 'eu-west-1';
export const SECONDARY = 'eu-central-1';
export const ENDPOINT = 'https://orders.example.com/eventbridge/events';

export interface TwoRegionApp {
  readonly app: App;
  readonly primaryStack: Stack;
  readonly secondaryStack: Stack;
  readonly connector: EventBridgeConnector;
  readonly secondary: SecondaryRegionConnector;
}

export function twoRegionApp(props: Partial<EventBridgeConnectorProps> = {}): TwoRegionApp {
  const app = new App();
  const primaryStack = new Stack(app, 'OrdersPrimary', { env: { account: ACCOUNT, region: PRIMARY } });
  const secondaryStack = new Stack(app, 'OrdersSecondary', { env: { account: ACCOUNT, region: SECONDARY } });
  const connector = new EventBridgeConnector(primaryStack, 'Orders', {
    eventBusName: 'orders',
    secondaryRegion: SECONDARY,
    authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA, subjectCommonNames: ['orders-app'] }),
    ...props,
  });
  connector.addReceiver('Receiver', { endpoint: ENDPOINT });
  connector.addQueueReceiver('Inbox');
  const secondary = new SecondaryRegionConnector(secondaryStack, 'Orders', { primary: connector.secondaryRegionAttributes! });
  secondary.addReceiver('Receiver', { endpoint: ENDPOINT });
  secondary.addQueueReceiver('Inbox');
  return { app, primaryStack, secondaryStack, connector, secondary };
}
