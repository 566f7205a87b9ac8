// cdk-eventbridge-connector/runtime/lambda: PutEvents for AWS Lambda handlers, without the AWS SDK.
// Everything exported here loads without the SDK; the full client is cdk-eventbridge-connector/runtime.
export { PutEventsClient } from './client';
export type { PutEventsClientOptions } from './client';
export { FunctionEnvironment } from '../../contract/function-environment';
export { PutEventError } from '../producer/errors';
export { ConnectorError, ConstantsError, InputError } from '../errors';
export type { EventEntry, PutEventsOptions, PutEventsResult, PutEventsResultEntry, PutEventsSuccess, PutEventsFailure, InvalidEntriesPolicy } from '../put-events/types';
export { MAX_ENTRIES_PER_REQUEST, DEFAULT_MAX_REQUEST_BYTES, LEGACY_MAX_REQUEST_BYTES } from '../put-events/batcher';
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS } from '../put-events/options';
export type { AwsCredentials, CredentialProvider, CredentialsInput } from '../types';
