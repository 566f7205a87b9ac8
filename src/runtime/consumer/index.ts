export { QueueConsumer } from './consumer';
export type { StopResult } from './consumer';
export type { ConsumerOptions } from './options';
export { DEFAULT_CONSUMER_CONCURRENCY, DEFAULT_VISIBILITY_TIMEOUT_SECONDS, DEFAULT_STOP_TIMEOUT_MS, DEFAULT_MAX_MESSAGE_BYTES } from './options';
export type { SqsClientLike } from './sqs';
