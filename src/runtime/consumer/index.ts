export { QueueConsumer } from './consumer';
export type { ConsumerStats, StopResult } from './consumer';
export type { ConsumerOptions } from './options';
export { DEFAULT_CONSUMER_CONCURRENCY, DEFAULT_VISIBILITY_TIMEOUT_SECONDS, DEFAULT_STOP_TIMEOUT_MS, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_EXTENSION_MS } from './options';
export type { SqsClientLike } from './sqs';
