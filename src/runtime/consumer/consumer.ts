import { quote } from '../../contract/quote';
import { claimCheckResolver } from '../claim-check/resolve';
import { InputError, messageOf } from '../errors';
import { IdempotencyKeyError } from '../idempotency-key';
import { quietLogger } from '../quiet-logger';
import { DeliveryContext } from '../routing/context';
import { Deduplicator, MemoryIdempotencyStore } from '../routing/idempotency';
import { Router } from '../routing/router';
import type { EventHandler } from '../routing/types';
import { endProcess, startProcess, within } from '../tracing/process-spans';
import { endReceive, linkCreation, receiveStarted, startReceive } from '../tracing/receive-spans';
import type { ReceiveTrace } from '../tracing/types';
import type { Logger } from '../types';
import { eventOfMessage } from './message';
import { ConsumerOptions, resolveConsumerOptions, ResolvedConsumerOptions } from './options';
import { checkQueue, queueAttributes } from './queue-check';
import { DeadlineQueue } from './schedule';
import { changeVisibility, deleteMessages, inTens, receiveMessages, SqsClientLike, SqsMessage } from './sqs';

/** What `stop()` did with the messages in hand. */
export interface StopResult {
  /**
   * Messages made visible again (ChangeMessageVisibility 0): those whose handlers were still
   * running at the stop deadline, and those a poll under way when `stop()` began brought back.
   */
  readonly returned: number;
}

/** What a consumer has done since it was made; every count only grows. */
export interface ConsumerStats {
  /** Messages received. */
  readonly received: number;
  /** Messages deleted after their handlers (or as repeats or ignored detail-types). */
  readonly deleted: number;
  /** Deletes SQS refused or that failed (each named in the log with its message id). */
  readonly deleteFailures: number;
  /** Visibility extensions SQS accepted (one per message per heartbeat). */
  readonly extensions: number;
  /**
   * Extensions SQS refused for a handle (handle invalid or expired) while the message's handler
   * still ran: that message is no longer extended. A refusal that comes after the handler
   * finished (its delete overtook the extension) is expected and not counted.
   */
  readonly extensionsRefused: number;
  /** Extensions whose ChangeMessageVisibilityBatch call failed as a whole; they are tried again. */
  readonly extensionFailures: number;
  /** Idempotency claims the store renewed with a heartbeat. */
  readonly claimsRenewed: number;
  /** Messages made visible again by `stop()`. */
  readonly returnedAtStop: number;
  /** Messages whose handlers ran past `maxExtensionMs`: signal aborted, left to redelivery. */
  readonly extensionCapReached: number;
}

interface InFlight {
  readonly handle: string;
  readonly messageId: string;
  readonly context: DeliveryContext;
  /** When its ReceiveMessage answer arrived (performance.now(), ms). */
  readonly receivedAt: number;
  /** When the heartbeat next extends it (performance.now(), ms). */
  due: number;
  /** The key (the idempotency key, or the event id) this delivery holds the idempotency claim of. */
  claim?: string;
  /** The handlers settled: nothing more to extend. */
  settled: boolean;
  /** Given back to the queue by `stop()`: its outcome no longer decides anything. */
  returned: boolean;
  /** No longer extended: SQS refused the handle, or `maxExtensionMs` was reached. */
  dropped: boolean;
  /** `maxExtensionMs` was reached: left to redelivery, never deleted. */
  capped: boolean;
}

/** Pause after a failed ReceiveMessage, so a broken queue or credentials do not spin the loop. */
const RECEIVE_ERROR_PAUSE_MS = 1_000;
/** Messages due this soon after a heartbeat are extended with it, so that extensions go in batches. */
const HEARTBEAT_GATHER_MS = 100;
/** How fast the heartbeat's lead on a late event loop decays per beat once the loop catches up. */
const HEARTBEAT_LEAD_DECAY = 0.8;

/**
 * Receives EventBridge events from an SQS queue (the target of a rule on the connector's bus) and
 * dispatches them by `detail-type`, like the HTTP receiver. A message is deleted once its handlers
 * succeed (or it is a repeat, or an ignored `detail-type`); a handler failure leaves it for
 * redelivery after its visibility timeout, and the queue's redrive policy moves it to the
 * dead-letter queue after `maxReceiveCount` receives. A message that is not JSON, not an
 * EventBridge event or too large is logged with its message id and left to the dead-letter queue.
 *
 * ```ts
 * const consumer = client.consumer({ concurrency: 20 });
 * consumer.on<{ orderId: string }>('OrderPlaced', async (event) => ship(event.detail.orderId));
 * consumer.start();
 * process.on('SIGTERM', () => void consumer.stop());
 * ```
 */
export class QueueConsumer {
  private readonly options: ResolvedConsumerOptions;
  private readonly router = new Router();
  private readonly deduplicator?: Deduplicator;
  /** The consumer of `secondaryQueueUrl`, run beside this one with the same handlers. */
  private readonly secondary?: QueueConsumer;
  private readonly logger?: Logger;
  private readonly inFlight = new Map<string, InFlight>();
  /** Slots promised to receives in progress. */
  private reserved = 0;
  private slotWaiters: (() => void)[] = [];
  private pendingDeletes: InFlight[] = [];
  private deleteScheduled = false;
  private readonly settling = new Set<Promise<unknown>>();
  /** DeleteMessageBatch calls under way: `stop()` resolves only after every one of them. */
  private readonly deleting = new Set<Promise<void>>();
  /** ChangeMessageVisibilityBatch calls of the heartbeat under way. */
  private readonly extending = new Set<Promise<void>>();
  /** Aborted when `stop()` begins: no new receive starts. */
  private controller?: AbortController;
  /** Aborted at the stop deadline: receives still under way are cut. */
  private receiving?: AbortController;
  private pollers: Promise<void>[] = [];
  private readonly schedule = new DeadlineQueue<InFlight>();
  private beatTimer?: NodeJS.Timeout;
  /** When the armed heartbeat timer should fire (performance.now() ms). */
  private beatArmedFor = 0;
  /**
   * How much earlier than their deadline messages are extended: the recent lateness of the
   * heartbeat's own timer. A loaded event loop fires timers late and reads receive answers late,
   * eating the slack between a deadline and the end of the visibility timeout; extending early
   * by what the loop has recently lost keeps that slack (at most three quarters of an interval).
   */
  private beatLeadMs = 0;
  private started?: Promise<void>;
  private stopping?: Promise<StopResult>;
  private returnedByPolls = 0;
  private readonly counts = {
    received: 0,
    deleted: 0,
    deleteFailures: 0,
    extensions: 0,
    extensionsRefused: 0,
    extensionFailures: 0,
    claimsRenewed: 0,
    returnedAtStop: 0,
    extensionCapReached: 0,
  };

  /**
   * @throws InputError naming the first bad option, among them a `heartbeatIntervalSeconds` not
   * below `visibilityTimeoutSeconds` and an idempotency `leaseMs` not above the heartbeat interval
   */
  constructor(private readonly sqs: SqsClientLike, options: ConsumerOptions & { queueUrl: string; secondarySqs?: SqsClientLike }) {
    const { secondaryQueueUrl, secondaryRegion: _secondaryRegion, secondarySqs, ...own } = options;
    this.options = resolveConsumerOptions(own);
    // Both queues' claims in one store, so that an event id seen on either is seen on both.
    const idempotency = options.idempotency === undefined || options.idempotency === false
      ? undefined
      : { ...(options.idempotency === true ? {} : options.idempotency) };
    const shared = idempotency && secondaryQueueUrl !== undefined
      ? { ...idempotency, store: idempotency.store ?? new MemoryIdempotencyStore() }
      : idempotency;
    if (shared) {
      this.deduplicator = new Deduplicator({ ...shared, leaseMs: shared.leaseMs ?? defaultLeaseMs(this.options) });
      const interval = this.options.heartbeatIntervalMs;
      if (shared.leaseMs !== undefined && interval > 0 && this.deduplicator.renews && shared.leaseMs <= interval) {
        throw new InputError(
          `invalid idempotency leaseMs '${shared.leaseMs}': expected above the heartbeat interval (${interval} ms), which renews it; a shorter claim ends while its handler runs and a repeat runs beside it`,
        );
      }
    }
    this.logger = quietLogger(options.logger);
    this.router.resolveDetailWith(claimCheckResolver(options.claimCheck, 'consumer option'));
    if (secondaryQueueUrl !== undefined) {
      if (secondarySqs === undefined) {
        throw new InputError(`invalid secondaryQueueUrl ${quote(secondaryQueueUrl)} without secondarySqs: expected an SQS client of the queue's region too`);
      }
      this.secondary = new QueueConsumer(secondarySqs, { ...own, queueUrl: secondaryQueueUrl, ...(shared && { idempotency: shared }) });
    }
  }

  /** Whether the consumer polls. */
  public get running(): boolean {
    return this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Messages whose handlers are running. */
  public get handlersInFlight(): number {
    return this.inFlight.size + (this.secondary?.handlersInFlight ?? 0);
  }

  /** Counts of what the consumer did (see {@link ConsumerStats}), both queues' added together. */
  public stats(): ConsumerStats {
    const mine = { ...this.counts };
    const other = this.secondary?.stats();
    if (other) for (const key of Object.keys(mine) as Array<keyof ConsumerStats>) mine[key] += other[key];
    return mine;
  }

  /** Calls `handler` for every event of this `detail-type`, as the HTTP receiver's `on` does. */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): this {
    this.router.on(detailType, handler);
    this.secondary?.on(detailType, handler);
    return this;
  }

  /** Calls `handler` for every event, whatever its `detail-type`. */
  public onAny(handler: EventHandler): this {
    this.router.onAny(handler);
    this.secondary?.onAny(handler);
    return this;
  }

  /**
   * Starts polling, once the queue's attributes are checked (see `queueCheck`). Aborting `signal`
   * stops the consumer as `stop()` does. Starting a running consumer does nothing; a stopped one
   * starts afresh.
   */
  public start(options: { readonly signal?: AbortSignal } = {}): this {
    if (this.running) return this;
    if (this.stopping) throw new InputError('the consumer is stopping: await stop() before starting it again');
    const controller = new AbortController();
    const receiving = new AbortController();
    this.controller = controller;
    this.receiving = receiving;
    const started = this.checkQueue();
    this.started = started;
    const pollers = Math.ceil(this.options.concurrency / this.options.batchSize);
    this.pollers = Array.from({ length: pollers }, () => started.then(() => this.poll(controller.signal, receiving.signal), () => undefined));
    started.catch(() => void this.stop());
    if (this.secondary) {
      // A secondary queue the check refuses stops both, as the primary's does.
      this.secondary.start();
      this.secondary.ready().catch(() => void this.stop());
    }
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    if (options.signal?.aborted) void this.stop();
    return this;
  }

  /**
   * Resolves once the consumer polls; rejects with an `InputError` naming the queue's attributes
   * and the consumer's values when the start-up check refused the queue (the consumer is then
   * stopped). Resolves at once for a consumer that was not started.
   */
  public ready(): Promise<void> {
    const mine = this.started ?? Promise.resolve();
    return this.secondary ? Promise.all([mine, this.secondary.ready()]).then(() => undefined) : mine;
  }

  /**
   * Stops: no new receive starts, and a long poll under way may finish until `stopTimeoutMs`
   * (the messages it brings are made visible again at once, unhandled); past that deadline it is
   * aborted. Running handlers have until the same deadline; the messages of those still running
   * then are made visible again and their `signal` aborts. Resolves once every finished message
   * is deleted or returned: nothing the consumer received is lost or left hidden. A long poll
   * aborted at the deadline is the one exception SQS leaves (the answer it was sending is never
   * read): keep `waitTimeSeconds` below `stopTimeoutMs`.
   */
  public stop(): Promise<StopResult> {
    this.stopping ??= Promise.all([this.shutdown(), this.secondary?.stop()])
      .then(([mine, other]) => ({ returned: mine.returned + (other?.returned ?? 0) }))
      .finally(() => {
        this.stopping = undefined;
      });
    return this.stopping;
  }

  private async shutdown(): Promise<StopResult> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.receiving?.abort();
        resolve();
      }, this.options.stopTimeoutMs);
    });
    this.controller?.abort();
    this.wakeSlotWaiters();
    await Promise.all(this.pollers);
    this.pollers = [];
    if (this.inFlight.size > 0) await Promise.race([this.allSettled(), deadline]);
    clearTimeout(timer);
    this.receiving?.abort();
    clearTimeout(this.beatTimer);
    this.beatTimer = undefined;
    this.schedule.clear();
    const left = [...this.inFlight.values()];
    for (const entry of left) {
      entry.returned = true;
      entry.context.abort(new Error('the consumer stopped before the handler finished'));
    }
    await this.giveBack(left);
    await this.flushDeletes();
    await Promise.all([...this.deleting, ...this.extending]);
    const returned = left.length + this.returnedByPolls;
    this.returnedByPolls = 0;
    this.counts.returnedAtStop += left.length;
    return { returned };
  }

  private async allSettled(): Promise<void> {
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
  }

  /** Reads the queue's attributes once; rejects when `queueCheck: 'refuse'` and the check refuses. */
  private async checkQueue(): Promise<void> {
    const leaseMs = this.deduplicator?.leaseMs;
    let findings;
    try {
      const attributes = await queueAttributes(this.sqs, this.options.queueUrl);
      findings = checkQueue(attributes, {
        visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
        renews: this.options.heartbeatIntervalMs > 0 && (this.deduplicator?.renews ?? false),
        leaseMs,
      });
    } catch (error) {
      this.logger?.warn(`could not read the attributes of ${this.options.queueUrl} (${messageOf(error)}): its RedrivePolicy and VisibilityTimeout are not checked`);
      return;
    }
    for (const warning of findings.warnings) this.logger?.warn(`queue ${this.options.queueUrl}: ${warning}`);
    if (findings.refusals.length === 0) return;
    const text = `queue ${this.options.queueUrl}: ${findings.refusals.join('; ')}`;
    if (!this.options.refuseOnQueueCheck) {
      this.logger?.warn(text);
      return;
    }
    this.logger?.error(`${text}: the consumer does not start (queueCheck 'warn' starts it all the same)`);
    throw new InputError(text);
  }

  private async poll(stop: AbortSignal, cut: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const free = this.options.concurrency - this.inFlight.size - this.reserved;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      const max = Math.min(this.options.batchSize, free);
      this.reserved += max;
      let messages: SqsMessage[];
      const startedAt = receiveStarted();
      try {
        messages = await receiveMessages(this.sqs, { ...this.options, max }, cut);
      } catch (error) {
        if (cut.aborted) break;
        this.logger?.error(`could not receive from ${this.options.queueUrl}: ${messageOf(error)}`);
        await pause(RECEIVE_ERROR_PAUSE_MS, stop);
        continue;
      } finally {
        this.reserved -= max;
      }
      this.counts.received += messages.length;
      if (stop.aborted) {
        // stop() began while this poll was under way: what it brought goes back at once.
        await this.returnUnhandled(messages);
        break;
      }
      const receivedAt = performance.now();
      // The receive span stays open while the messages are read (decide() parses each one before
      // its first await), so that it can link their creation contexts; it ends at the answer's time.
      const receive = startReceive(startedAt, this.options.queueUrl, messages.length);
      for (const message of messages) this.process(message, receivedAt, receive);
      endReceive(receive);
    }
  }

  private async returnUnhandled(messages: SqsMessage[]): Promise<void> {
    const entries = messages.filter((m) => m.ReceiptHandle).map((m) => this.entryOf(m, 0));
    if (entries.length === 0) return;
    this.returnedByPolls += entries.length;
    this.counts.returnedAtStop += entries.length;
    await this.giveBack(entries);
  }

  private entryOf(message: SqsMessage, receivedAt: number): InFlight {
    return {
      handle: message.ReceiptHandle!,
      messageId: message.MessageId ?? '(no message id)',
      context: new DeliveryContext(),
      receivedAt,
      due: receivedAt + this.options.heartbeatIntervalMs,
      settled: false,
      returned: false,
      dropped: false,
      capped: false,
    };
  }

  private process(message: SqsMessage, receivedAt: number, receive?: ReceiveTrace): void {
    if (!message.ReceiptHandle) return;
    const entry = this.entryOf(message, receivedAt);
    this.inFlight.set(entry.handle, entry);
    if (this.options.heartbeatIntervalMs > 0) {
      this.schedule.push(entry);
      if (this.beatTimer === undefined) this.armHeartbeat();
    }
    // decide() is meant never to reject, but it runs the caller's handlers: should it reject
    // all the same, the message is left (not deleted, no longer extended, so it comes back
    // or goes to the dead-letter queue) and stop() still finds nothing pending.
    const done = this.decide(message, entry, receive).catch((error: unknown) => {
      this.logger?.error(`left message ${entry.messageId}: handling it failed unexpectedly`, error);
      return false;
    }).then((acknowledge) => {
      entry.settled = true;
      this.inFlight.delete(entry.handle);
      this.settling.delete(done);
      if (!entry.returned && !entry.capped && acknowledge) this.scheduleDelete(entry);
      this.wakeSlotWaiters();
    });
    this.settling.add(done);
  }

  /** Runs the handlers; true when the message is done with and may be deleted. Never rejects. */
  private async decide(message: SqsMessage, entry: InFlight, receive?: ReceiveTrace): Promise<boolean> {
    const id = entry.messageId;
    const parsed = eventOfMessage(message, this.options.maxMessageBytes);
    if (!parsed.ok) {
      this.logger?.error(`left message ${id} for the dead-letter queue: ${parsed.reason}`);
      return false;
    }
    const event = parsed.event;
    if (!this.router.handles(event.detailType)) {
      linkCreation(receive, event);
      if (this.options.rejectUnknown) {
        this.logger?.warn(`left message ${id} (event ${event.id}) for the dead-letter queue: no handler for detail-type '${event.detailType}'`);
        return false;
      }
      this.logger?.debug?.(`deleted message ${id} (event ${event.id}): no handler for detail-type '${event.detailType}'`);
      return true;
    }
    const trace = startProcess(event, this.options, receive);
    const run = () => within(trace, () => this.router.dispatch(event, entry.context));
    const outcome = endProcess(trace, this.deduplicator
      ? await this.deduplicator.runFor(event, run, (key) => {
        entry.claim = key;
      })
      : await run());
    switch (outcome.kind) {
      case 'failed':
        if (outcome.error instanceof IdempotencyKeyError) {
          this.logger?.error(`left message ${id} (event ${event.id}) to be received again: ${outcome.error.message}`);
          return false;
        }
        this.logger?.error(`handler for detail-type '${event.detailType}' failed on event ${event.id} (message ${id}); it will be received again`, outcome.error);
        return false;
      case 'in-flight':
        this.logger?.debug?.(`left message ${id}: event ${event.id} is being handled by another delivery`);
        return false;
      case 'repeat':
        this.logger?.debug?.(`deleted message ${id}: a repeat of event ${event.id}`);
        return true;
      default:
        return true;
    }
  }

  private wakeSlotWaiters(): void {
    const waiters = this.slotWaiters;
    this.slotWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Deletes are gathered for a turn of the event loop and sent ten to a DeleteMessageBatch. */
  private scheduleDelete(entry: InFlight): void {
    this.pendingDeletes.push(entry);
    if (this.pendingDeletes.length >= 10) {
      void this.flushDeletes();
    } else if (!this.deleteScheduled) {
      this.deleteScheduled = true;
      setImmediate(() => void this.flushDeletes());
    }
  }

  private flushDeletes(): Promise<void> {
    this.deleteScheduled = false;
    const entries = this.pendingDeletes;
    this.pendingDeletes = [];
    const sent = Promise.all(
      inTens(entries).map(async (chunk) => {
        try {
          const failures = await deleteMessages(this.sqs, this.options.queueUrl, chunk.map((e) => e.handle));
          this.counts.deleted += chunk.length - failures.length;
          this.counts.deleteFailures += failures.length;
          for (const failure of failures) {
            this.logger?.warn(`could not delete handled message ${idOf(chunk, failure.handle)} (${failure.reason}): it will be received again`);
          }
        } catch (error) {
          this.counts.deleteFailures += chunk.length;
          this.logger?.warn(`could not delete handled messages ${chunk.map((e) => e.messageId).join(', ')} (${messageOf(error)}): they will be received again`);
        }
      }),
    ).then(() => undefined);
    this.deleting.add(sent);
    void sent.then(() => this.deleting.delete(sent));
    return sent;
  }

  /** Sets one timer for the earliest deadline of the heartbeat. */
  private armHeartbeat(): void {
    const next = this.schedule.next;
    if (next === undefined) return;
    this.beatArmedFor = next - this.beatLeadMs;
    this.beatTimer = setTimeout(() => this.beat(), Math.max(0, this.beatArmedFor - performance.now()));
    this.beatTimer.unref();
  }

  /**
   * Heartbeat: each message whose deadline came (one interval after its receive or its last
   * extension) and whose handler still runs is hidden for another visibility timeout, and its
   * idempotency claim renewed with it; past `maxExtensionMs` it is left to redelivery instead.
   */
  private beat(): void {
    this.beatTimer = undefined;
    const now = performance.now();
    const interval = this.options.heartbeatIntervalMs;
    const lateness = Math.max(0, now - this.beatArmedFor);
    this.beatLeadMs = Math.min((interval * 3) / 4, Math.max(lateness, this.beatLeadMs * HEARTBEAT_LEAD_DECAY));
    const extend: InFlight[] = [];
    for (const entry of this.schedule.takeDue(now + Math.min(HEARTBEAT_GATHER_MS, interval / 4) + this.beatLeadMs)) {
      if (entry.settled || entry.returned || entry.dropped) continue;
      if (now - entry.receivedAt >= this.options.maxExtensionMs) {
        this.cap(entry, now);
        continue;
      }
      entry.due = now + interval;
      this.schedule.push(entry);
      extend.push(entry);
      if (entry.claim !== undefined && this.deduplicator) {
        void this.deduplicator.renew(entry.claim).then((renewed) => {
          if (renewed) this.counts.claimsRenewed++;
        });
      }
    }
    if (extend.length > 0) {
      const sent = this.extend(extend);
      this.extending.add(sent);
      void sent.then(() => this.extending.delete(sent));
    }
    this.armHeartbeat();
  }

  private cap(entry: InFlight, now: number): void {
    entry.dropped = true;
    entry.capped = true;
    this.counts.extensionCapReached++;
    this.logger?.warn(
      `message ${entry.messageId}: its handler still runs after maxExtensionMs (${this.options.maxExtensionMs} ms; ${Math.round(now - entry.receivedAt)} ms since its receive): its signal aborts and the message is left to redelivery`,
    );
    entry.context.abort(new Error(`the handler ran past maxExtensionMs (${this.options.maxExtensionMs} ms)`));
  }

  private async extend(entries: InFlight[]): Promise<void> {
    await Promise.all(
      inTens(entries).map(async (chunk) => {
        try {
          const failures = await changeVisibility(this.sqs, this.options.queueUrl, chunk.map((e) => e.handle), this.options.visibilityTimeoutSeconds);
          this.counts.extensions += chunk.length - failures.length;
          for (const failure of failures) {
            const entry = chunk.find((e) => e.handle === failure.handle);
            if (entry?.settled) {
              this.logger?.debug?.(`the extension of message ${entry.messageId} was refused after its handler finished (${failure.reason})`);
              continue;
            }
            if (entry) entry.dropped = true;
            this.counts.extensionsRefused++;
            this.logger?.warn(`could not extend the visibility of message ${idOf(chunk, failure.handle)} (${failure.reason}): it is no longer extended`);
          }
        } catch (error) {
          // The call failed as a whole (network, throttling): the handles may be good, so
          // the next heartbeat tries again.
          this.counts.extensionFailures += chunk.length;
          this.logger?.warn(`could not extend the visibility of messages ${chunk.map((e) => e.messageId).join(', ')}: ${messageOf(error)}`);
        }
      }),
    );
  }

  private async giveBack(entries: InFlight[]): Promise<void> {
    await Promise.all(
      inTens(entries).map(async (chunk) => {
        try {
          for (const failure of await changeVisibility(this.sqs, this.options.queueUrl, chunk.map((e) => e.handle), 0)) {
            this.logger?.warn(`could not return message ${idOf(chunk, failure.handle)} (${failure.reason}): it stays hidden until its visibility timeout ends`);
          }
        } catch (error) {
          this.logger?.warn(`could not return messages ${chunk.map((e) => e.messageId).join(', ')}: ${messageOf(error)}`);
        }
      }),
    );
  }
}

/**
 * The consumer's default claim lease: the heartbeat interval plus three quarters of what is left
 * of the visibility timeout. Renewed with each extension it outlasts the wait for the next one;
 * after a crash it ends a quarter of that rest before the message comes back.
 */
function defaultLeaseMs(options: ResolvedConsumerOptions): number {
  const visibility = options.visibilityTimeoutSeconds * 1000;
  const interval = options.heartbeatIntervalMs > 0 ? options.heartbeatIntervalMs : Math.floor(visibility / 3);
  return Math.max(1, Math.floor(interval + ((visibility - interval) * 3) / 4));
}

function idOf(chunk: readonly InFlight[], handle: string): string {
  return chunk.find((e) => e.handle === handle)?.messageId ?? '(unknown message id)';
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
