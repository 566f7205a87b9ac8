/**
 * The coalescing front of the engine: `putEvent` calls made close together share PutEvents
 * requests, filled by count (10) and by bytes exactly as `putEvents` fills them, and each caller
 * gets its own entry's EventId or final error.
 *
 * A batch goes out when it is full, or when the flush window of its first event has passed and a
 * request slot is free; while every slot is busy, the open batch keeps filling, so load makes
 * requests fuller rather than queues longer. The buffer (events not yet in a request) is bounded in
 * events and bytes; past that, callers wait or are refused (backpressure).
 */
import { PutEventError } from './errors';
import type { ResolvedProducerOptions } from './options';
import { MAX_ENTRIES_PER_REQUEST } from '../put-events/batcher';
import { PrepareOptions, prepareEntry } from '../put-events/entries';
import type { EventSender } from '../put-events/sender';
import type { EventEntry, PutEventsResult } from '../put-events/types';
import type { GaugeSource, PutEventsStats } from '../stats/put-events-stats';
import { endEntry, traceEntry } from '../tracing/producer-spans';
import type { EntryTrace } from '../tracing/types';

interface Pending {
  readonly entry: EventEntry;
  readonly size: number;
  /** Its create span, from the call to its outcome (when an OpenTelemetry SDK is registered). */
  readonly trace?: EntryTrace;
  readonly resolve: (eventId: string) => void;
  readonly reject: (error: PutEventError) => void;
}

interface Batch {
  readonly items: Pending[];
  readonly bytes: number;
}

interface Waiter {
  readonly pending: Pending;
  timer?: NodeJS.Timeout;
  done: boolean;
}

export interface CloseOptions {
  /**
   * Longest `close` spends sending what is buffered, in milliseconds; then every request still
   * in flight or waiting to be retried is aborted, and every entry not yet acknowledged is
   * rejected: `ProducerClosed` when it was not sent or its request was cut off on the wire (it
   * may or may not have arrived), or its last error (e.g. `ThrottlingException`, "not retried")
   * when it was answered with a retryable error and waited for its retry.
   * @default 10000
   */
  readonly deadlineMs?: number;
}

export const DEFAULT_CLOSE_DEADLINE_MS = 10_000;

/**
 * Longest `close` waits, after aborting, for the requests in flight to hand back their entries'
 * outcomes. The client's transports end an aborted request at once; this bounds a
 * `PutEventsFunction` that ignores its signal.
 */
const ABORT_SETTLE_MS = 1_000;

export class EventProducer implements GaugeSource {
  private open: Pending[] = [];
  private openBytes = 0;
  private readonly ready: Batch[] = [];
  private readonly inFlight = new Set<Batch>();
  private queue: Waiter[] = [];
  private waiterHead = 0;
  /** Waiters not yet admitted, timed out or closed (the array also holds finished ones). */
  private waiting = 0;
  private bufferedEvents = 0;
  private bufferedBytes = 0;
  private timer?: NodeJS.Timeout;
  private due = false;
  private flushing = 0;
  private idle: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly sender: EventSender,
    private readonly options: ResolvedProducerOptions,
    private readonly prepare: PrepareOptions,
    private readonly concurrency: number,
    private readonly stats: PutEventsStats,
  ) {}

  /** Events waiting in the buffer, not yet in a request. */
  public get events(): number {
    return this.bufferedEvents;
  }

  /** Bytes (as EventBridge counts them) waiting in the buffer. */
  public get bytes(): number {
    return this.bufferedBytes;
  }

  /** `putEvent` calls waiting for room in the buffer. */
  public get waiters(): number {
    return this.waiting;
  }

  /** Resolves to the entry's EventId; rejects with a {@link PutEventError} once it finally failed. */
  public putEvent(entry: EventEntry): Promise<string> {
    if (this.closed) {
      return Promise.reject(new PutEventError('ProducerClosed', 'not sent: putEvent was called after close()', 0));
    }
    const prepared = prepareEntry(entry, 0, this.prepare);
    if (typeof prepared === 'string') {
      return Promise.reject(new PutEventError('InvalidEntry', `invalid entry: ${prepared.slice('entry 0: '.length)}`, 0));
    }
    const trace = traceEntry(prepared, this.prepare);
    // A stamped key is fixed now, when the entry is handed over: the sender sends this one.
    const stamped = prepared.idempotencyKey !== undefined && this.prepare.stampIdempotencyKey === true;
    const toSend = stamped ? { ...entry, idempotencyKey: prepared.idempotencyKey } : entry;
    return new Promise<string>((resolve, reject) => {
      const pending: Pending = trace ? {
        entry: toSend,
        size: trace.size,
        trace,
        resolve: (eventId) => {
          endEntry(trace, { eventId });
          resolve(eventId);
        },
        reject: (error) => {
          endEntry(trace, error);
          reject(error);
        },
      } : { entry: toSend, size: prepared.size, resolve, reject };
      if (this.waiterHead < this.queue.length || !this.hasRoom(pending.size)) this.block(pending);
      else this.admit(pending);
    });
  }

  /** Sends everything buffered now, without waiting for flush windows; resolves once nothing is buffered or in flight. */
  public async flush(): Promise<void> {
    this.flushing++;
    try {
      this.pump();
      await this.whenIdle();
    } finally {
      this.flushing--;
    }
  }

  /**
   * Refuses new events, sends what is buffered within the deadline, then rejects every entry not
   * yet acknowledged with `ProducerClosed` (those still in a request may have arrived).
   */
  public async close(options: CloseOptions = {}, abort?: () => void): Promise<void> {
    const deadlineMs = options.deadlineMs ?? DEFAULT_CLOSE_DEADLINE_MS;
    if (!(Number.isFinite(deadlineMs) && deadlineMs >= 0)) {
      throw new PutEventError('InvalidInput', `invalid deadlineMs '${String(deadlineMs).slice(0, 40)}': expected a number of milliseconds, 0 or more`, 0);
    }
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
    });
    const outcome = await Promise.race([this.flush().then(() => 'flushed' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'flushed') return;
    this.failBuffered(deadlineMs);
    if (abort && this.inFlight.size > 0) {
      // Aborted requests answer their entries through the sender: cut off on the wire (may or may
      // not have arrived), or answered with a retryable error and not retried (known not acknowledged).
      abort();
      let settleTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.whenIdle(),
        new Promise<void>((resolve) => {
          settleTimer = setTimeout(resolve, ABORT_SETTLE_MS);
        }),
      ]);
      clearTimeout(settleTimer);
    }
    this.failInFlight(deadlineMs);
  }

  private hasRoom(size: number): boolean {
    return this.bufferedEvents < this.options.maxBufferedEvents && this.bufferedBytes + size <= this.options.maxBufferedBytes;
  }

  private block(pending: Pending): void {
    if (this.options.backpressure === 'reject') {
      pending.reject(new PutEventError('BufferFull', `${this.fullMessage()} and backpressure is 'reject': expected fewer events in flight, a larger buffer, or backpressure 'wait'`, 0));
      return;
    }
    if (this.waiting >= this.options.maxBufferWaiters) {
      this.stats.refusedWaiters++;
      pending.reject(new PutEventError('BufferFull', `${this.fullMessage()} and ${this.waiting} calls already wait for room (maxBufferWaiters ${this.options.maxBufferWaiters}): expected callers to await putEvent, the endpoint to keep up, or a larger buffer`, 0));
      return;
    }
    this.waiting++;
    const waiter: Waiter = { pending, done: false };
    waiter.timer = setTimeout(() => {
      waiter.done = true;
      this.waiting--;
      pending.reject(new PutEventError('BufferFull', `${this.fullMessage()} for ${this.options.maxBufferWaitMs} ms (maxBufferWaitMs): expected the endpoint to keep up, or a larger buffer`, 0));
    }, this.options.maxBufferWaitMs);
    this.queue.push(waiter);
  }

  private fullMessage(): string {
    const { maxBufferedEvents, maxBufferedBytes } = this.options;
    return `not sent: the buffer is full (${this.bufferedEvents} of ${maxBufferedEvents} events, ${this.bufferedBytes} of ${maxBufferedBytes} bytes)`;
  }

  private admit(pending: Pending): void {
    this.bufferedEvents++;
    this.bufferedBytes += pending.size;
    if (this.open.length > 0 && this.openBytes + pending.size > this.prepare.maxRequestBytes) this.seal();
    this.open.push(pending);
    this.openBytes += pending.size;
    if (this.open.length === MAX_ENTRIES_PER_REQUEST) this.seal();
    else if (this.timer === undefined && !this.due) this.timer = setTimeout(this.windowPassed, this.options.flushWindowMs);
    this.pump();
  }

  private readonly windowPassed = (): void => {
    this.timer = undefined;
    this.due = true;
    this.pump();
  };

  private seal(): void {
    if (this.open.length === 0) return;
    this.ready.push({ items: this.open, bytes: this.openBytes });
    this.open = [];
    this.openBytes = 0;
    this.due = false;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private pump(): void {
    while (this.inFlight.size < this.concurrency) {
      if (this.ready.length === 0) {
        if (this.open.length === 0 || !(this.due || this.flushing > 0 || this.closed)) break;
        this.seal();
      }
      this.send(this.ready.shift()!);
    }
    this.checkIdle();
  }

  private send(batch: Batch): void {
    this.inFlight.add(batch);
    this.bufferedEvents -= batch.items.length;
    this.bufferedBytes -= batch.bytes;
    this.admitWaiters();
    this.sender.send(batch.items.map((p) => p.entry), batch.items.some((p) => p.trace) ? batch.items.map((p) => p.trace) : undefined).then(
      (result) => this.answer(batch, result),
      (error: unknown) => {
        for (const p of batch.items) p.reject(new PutEventError('NotSent', `not sent: ${(error as Error)?.message ?? String(error)}`, 0));
      },
    ).finally(() => {
      this.inFlight.delete(batch);
      this.pump();
    });
  }

  private answer(batch: Batch, result: PutEventsResult): void {
    for (let i = 0; i < batch.items.length; i++) {
      const outcome = result.entries[i];
      if (outcome.eventId !== undefined) {
        batch.items[i].resolve(outcome.eventId);
      } else {
        this.stats.entryFailed(outcome);
        batch.items[i].reject(new PutEventError(outcome.errorCode, outcome.errorMessage, outcome.attempts));
      }
    }
  }

  private admitWaiters(): void {
    while (this.waiterHead < this.queue.length) {
      const waiter = this.queue[this.waiterHead];
      if (!waiter.done) {
        if (!this.hasRoom(waiter.pending.size)) return;
        clearTimeout(waiter.timer);
        waiter.done = true;
        this.waiting--;
        this.admit(waiter.pending);
      }
      this.waiterHead++;
    }
    this.queue = [];
    this.waiterHead = 0;
  }

  private whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private isIdle(): boolean {
    return this.bufferedEvents === 0 && this.inFlight.size === 0 && this.waiterHead >= this.queue.length;
  }

  private checkIdle(): void {
    if (this.idle.length === 0 || !this.isIdle()) return;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }

  /** At the deadline: every waiter and buffered entry is rejected, not sent. */
  private failBuffered(deadlineMs: number): void {
    for (; this.waiterHead < this.queue.length; this.waiterHead++) {
      const waiter = this.queue[this.waiterHead];
      if (waiter.done) continue;
      clearTimeout(waiter.timer);
      waiter.done = true;
      waiter.pending.reject(closedError(deadlineMs, 'waited for room in the buffer; it was not sent', 0));
      this.sender.counts.abortedAtClose++;
    }
    this.queue = [];
    this.waiterHead = 0;
    this.waiting = 0;
    for (const batch of [...this.ready, { items: this.open, bytes: this.openBytes }]) {
      for (const p of batch.items) p.reject(closedError(deadlineMs, 'was buffered; it was not sent', 0));
      this.sender.counts.abortedAtClose += batch.items.length;
    }
    this.ready.length = 0;
    this.open = [];
    this.openBytes = 0;
    this.bufferedEvents = 0;
    this.bufferedBytes = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Requests that did not hand back their outcomes after the abort: their entries may or may not have arrived. */
  private failInFlight(deadlineMs: number): void {
    for (const batch of this.inFlight) {
      for (const p of batch.items) p.reject(closedError(deadlineMs, 'was in a request still unanswered; it may or may not have arrived', 1));
      this.sender.counts.abortedAtClose += batch.items.length;
    }
    this.checkIdle();
  }
}

function closedError(deadlineMs: number, where: string, attempts: number): PutEventError {
  return new PutEventError('ProducerClosed', `not acknowledged: close() passed its ${deadlineMs} ms deadline while the entry ${where}`, attempts);
}
