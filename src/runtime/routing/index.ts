export * from './types';
export { Router } from './router';
export type { DispatchOutcome } from './router';
export { MemoryIdempotencyStore, DEFAULT_IDEMPOTENCY_WINDOW_MS, DEFAULT_IDEMPOTENCY_LEASE_MS, DEFAULT_IDEMPOTENCY_MAX_ENTRIES } from './idempotency';
export type { IdempotencyStore, IdempotencyOptions, ClaimResult } from './idempotency';
export { toReceivedEvent } from './event';
export type { ParsedEvent } from './event';
