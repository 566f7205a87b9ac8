// The only code the constructs and the runtime share. It imports nothing from aws-cdk-lib or
// constructs, so the runtime can load it without the construct face.
export * from './parameters';
export * from './arn';
export * from './regions';
export * from './certificate-id';
export * from './names';
export * from './quote';
export * from './resource-name-prefix';
export * from './claim-check';
export * from './function-environment';
