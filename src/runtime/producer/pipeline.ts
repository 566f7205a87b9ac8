/**
 * Everything between the client's methods and one PutEvents request: the counted, rate-limited,
 * adaptively limited request function, the engine over it, and (made on first use) the coalescing
 * producer. `putEvents`, `putEvent` and outboxes all go through the same engine and limits, the
 * same retry budget, and the same close signal: once the client closes, no request of it starts.
 */
import { setMaxListeners } from 'node:events';
import { AdaptiveConcurrency } from './adaptive-concurrency';
import { observePutEvents } from './observed-put-events';
import { checkQuotaOptions, ProducerOptions, QuotaOptions, resolveProducerOptions, resolveRetryMode } from './options';
import { CloseOptions, EventProducer } from './producer';
import { RateLimiter } from './rate-limiter';
import type { ClaimCheckOffloader } from '../claim-check/offload';
import { checkKnownKeys, knownKeys } from '../known-keys';
import { OutboxOptions, resolveOutboxOptions } from '../outbox/options';
import { Outbox } from '../outbox/outbox';
import type { PrepareOptions } from '../put-events/entries';
import { ResolvedOptions, resolveOptions } from '../put-events/options';
import { EventSender } from '../put-events/sender';
import type { PutEventsFunction, PutEventsOptions, PutEventsResult } from '../put-events/types';
import { AdaptiveRate } from '../retry/adaptive-rate';
import { INITIAL_RETRY_TOKENS, RetryBudget } from '../retry/retry-budget';
import { PutEventsObserver, PutEventsStats } from '../stats/put-events-stats';
import type { Logger } from '../types';

export interface PipelineOptions {
  readonly putEvents: PutEventsOptions;
  readonly producer?: ProducerOptions;
  readonly quota?: QuotaOptions;
  readonly metrics?: PutEventsObserver;
  readonly logger?: Logger;
}

/** Every key of {@link OutboxOptions}: `client.outbox()` refuses any other. */
const OUTBOX_OPTION_KEYS = knownKeys<OutboxOptions>({
  directory: true, fsync: true, maxBytes: true, segmentBytes: true, retryDelayMs: true, onDamage: true, onFailed: true,
});

/** Something that must be drained before the client closes (an outbox's deliverer). */
export interface Closeable {
  close(options: { deadlineMs: number }): Promise<void>;
}

/** What the producer and outboxes check entries against: the engine's own limits and stamping. */
function prepareOptions(engine: ResolvedOptions): PrepareOptions {
  const { maxRequestBytes, eventBusName, traceCarrier, stampIdempotencyKey } = engine;
  return { maxRequestBytes, eventBusName, traceCarrier, stampIdempotencyKey };
}

export class PutEventsPipeline {
  public readonly stats: PutEventsStats;
  public readonly sender: EventSender;
  /** Open outboxes, closed with the client. */
  public readonly closeables = new Set<Closeable>();
  private producerInstance?: EventProducer;
  private readonly closing = new AbortController();

  constructor(putEvents: PutEventsFunction, private readonly options: PipelineOptions) {
    const engine = resolveOptions(options.putEvents);
    const quota = options.quota ?? {};
    checkQuotaOptions(quota);
    // Checked now so a bad option fails at startup, not at the first putEvent.
    resolveProducerOptions(options.producer, engine.maxRequestBytes);
    this.stats = new PutEventsStats(options.metrics);
    const adaptive = quota.adaptiveConcurrency ? new AdaptiveConcurrency(engine.concurrency) : undefined;
    if (adaptive) this.stats.concurrencyLimit = () => adaptive.limit;
    const rateLimiter = quota.rateLimit !== undefined
      ? new RateLimiter(quota.rateLimit, quota.rateLimitBurst ?? Math.max(10, Math.ceil(quota.rateLimit / 10)))
      : undefined;
    const adaptiveRate = resolveRetryMode(quota) === 'adaptive' ? new AdaptiveRate() : undefined;
    const retryBudget = new RetryBudget(quota.retryTokens ?? INITIAL_RETRY_TOKENS);
    // Every request and backoff of the client listens to it (one listener each).
    setMaxListeners(0, this.closing.signal);
    this.sender = new EventSender(
      observePutEvents(putEvents, { stats: this.stats, rateLimiter, concurrency: adaptive, ...(adaptiveRate && { adaptiveRate }) }),
      options.putEvents,
      { signal: this.closing.signal, retryBudget },
    );
    this.stats.limits = { sender: this.sender.counts, retryBudget };
  }

  /** The coalescing producer behind `putEvent`, made on first use. */
  public get producer(): EventProducer {
    if (!this.producerInstance) {
      const engine = resolveOptions(this.options.putEvents);
      this.producerInstance = new EventProducer(
        this.sender,
        resolveProducerOptions(this.options.producer, engine.maxRequestBytes),
        prepareOptions(engine),
        engine.concurrency,
        this.stats,
      );
      this.stats.buffer = this.producerInstance;
    }
    return this.producerInstance;
  }

  /** `putEvents` through the engine, with final failures counted. */
  public async putEvents(entries: Parameters<EventSender['send']>[0]): Promise<PutEventsResult> {
    const result = await this.sender.send(entries);
    if (result.failedEntryCount > 0) {
      for (const entry of result.entries) if (entry.errorCode !== undefined) this.stats.entryFailed(entry);
    }
    return result;
  }

  /** Opens a durable outbox delivering through this pipeline; it closes with the client. */
  public async outbox(options: OutboxOptions, claimCheck?: ClaimCheckOffloader): Promise<Outbox> {
    const engine = resolveOptions(this.options.putEvents);
    checkKnownKeys(options, OUTBOX_OPTION_KEYS, 'outbox option');
    const resolved = resolveOutboxOptions(options, engine.maxRequestBytes);
    const outbox = await Outbox.open(options, resolved, {
      sender: this.sender,
      stats: this.stats,
      prepare: prepareOptions(engine),
      concurrency: engine.concurrency,
      maxAttempts: engine.maxAttempts,
      logger: this.options.logger,
      claimCheck,
    });
    this.closeables.add(outbox);
    outbox.whenClosed(() => this.closeables.delete(outbox));
    return outbox;
  }

  public async flush(): Promise<void> {
    await this.producerInstance?.flush();
  }

  /**
   * Closes the producer and every outbox within one deadline, then aborts whatever is left: no
   * request of the client is on the wire or starts once this resolves.
   */
  public async close(options: CloseOptions = {}): Promise<void> {
    const deadlineMs = options.deadlineMs ?? 10_000;
    await Promise.all([
      this.producerInstance?.close({ deadlineMs }, this.abort),
      ...[...this.closeables].map((c) => c.close({ deadlineMs })),
    ]);
    this.abort();
  }

  /** Stops every request of the client now: in flight, in backoff, waiting for a limit, or not yet started. */
  public readonly abort = (): void => {
    if (!this.closing.signal.aborted) this.closing.abort();
  };
}
