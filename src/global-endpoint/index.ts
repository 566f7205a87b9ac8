// GlobalEndpoint: an EventBridge global endpoint (AWS::Events::Endpoint) over a primary and a secondary bus, with its health check and replication role.
export * from './global-endpoint-props';
export * from './global-endpoint';
