/** Groups entries into PutEvents requests by count and by bytes, keeping their order. */

/** EventBridge takes 1 to 10 entries per PutEvents request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/**
 * PutEvents' request limit, 1 MiB (1,048,576 bytes) since 2026-01-29 ("Amazon EventBridge quotas",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html: "PutEvents ... 1 MB
 * total entry size"). {@link LEGACY_MAX_REQUEST_BYTES} is the limit before that date.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * The 256 KiB (262,144 bytes) limit EventBridge had until 2026-01-29: give it as
 * `maxRequestBytes` for accounts, regions or targets that still cap events there.
 */
export const LEGACY_MAX_REQUEST_BYTES = 256 * 1024;

export interface BatchLimits {
  /** @default 10 */
  readonly maxEntries?: number;
  /**
   * Most bytes per batch, counting each item's `size`.
   * @default 1048576 (1 MiB, PutEvents' request limit)
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
