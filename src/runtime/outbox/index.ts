// A durable outbox: entries on local disk before add() resolves, delivered at least once.
export { Outbox } from './outbox';
export { OutboxError } from './errors';
export { DEFAULT_OUTBOX_MAX_BYTES, DEFAULT_OUTBOX_SEGMENT_BYTES, DEFAULT_OUTBOX_RETRY_DELAY_MS } from './options';
export type { OutboxOptions } from './options';
export type { OutboxStats } from './outbox';
export type { OutboxDamage, OutboxDamageCounts } from './segment-log';
