// putEvent: single events coalesced into full PutEvents requests, with backpressure and quota controls.
export { PutEventError } from './errors';
export { DEFAULT_FLUSH_WINDOW_MS, DEFAULT_MAX_BUFFERED_EVENTS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_BUFFER_WAIT_MS, DEFAULT_MAX_BUFFER_WAITERS } from './options';
export type { ProducerOptions, QuotaOptions, BackpressurePolicy, RetryMode } from './options';
export { DEFAULT_CLOSE_DEADLINE_MS } from './producer';
export type { CloseOptions } from './producer';
