// cdk-eventbridge-connector/local: loopback stand-ins for what moto lacks, for offline tests.
export * from './moto';
