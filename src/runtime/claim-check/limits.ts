/** Bounds of the claim check: how large a payload may be, and how long one S3 request may take. */

/**
 * Largest payload stored or fetched unless told otherwise: 32 MiB. A bound, not S3's (a single
 * PutObject takes 5 GiB): a reader holds the whole payload in memory, twice while it is parsed.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

/** Longest one PutObject or GetObject may take, the body included, unless told otherwise. */
export const DEFAULT_S3_TIMEOUT_MS = 60_000;

/** The signal that aborts when `signal` does or `timeoutMs` passes. */
export function boundedSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
