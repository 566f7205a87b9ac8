// The connector construct family: EventBridgeConnector and its props.
export * from './connector-props';
export * from './connector';
