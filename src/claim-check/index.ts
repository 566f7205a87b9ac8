// The claim-check construct family: ClaimCheckStore (the S3 bucket for payloads over the request
// limit) and its props, including the connector's `claimCheck` option.
export * from './claim-check-store-props';
export * from './claim-check-store';
export * from './connector-claim-check';
