// PutEvents for any number of events: validation, batching, concurrency and retries.
export * from './types';
export { EventSender } from './sender';
export { putEventsEntrySize } from './entries';
export { MAX_ENTRIES_PER_REQUEST, DEFAULT_MAX_REQUEST_BYTES, LEGACY_MAX_REQUEST_BYTES } from './batcher';
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_INVALID_ENTRIES } from './options';
