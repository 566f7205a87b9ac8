// cdk-eventbridge-connector/runtime: the Node client. Loads without aws-cdk-lib or constructs.
export * from './types';
export * from './errors';
export * from './credentials';
export * from './constants';
export * from './put-events';
export * from './producer';
export * from './outbox';
export * from './stats';
export * from './receiver';
export * from './routing';
export * from './consumer';
export * from './activities';
export { ConnectorClient } from './client';
export type { FromParametersOptions } from './client';
export { DEFAULT_SDK_REQUEST_TIMEOUT_MS, DEFAULT_SDK_CONNECT_TIMEOUT_MS, DEFAULT_SDK_MAX_ATTEMPTS } from './client-options';
export type { ConnectorClientOptions, ConnectorClientSettings, ConnectorClients, ServiceEndpoints } from './client-options';
export type { AwsClientLike } from './sdk-config';
