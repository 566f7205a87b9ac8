/**
 * A durable outbox: `add` resolves once the entry is in the segment log on local disk; a
 * background deliverer sends what is stored through the same engine as `putEvents`, removes what
 * EventBridge acknowledged, and on the next start resends whatever was not (at-least-once).
 *
 * Why a segment log of our own and not SQLite: better-sqlite3 is a native addon, which the
 * runtime's esbuild bundle cannot carry and a jsii package cannot depend on cleanly (users would
 * have to install and build it); an append-only log with a CRC per record and group-committed
 * fdatasync is a few hundred lines, has no dependency, and does exactly what an outbox needs.
 */
import { directoryError, isFileSystemError, makeDirectory } from './directory';
import { OutboxError } from './errors';
import { lockDirectory } from './lock';
import type { OutboxOptions, ResolvedOutboxOptions } from './options';
import { encodeRecord, MAX_RECORD_BYTES, StoredEntry } from './record';
import { OutboxDamageCounts, Segment, SegmentLog } from './segment-log';
import { splitClaimCheckFlag } from '../claim-check/entry-flag';
import type { ClaimCheckOffloader } from '../claim-check/offload';
import { idempotencyKeyBytes } from '../idempotency-key';
import { PutEventError } from '../producer/errors';
import type { CloseOptions } from '../producer/producer';
import { MAX_ENTRIES_PER_REQUEST } from '../put-events/batcher';
import { PrepareOptions, prepareEntry, putEventsEntrySize } from '../put-events/entries';
import type { EventSender } from '../put-events/sender';
import type { EventEntry, PutEventsFailure, PutEventsRequestEntry, PutEventsResult } from '../put-events/types';
import type { GaugeSource, PutEventsStats } from '../stats/put-events-stats';
import { applyTrace, endEntry, recordTrace, traceEntry } from '../tracing/producer-spans';
import type { Logger } from '../types';

/** What the outbox needs from the client: the engine and its settings. */
export interface OutboxContext {
  readonly sender: EventSender;
  readonly stats: PutEventsStats;
  readonly prepare: PrepareOptions;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly logger?: Logger;
  /**
   * The client's claim check: entries up to its `maxPayloadBytes` are stored whole, and each
   * delivery uploads a large detail (same key every time) before PutEvents; a failed upload
   * keeps the entry, like a failed PutEvents.
   */
  readonly claimCheck?: ClaimCheckOffloader;
}

interface Item {
  readonly segment: Segment;
  readonly offset: number;
  readonly end: number;
  readonly entry: EventEntry;
  readonly size: number;
  /** Sent by this process before (kept after its attempts ran out): counted as retried when sent again. */
  sent?: boolean;
}

/** `outbox.stats()`: gauges of what it holds, counters of the damage it found when it opened. */
export interface OutboxStats extends OutboxDamageCounts {
  /** Gauge: entries stored and not yet acknowledged. */
  readonly events: number;
  /** Gauge: bytes of the outbox's segment files on disk. */
  readonly bytes: number;
  /** Gauge: bytes counted against `maxBytes`: `bytes` less a delivered segment about to be freed. */
  readonly countedBytes: number;
}

export class Outbox implements GaugeSource {
  /**
   * Opens (or creates) the outbox in `options.directory`, reads what a previous run left and
   * starts delivering it. Damaged records are reported through `onDamage` and skipped.
   * @throws OutboxError `OutboxLocked` when another live outbox has the directory
   * @throws OutboxError `InvalidOutboxDirectory` when the directory cannot be made, read or written
   */
  public static async open(options: OutboxOptions, resolved: ResolvedOutboxOptions, context: OutboxContext): Promise<Outbox> {
    const { directory: given } = resolved;
    await makeDirectory(given);
    const unlock = await lockDirectory(given).catch((error: unknown) => {
      throw isFileSystemError(error) ? directoryError(given, error) : error;
    });
    try {
      const onDamage = options.onDamage
        ?? ((d) => context.logger?.warn(`outbox: ${d.reason} in ${d.file} at byte ${d.offset}; ${d.bytesSkipped} bytes skipped, not sent`));
      const { directory, fsync, segmentBytes } = resolved;
      const { log, records } = await SegmentLog.open({ directory, fsync, segmentBytes, onDamage });
      const outbox = new Outbox(options, resolved, context, log, unlock);
      for (const r of records) outbox.enqueue(r.segment, r.offset, r.end, toEventEntry(r.entry, r.entry.ClaimCheck, r.entry.IdempotencyKey));
      outbox.pump();
      return outbox;
    } catch (error) {
      await unlock().catch(() => undefined);
      throw isFileSystemError(error) ? directoryError(given, error) : error;
    }
  }

  private queue: Item[] = [];
  private head = 0;
  private retrying: Item[] = [];
  private retryTimer?: NodeJS.Timeout;
  private inFlight = 0;
  private writesPending = 0;
  private reservedBytes = 0;
  /** Entries added or recovered and not yet acknowledged (or dropped as failed for good). */
  private undelivered = 0;
  private idle: Array<() => void> = [];
  private closed = false;
  private stopped = false;
  private onClosed?: () => void;

  private constructor(
    private readonly options: OutboxOptions,
    private readonly resolved: ResolvedOutboxOptions,
    private readonly context: OutboxContext,
    private readonly log: SegmentLog,
    private readonly unlock: () => Promise<void>,
  ) {
    context.stats.outboxes.add(this);
  }

  /** Entries stored and not yet acknowledged. */
  public get events(): number {
    return this.undelivered;
  }

  /** Bytes of the outbox's segment files. */
  public get bytes(): number {
    return this.log.diskBytes;
  }

  /**
   * What the outbox holds now, and the damage it found on disk when it opened (each damaged
   * stretch counted once, also reported through `onDamage`).
   */
  public stats(): OutboxStats {
    return { events: this.undelivered, bytes: this.log.diskBytes, countedBytes: this.log.countedBytes, ...this.log.damage };
  }

  /**
   * Stores the entry; resolves once it is on disk (fsynced, with `fsync`). Rejects with a
   * `PutEventError` `InvalidEntry` for an entry EventBridge would refuse, and with an
   * `OutboxError` `OutboxFull` when the segments holding undelivered entries would pass
   * `maxBytes` (delivered segments do not count). The entry's `claimCheck` flag is stored with
   * it and honoured on every delivery, as `putEvents` honours it: with the client's claim check,
   * `true` sends the detail through S3 whatever its size, `false` never (an entry over the request
   * limit is then refused here, since it could never be sent).
   */
  public add(entry: EventEntry): Promise<void> {
    if (this.closed) return Promise.reject(new OutboxError('OutboxClosed', 'not stored: add was called after close()'));
    const claimCheck = this.context.claimCheck;
    let flag: boolean | undefined;
    let checked: ReturnType<typeof prepareEntry>;
    let limits = this.context.prepare;
    if (claimCheck) {
      const split = splitClaimCheckFlag(entry);
      if (typeof split === 'string') return Promise.reject(new PutEventError('InvalidEntry', `invalid entry: ${split}`, 0));
      flag = split.flag;
      // Through the claim check, an entry may be as large as a payload the store takes; never
      // through it (`claimCheck: false`), as large as one request carries.
      if (flag !== false) limits = { ...limits, maxRequestBytes: claimCheck.settings.maxPayloadBytes };
      checked = prepareEntry(split.entry, 0, limits);
    } else {
      // Without a claim check, `claimCheck: true` is refused here and `false` changes nothing.
      checked = prepareEntry(entry, 0, limits);
    }
    if (typeof checked === 'string') {
      return Promise.reject(new PutEventError('InvalidEntry', `invalid entry: ${checked.slice('entry 0: '.length)}`, 0));
    }
    // Traced: the record keeps the creation context in its detail (the carrier), for the delivery's link.
    const trace = traceEntry(checked, limits);
    const prepared = trace ? applyTrace(checked, trace) : checked;
    // The key (given, or stamped by prepareEntry) is fixed here: stored, it is the one every delivery sends.
    const record = encodeRecord(prepared.request, flag, prepared.idempotencyKey);
    if (record.length > MAX_RECORD_BYTES) {
      return Promise.reject(new PutEventError('InvalidEntry', `invalid entry: ${record.length} bytes as stored: expected at most ${MAX_RECORD_BYTES}, the largest record an outbox holds (send larger events with putEvents)`, 0));
    }
    const { maxBytes, directory } = this.resolved;
    const held = this.log.countedBytes + this.reservedBytes;
    if (held + record.length > maxBytes) {
      if (trace) endEntry(trace, { errorCode: 'OutboxFull' });
      return Promise.reject(new OutboxError('OutboxFull',
        `not stored: the outbox in '${directory}' holds ${held} of ${maxBytes} bytes (maxBytes) and the entry needs ${record.length}: expected deliveries to catch up, or a larger maxBytes`));
    }
    this.reservedBytes += record.length;
    this.writesPending++;
    this.undelivered++;
    return this.log.append(record).then(
      ({ segment, offset, end }) => {
        this.reservedBytes -= record.length;
        this.writesPending--;
        if (trace) endEntry(trace, {});
        this.enqueue(segment, offset, end, toEventEntry(prepared.request, flag, prepared.idempotencyKey), prepared.size);
        this.pump();
      },
      (error: unknown) => {
        this.reservedBytes -= record.length;
        this.writesPending--;
        this.undelivered--;
        if (trace) endEntry(trace, { errorCode: (error as { code?: string })?.code ?? 'WriteFailed', errorMessage: (error as Error)?.message });
        this.checkIdle();
        throw error;
      },
    );
  }

  /** Resolves once every entry added so far is acknowledged (or reported failed for good). */
  public flush(): Promise<void> {
    if (this.undelivered === 0) return Promise.resolve();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryNow();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Refuses new entries, delivers what it can within `deadlineMs` (10000 by default), then stops
   * and closes its files. What was not acknowledged stays on disk for the next `client.outbox()`.
   */
  public async close(options: CloseOptions = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.deadlineMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.log.close();
    await this.unlock();
    this.context.stats.outboxes.delete(this);
    this.onClosed?.();
  }

  /** Called once the outbox is closed (the client forgets it). */
  public whenClosed(callback: () => void): void {
    this.onClosed = callback;
  }

  private enqueue(segment: Segment, offset: number, end: number, entry: EventEntry, size?: number): void {
    if (size === undefined) this.undelivered++;
    this.queue.push({ segment, offset, end, entry, size: size ?? sizeOf(entry) });
  }

  private pump(): void {
    const { concurrency, prepare } = this.context;
    while (!this.stopped && this.inFlight < concurrency && (this.retryReady() || this.head < this.queue.length)) {
      const source = this.retryReady() ? this.retrying : undefined;
      const batch: Item[] = [];
      let bytes = 0;
      if (source) {
        while (source.length > 0 && batch.length < MAX_ENTRIES_PER_REQUEST) {
          if (batch.length > 0 && bytes + source[0].size > prepare.maxRequestBytes) break;
          const item = source.shift()!;
          batch.push(item);
          bytes += item.size;
        }
      } else {
        while (this.head < this.queue.length && batch.length < MAX_ENTRIES_PER_REQUEST) {
          const item = this.queue[this.head];
          if (batch.length > 0 && bytes + item.size > prepare.maxRequestBytes) break;
          batch.push(item);
          bytes += item.size;
          this.head++;
        }
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
      }
      this.send(batch);
    }
    this.checkIdle();
  }

  private send(batch: Item[]): void {
    let resent = 0;
    for (const item of batch) {
      if (item.sent) resent++;
      else item.sent = true;
    }
    // The engine counts its own retries within a call; an entry sent again in a later call is the
    // outbox's retry, counted here.
    if (resent > 0) this.context.stats.resent(resent);
    this.inFlight++;
    const entries = batch.map((item) => item.entry);
    const traces = batch.map((item) => recordTrace(item.entry.detail));
    const { claimCheck, sender } = this.context;
    const sent = claimCheck
      ? claimCheck.send(entries, (passed, positions) => sender.send(passed, positions.map((i) => traces[i])))
      : sender.send(entries, traces);
    sent.then(
      (result) => this.answer(batch, result),
      () => this.later(batch),
    ).finally(() => {
      this.inFlight--;
      this.pump();
    });
  }

  private answer(batch: Item[], result: PutEventsResult): void {
    if (this.stopped) return;
    const again: Item[] = [];
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      const outcome = result.entries[i];
      if (outcome.eventId !== undefined) {
        this.done(item);
      } else if (outcome.attempts >= this.context.maxAttempts || outcome.retryable === true || outcome.errorCode === 'InvalidResponse') {
        // Retries ran out or were cut short (retry budget, close) on a retryable error, or the
        // answer could not be matched: keep it.
        again.push(item);
      } else {
        this.context.stats.entryFailed(outcome);
        this.failedForGood(item.entry, outcome);
        this.done(item);
      }
    }
    if (again.length > 0) this.later(again);
  }

  private done(item: Item): void {
    this.log.ack(item.segment, item.offset, item.end);
    this.undelivered--;
  }

  private failedForGood(entry: EventEntry, failure: PutEventsFailure): void {
    if (this.options.onFailed) {
      try {
        this.options.onFailed(entry, failure);
      } catch {
        // The entry is reported; a throwing callback must not stop delivery.
      }
    } else {
      this.context.logger?.error(`outbox: entry ${entry.source}/${entry.detailType} refused for good: ${failure.errorCode}: ${failure.errorMessage}`);
    }
  }

  private later(items: Item[]): void {
    // Closed: they stay on disk for the next open; no timer may outlive the outbox.
    if (this.stopped) return;
    this.retrying.push(...items);
    this.retryTimer ??= setTimeout(() => this.retryNow(), this.resolved.retryDelayMs);
  }

  private retryReady(): boolean {
    return this.retryTimer === undefined && this.retrying.length > 0;
  }

  private retryNow(): void {
    this.retryTimer = undefined;
    this.pump();
  }

  private checkIdle(): void {
    if (this.undelivered > 0 || this.writesPending > 0 || this.idle.length === 0) return;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}

/**
 * The entry as stored (or about to be), so what is sent is what is on disk even if the caller
 * changes its object: a request entry read back from a record (`Time` an ISO string) or just
 * written (`Time` a Date).
 */
function toEventEntry(stored: StoredEntry | PutEventsRequestEntry, claimCheck: unknown, idempotencyKey: unknown): EventEntry {
  const entry: EventEntry = {
    source: stored.Source,
    detailType: stored.DetailType,
    detail: stored.Detail,
    eventBusName: stored.EventBusName,
    time: stored.Time,
    resources: stored.Resources,
    traceHeader: stored.TraceHeader,
  };
  // Only a flag the caller gave: an entry without one goes through the claim check by size.
  const flagged = typeof claimCheck === 'boolean' ? { ...entry, claimCheck } : entry;
  // A key that is not a string (a damaged record) is passed on: the sender refuses the entry, naming it.
  return idempotencyKey === undefined ? flagged : { ...flagged, idempotencyKey: idempotencyKey as string };
}

function sizeOf(entry: EventEntry): number {
  const key = typeof entry.idempotencyKey === 'string' ? idempotencyKeyBytes(entry.detail as string, entry.idempotencyKey) : 0;
  return key + putEventsEntrySize({
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: entry.detail as string,
    Time: entry.time === undefined ? undefined : new Date(0),
    Resources: entry.resources === undefined ? undefined : [...entry.resources],
  });
}
