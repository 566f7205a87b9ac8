// cdk-eventbridge-connector/runtime: the Node client. Loads without aws-cdk-lib or constructs.
export * from './types';
export * from './errors';
export * from './credentials';
export * from './constants';
export * from './put-events';
export * from './receiver';
