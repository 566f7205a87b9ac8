/** Groups entries into PutEvents requests by count and by bytes, keeping their order. */

/** EventBridge takes 1 to 10 entries per PutEvents request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/** The request-size limit EventBridge had until January 2026 (now 1 MiB): safe everywhere. */
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;

export interface BatchLimits {
  /** @default 10 */
  readonly maxEntries?: number;
  /**
   * Most bytes per batch, counting each item's `size`.
   * @default 262144 (256 KiB)
   */
  readonly maxBytes?: number;
}

/**
 * Yields consecutive batches of `items`, each of at most `maxEntries` items whose sizes add up
 * to at most `maxBytes`. Lazy, so a long input is never copied whole. An item larger than
 * `maxBytes` on its own would still go out alone; callers refuse such items before batching.
 */
export function* batches<T extends { readonly size: number }>(items: Iterable<T>, limits: BatchLimits = {}): Generator<T[]> {
  const maxEntries = limits.maxEntries ?? MAX_ENTRIES_PER_REQUEST;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length > 0 && (batch.length === maxEntries || bytes + item.size > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.size;
  }
  if (batch.length > 0) yield batch;
}
