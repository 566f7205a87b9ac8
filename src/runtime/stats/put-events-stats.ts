/**
 * What the client's PutEvents traffic did, counted where it happens: each request (latency, fill,
 * throttles, retries), each entry's final outcome, and what waits in the producer's buffer and in
 * outboxes. Counters only grow; gauges are current values. Names follow OpenTelemetry's semantic
 * style (`eventbridge.put_events.*`) in {@link METRIC_NAMES}, so an exporter maps them one to one.
 */
import { Histogram, HistogramSnapshot } from './histogram';
import { definedOnly } from '../../contract/defined-only';

/** One PutEvents request as it ended, for {@link PutEventsObserver.onRequest}. */
export interface PutEventsRequestRecord {
  /** Entries the request carried. */
  readonly entries: number;
  /** Entries answered with an EventId. */
  readonly acknowledged: number;
  /** Entries (or the whole request) answered with a throttling error. */
  readonly throttled: number;
  /** Entries carried for the second time or more. */
  readonly retried: number;
  /** Milliseconds from sending to the answer or the error. */
  readonly latencyMs: number;
  /** The request's own error code when it failed as a whole, e.g. `ThrottlingException`, `ECONNRESET`. */
  readonly errorCode?: string;
}

/** An entry that ended without an EventId, for {@link PutEventsObserver.onEntryFailed}. */
export interface EntryFailureRecord {
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
}

/** Optional callbacks, called synchronously; keep them cheap. An exception thrown in one is ignored. */
export interface PutEventsObserver {
  onRequest?(record: PutEventsRequestRecord): void;
  onEntryFailed?(record: EntryFailureRecord): void;
}

export interface PutEventsStatsSnapshot {
  /** Counter: PutEvents requests sent (each retry is a request). */
  readonly requests: number;
  /** Counter: entries acknowledged with an EventId. */
  readonly sent: number;
  /** Counter per error code: entries that ended without an EventId. */
  readonly failed: Readonly<Record<string, number>>;
  /** Counter: entries carried again after a retryable failure. */
  readonly retried: number;
  /** Counter: entries answered with a throttling error (whole requests count all their entries). */
  readonly throttled: number;
  /** Gauge: events waiting in the `putEvent` buffer, not yet handed to a request. */
  readonly bufferedEvents: number;
  /** Gauge: bytes (as EventBridge counts them) waiting in the `putEvent` buffer. */
  readonly bufferedBytes: number;
  /** Gauge: entries durable in outboxes and not yet acknowledged. */
  readonly outboxEvents: number;
  /** Gauge: bytes of outbox segment files on disk. */
  readonly outboxBytes: number;
  /** Gauge: the adaptive concurrency limit (requests in flight), when adaptive concurrency is on. */
  readonly concurrencyLimit?: number;
  /** Counter: entries that ended with their last retryable error (e.g. `ThrottlingException`) because the retry budget could not pay for a retry. */
  readonly retryBudgetExhausted: number;
  /** Gauge: tokens left in the client's retry budget (500 when full; a retry takes 5, after a timeout 10). */
  readonly retryTokens: number;
  /** Counter: entries ended by `close()`/`destroy()`: not sent, cut off on the wire, or waiting for a retry. */
  readonly abortedAtClose: number;
  /** Counter: `putEvent` calls refused at once (`BufferFull`) because `maxBufferWaiters` callers already waited for room. */
  readonly refusedWaiters: number;
  /** Gauge: `putEvent` calls waiting for room in the buffer. */
  readonly bufferWaiters: number;
  /** Gauge: the adaptive send rate in entries per second, once `retryMode: 'adaptive'` has seen a throttle. */
  readonly adaptiveRate?: number;
  /** Histogram: entries per request (1 to 10). */
  readonly batchFill: HistogramSnapshot;
  /** Histogram: request latency in milliseconds. */
  readonly requestLatencyMs: HistogramSnapshot;
}

/** OpenTelemetry instrument names and kinds for each field of {@link PutEventsStatsSnapshot}. */
export const METRIC_NAMES = {
  requests: { name: 'eventbridge.put_events.requests', kind: 'counter', unit: '{request}' },
  sent: { name: 'eventbridge.put_events.entries.sent', kind: 'counter', unit: '{entry}' },
  failed: { name: 'eventbridge.put_events.entries.failed', kind: 'counter', unit: '{entry}', attribute: 'error.type' },
  retried: { name: 'eventbridge.put_events.entries.retried', kind: 'counter', unit: '{entry}' },
  throttled: { name: 'eventbridge.put_events.entries.throttled', kind: 'counter', unit: '{entry}' },
  bufferedEvents: { name: 'eventbridge.producer.buffered.entries', kind: 'gauge', unit: '{entry}' },
  bufferedBytes: { name: 'eventbridge.producer.buffered.size', kind: 'gauge', unit: 'By' },
  outboxEvents: { name: 'eventbridge.outbox.entries', kind: 'gauge', unit: '{entry}' },
  outboxBytes: { name: 'eventbridge.outbox.size', kind: 'gauge', unit: 'By' },
  concurrencyLimit: { name: 'eventbridge.put_events.concurrency.limit', kind: 'gauge', unit: '{request}' },
  retryBudgetExhausted: { name: 'eventbridge.put_events.entries.retry_budget_exhausted', kind: 'counter', unit: '{entry}' },
  retryTokens: { name: 'eventbridge.put_events.retry_budget.tokens', kind: 'gauge', unit: '{token}' },
  abortedAtClose: { name: 'eventbridge.put_events.entries.aborted', kind: 'counter', unit: '{entry}' },
  refusedWaiters: { name: 'eventbridge.producer.waiters.refused', kind: 'counter', unit: '{call}' },
  bufferWaiters: { name: 'eventbridge.producer.waiters', kind: 'gauge', unit: '{call}' },
  adaptiveRate: { name: 'eventbridge.put_events.adaptive_rate', kind: 'gauge', unit: '{entry}/s' },
  batchFill: { name: 'eventbridge.put_events.batch.entries', kind: 'histogram', unit: '{entry}' },
  requestLatencyMs: { name: 'eventbridge.put_events.duration', kind: 'histogram', unit: 'ms' },
} as const;

const FILL_BOUNDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const LATENCY_BOUNDS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** A source of a gauge: the producer's buffer, an outbox. */
export interface GaugeSource {
  readonly events: number;
  readonly bytes: number;
}

/** The producer's buffer: its gauges, and the callers waiting for room. */
export interface BufferSource extends GaugeSource {
  readonly waiters: number;
}

/** Counts kept where they happen (the sender, the retry budget), read at snapshot time. */
export interface LimitSources {
  readonly sender: { readonly retryBudgetExhausted: number; readonly abortedAtClose: number };
  readonly retryBudget?: { readonly available: number };
}

export class PutEventsStats {
  public requests = 0;
  public sent = 0;
  public retried = 0;
  public throttled = 0;
  public refusedWaiters = 0;
  public concurrencyLimit?: () => number;
  /** The adaptive rate after the last answer; undefined before the first throttle. */
  public adaptiveRate?: number;
  public limits?: LimitSources;
  public buffer?: BufferSource;
  public readonly outboxes = new Set<GaugeSource>();
  private readonly failed = new Map<string, number>();
  private readonly fill = new Histogram(FILL_BOUNDS);
  private readonly latency = new Histogram(LATENCY_BOUNDS);

  constructor(private readonly observer: PutEventsObserver = {}) {}

  /** Entries sent again in a later call than their first (an outbox's kept entries). */
  public resent(entries: number): void {
    this.retried += entries;
  }

  public request(record: PutEventsRequestRecord): void {
    this.requests++;
    this.sent += record.acknowledged;
    this.retried += record.retried;
    this.throttled += record.throttled;
    this.fill.record(record.entries);
    this.latency.record(record.latencyMs);
    if (this.observer.onRequest) call(() => this.observer.onRequest!(record));
  }

  public entryFailed(record: EntryFailureRecord): void {
    this.failed.set(record.errorCode, (this.failed.get(record.errorCode) ?? 0) + 1);
    if (this.observer.onEntryFailed) call(() => this.observer.onEntryFailed!(record));
  }

  public snapshot(): PutEventsStatsSnapshot {
    let outboxEvents = 0;
    let outboxBytes = 0;
    for (const outbox of this.outboxes) {
      outboxEvents += outbox.events;
      outboxBytes += outbox.bytes;
    }
    return {
      requests: this.requests,
      sent: this.sent,
      failed: Object.fromEntries(this.failed),
      retried: this.retried,
      throttled: this.throttled,
      bufferedEvents: this.buffer?.events ?? 0,
      bufferedBytes: this.buffer?.bytes ?? 0,
      outboxEvents,
      outboxBytes,
      ...(this.concurrencyLimit && { concurrencyLimit: this.concurrencyLimit() }),
      retryBudgetExhausted: this.limits?.sender.retryBudgetExhausted ?? 0,
      retryTokens: this.limits?.retryBudget?.available ?? 0,
      abortedAtClose: this.limits?.sender.abortedAtClose ?? 0,
      refusedWaiters: this.refusedWaiters,
      bufferWaiters: this.buffer?.waiters ?? 0,
      ...definedOnly({ adaptiveRate: this.adaptiveRate === undefined ? undefined : Math.round(this.adaptiveRate) }),
      batchFill: this.fill.snapshot(),
      requestLatencyMs: this.latency.snapshot(),
    };
  }
}

function call(callback: () => void): void {
  try {
    callback();
  } catch {
    // A metrics callback must never break sending.
  }
}
