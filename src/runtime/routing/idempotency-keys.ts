/** The keys of {@link IdempotencyOptions}, refused otherwise by the receiver and the queue consumer. */
import type { IdempotencyOptions } from './idempotency';
import { knownKeys } from '../known-keys';

export const IDEMPOTENCY_OPTION_KEYS = knownKeys<IdempotencyOptions>({ windowMs: true, leaseMs: true, store: true, keyOf: true });
