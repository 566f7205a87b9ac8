// cdk-eventbridge-connector/local: loopback stand-ins for what moto lacks, for offline tests.
export * from './moto';
export * from './certificates';
export * from './rolesanywhere-service';
export * from './eventbridge-endpoint';
export * from './api-destination-delivery';
export * from './deploy';
export * from './sigv4a-verifier';
export * from './global-endpoint';
export * from './region-outage';
