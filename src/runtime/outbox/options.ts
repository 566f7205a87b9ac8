/** Options of `client.outbox()`, checked when it opens. */
import type { OutboxDamage } from './segment-log';
import { InputError } from '../errors';
import type { EventEntry, PutEventsFailure } from '../put-events/types';

export interface OutboxOptions {
  /** Directory of the outbox's files; made when missing. One outbox per directory at a time. */
  readonly directory: string;
  /**
   * Flush each group of writes to the disk (fdatasync) before `add` resolves, so entries survive
   * a power loss or kernel crash too. Without it, entries survive the process being killed
   * (SIGKILL included: the write reached the kernel) but not the machine going down.
   * @default true
   */
  readonly fsync?: boolean;
  /**
   * Most bytes of segment files on disk; `add` rejects with `OutboxFull` past it. The outbox
   * also holds its undelivered entries in memory, so this bounds its memory too.
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Size at which the outbox starts a new segment file; a segment is deleted once all its entries
   * are acknowledged.
   * @default 4194304 (4 MiB), at most maxBytes / 2
   */
  readonly segmentBytes?: number;
  /**
   * Pause before sending again entries whose retries ran out (throttling, a network outage):
   * the outbox never gives up on those.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /** Damage found at startup (a torn or corrupt record, a bad cursor file). @default - logged as a warning */
  readonly onDamage?: (damage: OutboxDamage) => void;
  /**
   * An entry EventBridge refused for good (e.g. `ValidationException`, `AccessDeniedException`);
   * it is removed from the outbox after this call. @default - logged as an error
   */
  readonly onFailed?: (entry: EventEntry, failure: PutEventsFailure) => void;
}

export interface ResolvedOutboxOptions {
  readonly directory: string;
  readonly fsync: boolean;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly retryDelayMs: number;
}

export const DEFAULT_OUTBOX_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_OUTBOX_SEGMENT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_OUTBOX_RETRY_DELAY_MS = 1000;

export function resolveOutboxOptions(options: OutboxOptions, maxRequestBytes: number): ResolvedOutboxOptions {
  if (typeof options !== 'object' || options === null) throw new InputError('missing outbox options: expected { directory }');
  const { directory } = options;
  if (typeof directory !== 'string' || directory === '') {
    throw new InputError(`invalid directory '${String(directory).slice(0, 40)}': expected the path of a directory for the outbox's files`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES;
  // A segment must hold at least one record of the largest valid entry (JSON may escape it to 6x).
  const minSegment = Math.min(maxRequestBytes * 8, 64 * 1024 * 1024);
  check('maxBytes', maxBytes, 2 * minSegment, 2 ** 48, `a whole number of bytes, at least ${2 * minSegment} (two segments of the largest entry)`);
  const segmentBytes = options.segmentBytes ?? Math.min(DEFAULT_OUTBOX_SEGMENT_BYTES, Math.floor(maxBytes / 2));
  check('segmentBytes', segmentBytes, Math.min(minSegment, Math.floor(maxBytes / 2)), Math.min(2 ** 31, Math.floor(maxBytes / 2)), `a whole number of bytes up to maxBytes / 2 (${Math.floor(maxBytes / 2)})`);
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_OUTBOX_RETRY_DELAY_MS;
  check('retryDelayMs', retryDelayMs, 0, 3_600_000, 'a whole number of milliseconds from 0 to 3600000');
  if (options.fsync !== undefined && typeof options.fsync !== 'boolean') {
    throw new InputError(`invalid fsync '${String(options.fsync).slice(0, 40)}': expected true or false`);
  }
  return { directory, fsync: options.fsync ?? true, maxBytes, segmentBytes, retryDelayMs };
}

function check(name: string, value: unknown, min: number, max: number, expected: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`invalid ${name} '${String(value).slice(0, 40)}': expected ${expected}`);
  }
}
