/** Options of `client.outbox()`, checked when it opens. */
import { directoryPathProblem } from './directory';
import type { OutboxDamage } from './segment-log';
import { InputError } from '../errors';
import type { EventEntry, PutEventsFailure } from '../put-events/types';

export interface OutboxOptions {
  /**
   * Directory of the outbox's files; made when missing (with its missing parents). One outbox per
   * directory at a time. At most 4095 bytes, names of at most 255 (Linux PATH_MAX and NAME_MAX),
   * no NUL character: checked before any file system call. A directory that cannot be made or
   * written is refused with an `OutboxError` `InvalidOutboxDirectory` saying why.
   */
  readonly directory: string;
  /**
   * Flush each group of writes to the disk (fdatasync) before `add` resolves, so entries survive
   * a power loss or kernel crash too. Without it, entries survive the process being killed
   * (SIGKILL included: the write reached the kernel) but not the machine going down.
   * @default true
   */
  readonly fsync?: boolean;
  /**
   * Most bytes of segment files holding undelivered entries; `add` rejects with `OutboxFull` past
   * it. Delivered segments do not count: they are freed at once (deleted, or truncated to their
   * 8-byte header while an older segment still holds entries; the one being written to is
   * replaced once it is all delivered and holds 64 KiB or more). The outbox also holds its
   * undelivered entries in memory, so this bounds its memory too.
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Most bytes of one segment file: a write that would pass it (even one group of concurrent
   * adds) goes on in a new segment. No record is larger than a segment: the least value, 8x the
   * request limit (2 MiB for EventBridge's 256 KiB), holds the largest valid entry as escaped
   * JSON. A segment is freed once all its entries are acknowledged, and deleted oldest first.
   * @default 4194304 (4 MiB), or 8x the request limit when that is more (8 MiB for the 1 MiB
   *   default), at most maxBytes / 2
   */
  readonly segmentBytes?: number;
  /**
   * Pause before sending again entries whose retries ran out (throttling, a network outage):
   * the outbox never gives up on those.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /**
   * Damage found at startup, once per damaged stretch: a torn, zeroed or corrupt record (skipped,
   * never sent; the records after it are delivered), a bad segment header or cursor file (the
   * segment is read, and sent again from its start), a segment missing, empty or cut inside its
   * header before the newest (its entries cannot be delivered; those of the others are). Counted
   * in `outbox.stats()`.
   * @default - logged as a warning with the file and byte offset
   */
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
  const problem = directoryPathProblem(directory);
  if (problem !== undefined) throw new InputError(problem);
  const maxBytes = options.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES;
  // A segment must hold at least one record of the largest valid entry (JSON may escape it to 6x).
  const minSegment = Math.min(maxRequestBytes * 8, 64 * 1024 * 1024);
  check('maxBytes', maxBytes, 2 * minSegment, 2 ** 48, `a whole number of bytes, at least ${2 * minSegment} (two segments of the largest entry)`);
  const minSegmentBytes = Math.min(minSegment, Math.floor(maxBytes / 2));
  // The default follows the request limit: 8 MiB for the 1 MiB one, 4 MiB below it.
  const segmentBytes = options.segmentBytes ?? Math.min(Math.max(DEFAULT_OUTBOX_SEGMENT_BYTES, minSegmentBytes), Math.floor(maxBytes / 2));
  const maxSegmentBytes = Math.min(2 ** 31, Math.floor(maxBytes / 2));
  check('segmentBytes', segmentBytes, minSegmentBytes, maxSegmentBytes, `a whole number of bytes from ${minSegmentBytes} (a segment holds the largest entry) to maxBytes / 2 (${maxSegmentBytes})`);
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
