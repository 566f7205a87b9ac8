// The SSM contract construct family: ConnectorParameters and the keys it writes.
export * from './connector-parameters';
export * from './parameter-keys';
