import { InputError, messageOf } from '../errors';
import { quietLogger } from '../quiet-logger';
import { DeliveryContext } from '../routing/context';
import { Deduplicator } from '../routing/idempotency';
import { Router } from '../routing/router';
import type { EventHandler } from '../routing/types';
import type { Logger } from '../types';
import { eventOfMessage } from './message';
import { ConsumerOptions, resolveConsumerOptions, ResolvedConsumerOptions } from './options';
import { changeVisibility, deleteMessages, inTens, receiveMessages, SqsClientLike, SqsMessage } from './sqs';

/** What `stop()` did with the messages in hand. */
export interface StopResult {
  /** Messages whose handlers were still running at the stop deadline, made visible again. */
  readonly returned: number;
}

interface InFlight {
  readonly handle: string;
  readonly context: DeliveryContext;
  /** When the message last had its visibility set, in ms since the epoch. */
  extendedAt: number;
  /** Given back to the queue by `stop()`: its outcome no longer decides anything. */
  returned: boolean;
}

/** Pause after a failed ReceiveMessage, so a broken queue or credentials do not spin the loop. */
const RECEIVE_ERROR_PAUSE_MS = 1_000;

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
  private readonly logger?: Logger;
  private readonly inFlight = new Map<string, InFlight>();
  /** Slots promised to receives in progress. */
  private reserved = 0;
  private slotWaiters: (() => void)[] = [];
  private pendingDeletes: string[] = [];
  private deleteScheduled = false;
  private readonly settling = new Set<Promise<unknown>>();
  /** DeleteMessageBatch calls under way: `stop()` resolves only after every one of them. */
  private readonly deleting = new Set<Promise<void>>();
  private controller?: AbortController;
  private pollers: Promise<void>[] = [];
  private heartbeat?: NodeJS.Timeout;
  private stopping?: Promise<StopResult>;

  constructor(private readonly sqs: SqsClientLike, options: ConsumerOptions & { queueUrl: string }) {
    this.options = resolveConsumerOptions(options);
    if (options.idempotency) this.deduplicator = new Deduplicator(options.idempotency === true ? {} : options.idempotency);
    this.logger = quietLogger(options.logger);
  }

  /** Whether the consumer polls. */
  public get running(): boolean {
    return this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Messages whose handlers are running. */
  public get handlersInFlight(): number {
    return this.inFlight.size;
  }

  /** Calls `handler` for every event of this `detail-type`, as the HTTP receiver's `on` does. */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): this {
    this.router.on(detailType, handler);
    return this;
  }

  /** Calls `handler` for every event, whatever its `detail-type`. */
  public onAny(handler: EventHandler): this {
    this.router.onAny(handler);
    return this;
  }

  /**
   * Starts polling. Aborting `signal` stops the consumer as `stop()` does. Starting a running
   * consumer does nothing; a stopped one starts afresh.
   */
  public start(options: { readonly signal?: AbortSignal } = {}): this {
    if (this.running) return this;
    if (this.stopping) throw new InputError('the consumer is stopping: await stop() before starting it again');
    const controller = new AbortController();
    this.controller = controller;
    const pollers = Math.ceil(this.options.concurrency / this.options.batchSize);
    this.pollers = Array.from({ length: pollers }, () => this.poll(controller.signal));
    const intervalMs = this.options.heartbeatIntervalSeconds * 1000;
    this.heartbeat = setInterval(() => void this.extendVisibility(intervalMs), intervalMs);
    this.heartbeat.unref();
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    if (options.signal?.aborted) void this.stop();
    return this;
  }

  /**
   * Stops polling at once (a long poll in progress is aborted), waits up to `stopTimeoutMs` for
   * running handlers, then makes the messages of those still running visible again and aborts
   * their `signal`. Resolves once every finished message is deleted or returned: nothing the
   * consumer received is lost.
   */
  public stop(): Promise<StopResult> {
    this.stopping ??= this.shutdown().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async shutdown(): Promise<StopResult> {
    this.controller?.abort();
    this.wakeSlotWaiters();
    await Promise.all(this.pollers);
    this.pollers = [];
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.stopTimeoutMs);
      });
      await Promise.race([this.allSettled(), deadline]);
      clearTimeout(timer);
    }
    clearInterval(this.heartbeat);
    const left = [...this.inFlight.values()];
    for (const entry of left) {
      entry.returned = true;
      entry.context.abort(new Error('the consumer stopped before the handler finished'));
    }
    await this.giveBack(left.map((e) => e.handle));
    await this.flushDeletes();
    await Promise.all([...this.deleting]);
    return { returned: left.length };
  }

  private async allSettled(): Promise<void> {
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
  }

  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const free = this.options.concurrency - this.inFlight.size - this.reserved;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      const max = Math.min(this.options.batchSize, free);
      this.reserved += max;
      let messages: SqsMessage[];
      try {
        messages = await receiveMessages(this.sqs, { ...this.options, max }, signal);
      } catch (error) {
        if (signal.aborted) break;
        this.logger?.error(`could not receive from ${this.options.queueUrl}: ${messageOf(error)}`);
        await pause(RECEIVE_ERROR_PAUSE_MS, signal);
        continue;
      } finally {
        this.reserved -= max;
      }
      for (const message of messages) this.process(message);
    }
  }

  private process(message: SqsMessage): void {
    const handle = message.ReceiptHandle;
    if (!handle) return;
    const entry: InFlight = { handle, context: new DeliveryContext(), extendedAt: Date.now(), returned: false };
    this.inFlight.set(handle, entry);
    // decide() is meant never to reject, but it runs the caller's handlers: should it reject
    // all the same, the message is left (not deleted, no longer extended, so it comes back
    // or goes to the dead-letter queue) and stop() still finds nothing pending.
    const done = this.decide(message, entry.context).catch((error: unknown) => {
      this.logger?.error(`left message ${message.MessageId ?? '(no message id)'}: handling it failed unexpectedly`, error);
      return false;
    }).then((acknowledge) => {
      this.inFlight.delete(handle);
      this.settling.delete(done);
      if (!entry.returned && acknowledge) this.scheduleDelete(handle);
      this.wakeSlotWaiters();
    });
    this.settling.add(done);
  }

  /** Runs the handlers; true when the message is done with and may be deleted. Never rejects. */
  private async decide(message: SqsMessage, context: DeliveryContext): Promise<boolean> {
    const id = message.MessageId ?? '(no message id)';
    const parsed = eventOfMessage(message, this.options.maxMessageBytes);
    if (!parsed.ok) {
      this.logger?.error(`left message ${id} for the dead-letter queue: ${parsed.reason}`);
      return false;
    }
    const event = parsed.event;
    if (!this.router.handles(event.detailType)) {
      if (this.options.rejectUnknown) {
        this.logger?.warn(`left message ${id} (event ${event.id}) for the dead-letter queue: no handler for detail-type '${event.detailType}'`);
        return false;
      }
      this.logger?.debug?.(`deleted message ${id} (event ${event.id}): no handler for detail-type '${event.detailType}'`);
      return true;
    }
    const run = () => this.router.dispatch(event, context);
    const outcome = this.deduplicator ? await this.deduplicator.run(event.id, run) : await run();
    switch (outcome.kind) {
      case 'failed':
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
  private scheduleDelete(handle: string): void {
    this.pendingDeletes.push(handle);
    if (this.pendingDeletes.length >= 10) {
      void this.flushDeletes();
    } else if (!this.deleteScheduled) {
      this.deleteScheduled = true;
      setImmediate(() => void this.flushDeletes());
    }
  }

  private flushDeletes(): Promise<void> {
    this.deleteScheduled = false;
    const handles = this.pendingDeletes;
    this.pendingDeletes = [];
    const sent = Promise.all(
      inTens(handles).map(async (chunk) => {
        try {
          for (const failure of await deleteMessages(this.sqs, this.options.queueUrl, chunk)) {
            this.logger?.warn(`could not delete a handled message (${failure.reason}): it will be received again`);
          }
        } catch (error) {
          this.logger?.warn(`could not delete ${chunk.length} handled messages (${messageOf(error)}): they will be received again`);
        }
      }),
    ).then(() => undefined);
    this.deleting.add(sent);
    void sent.then(() => this.deleting.delete(sent));
    return sent;
  }

  /** Heartbeat: messages whose handlers run long stay hidden for another visibility timeout. */
  private async extendVisibility(intervalMs: number): Promise<void> {
    const now = Date.now();
    const due = [...this.inFlight.values()].filter((e) => !e.returned && now - e.extendedAt >= intervalMs - 50);
    if (due.length === 0) return;
    for (const entry of due) entry.extendedAt = now;
    await this.changeAll(due.map((e) => e.handle), this.options.visibilityTimeoutSeconds, 'extend the visibility of');
  }

  private giveBack(handles: string[]): Promise<void> {
    return this.changeAll(handles, 0, 'return');
  }

  private async changeAll(handles: string[], seconds: number, what: string): Promise<void> {
    await Promise.all(
      inTens(handles).map(async (chunk) => {
        try {
          for (const failure of await changeVisibility(this.sqs, this.options.queueUrl, chunk, seconds)) {
            this.logger?.warn(`could not ${what} a message (${failure.reason})`);
          }
        } catch (error) {
          this.logger?.warn(`could not ${what} ${chunk.length} messages: ${messageOf(error)}`);
        }
      }),
    );
  }
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
