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
import { promises as fs } from 'node:fs';
import { OutboxError } from './errors';
import { lockDirectory } from './lock';
import type { OutboxOptions, ResolvedOutboxOptions } from './options';
import { encodeRecord, StoredEntry } from './record';
import { Segment, SegmentLog } from './segment-log';
import { PutEventError } from '../producer/errors';
import type { CloseOptions } from '../producer/producer';
import { MAX_ENTRIES_PER_REQUEST } from '../put-events/batcher';
import { PrepareOptions, prepareEntry, putEventsEntrySize } from '../put-events/entries';
import type { EventSender } from '../put-events/sender';
import type { EventEntry, PutEventsFailure, PutEventsRequestEntry, PutEventsResult } from '../put-events/types';
import type { GaugeSource, PutEventsStats } from '../stats/put-events-stats';
import type { Logger } from '../types';

/** What the outbox needs from the client: the engine and its settings. */
export interface OutboxContext {
  readonly sender: EventSender;
  readonly stats: PutEventsStats;
  readonly prepare: PrepareOptions;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly logger?: Logger;
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

export class Outbox implements GaugeSource {
  /**
   * Opens (or creates) the outbox in `options.directory`, reads what a previous run left and
   * starts delivering it. Damaged records are reported through `onDamage` and skipped.
   * @throws OutboxError `OutboxLocked` when another live outbox has the directory
   */
  public static async open(options: OutboxOptions, resolved: ResolvedOutboxOptions, context: OutboxContext): Promise<Outbox> {
    await fs.mkdir(resolved.directory, { recursive: true });
    const unlock = await lockDirectory(resolved.directory);
    try {
      const onDamage = options.onDamage
        ?? ((d) => context.logger?.warn(`outbox: ${d.reason} in ${d.file} at byte ${d.offset}; ${d.bytesSkipped} bytes skipped`));
      const { directory, fsync, segmentBytes } = resolved;
      const { log, records } = await SegmentLog.open({ directory, fsync, segmentBytes, onDamage });
      const outbox = new Outbox(options, resolved, context, log, unlock);
      for (const r of records) outbox.enqueue(r.segment, r.offset, r.end, toEventEntry(r.entry));
      outbox.pump();
      return outbox;
    } catch (error) {
      await unlock();
      throw error;
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
   * Stores the entry; resolves once it is on disk (fsynced, with `fsync`). Rejects with a
   * `PutEventError` `InvalidEntry` for an entry EventBridge would refuse, and with an
   * `OutboxError` `OutboxFull` when it would take disk use past `maxBytes`.
   */
  public add(entry: EventEntry): Promise<void> {
    if (this.closed) return Promise.reject(new OutboxError('OutboxClosed', 'not stored: add was called after close()'));
    const prepared = prepareEntry(entry, 0, this.context.prepare);
    if (typeof prepared === 'string') {
      return Promise.reject(new PutEventError('InvalidEntry', `invalid entry: ${prepared.slice('entry 0: '.length)}`, 0));
    }
    const record = encodeRecord(prepared.request);
    const { maxBytes, directory } = this.resolved;
    if (this.log.diskBytes + this.reservedBytes + record.length > maxBytes) {
      return Promise.reject(new OutboxError('OutboxFull',
        `not stored: the outbox in '${directory}' holds ${this.log.diskBytes + this.reservedBytes} of ${maxBytes} bytes (maxBytes) and the entry needs ${record.length}: expected deliveries to catch up, or a larger maxBytes`));
    }
    this.reservedBytes += record.length;
    this.writesPending++;
    this.undelivered++;
    return this.log.append(record).then(
      ({ segment, offset, end }) => {
        this.reservedBytes -= record.length;
        this.writesPending--;
        this.enqueue(segment, offset, end, toEventEntry(prepared.request), prepared.size);
        this.pump();
      },
      (error: unknown) => {
        this.reservedBytes -= record.length;
        this.writesPending--;
        this.undelivered--;
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
    this.context.sender.send(batch.map((item) => item.entry)).then(
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
function toEventEntry(stored: StoredEntry | PutEventsRequestEntry): EventEntry {
  return {
    source: stored.Source,
    detailType: stored.DetailType,
    detail: stored.Detail,
    ...(stored.EventBusName !== undefined && { eventBusName: stored.EventBusName }),
    ...(stored.Time !== undefined && { time: stored.Time }),
    ...(stored.Resources !== undefined && { resources: stored.Resources }),
    ...(stored.TraceHeader !== undefined && { traceHeader: stored.TraceHeader }),
  };
}

function sizeOf(entry: EventEntry): number {
  return putEventsEntrySize({
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: entry.detail as string,
    ...(entry.time !== undefined && { Time: new Date(0) }),
    ...(entry.resources !== undefined && { Resources: [...entry.resources] }),
  });
}
