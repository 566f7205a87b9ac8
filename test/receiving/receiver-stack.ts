import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
import { ConnectorReceiver, ConnectorReceiverProps } from '../../src/receiving';

export const ENDPOINT = 'https://orders.example.com/eventbridge/events';
export const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A stack with a custom bus, ready for a receiver. */
export function busStack(): { app: App; stack: Stack; bus: events.EventBus } {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: ENV });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'orders' });
  return { app, stack, bus };
}

/** A stack with a custom bus and a receiver on it, with `overrides` applied to the props. */
export function receiverStack(overrides: Partial<ConnectorReceiverProps> = {}) {
  const { app, stack, bus } = busStack();
  const receiver = new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, ...overrides });
  return { app, stack, bus, receiver };
}

/**
 * Logical id of a construct's CloudFormation resource: its default child, or its only
 * CfnResource child (`events.Connection` and `events.ApiDestination` name theirs after the class).
 */
export function logicalIdOf(construct: IConstruct): string {
  const cfn = construct.node.defaultChild ?? construct.node.children.find((c) => CfnResource.isCfnResource(c));
  if (!cfn || !CfnResource.isCfnResource(cfn)) throw new Error(`no CloudFormation resource under ${construct.node.path}`);
  return Stack.of(construct).getLogicalId(cfn);
}
