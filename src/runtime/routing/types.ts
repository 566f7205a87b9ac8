/**
 * An event as EventBridge delivers it, through an API destination or an SQS queue: the envelope
 * with camelCase names. `detail` is typed by the handler that receives it; nothing checks its
 * shape at run time.
 */
export interface ReceivedEvent<TDetail = unknown> {
  /**
   * The event's id; EventBridge delivers at least once, so handlers can use it to drop repeats.
   * A copy a global endpoint replicated to the other region may have another id: use
   * {@link ReceivedEvent.idempotencyKey} there.
   */
  readonly id: string;
  /**
   * The producer's idempotency key (the entry's `idempotencyKey`, or the one `stampIdempotencyKey`
   * gave it), the same on every copy of the event: taken out of `detail._idempotencyKey`, so
   * `detail` is as the producer gave it. The receivers' `idempotency` deduplicates on it.
   * @default - absent: the event carries no key (its producer did not give one)
   */
  readonly idempotencyKey?: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: TDetail;
  /** ISO 8601 time the event was put, as delivered. */
  readonly time: string;
  readonly account: string;
  readonly region: string;
  readonly resources: readonly string[];
  /** The whole JSON body, for fields the envelope above does not name (`version`, extensions). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** What a handler is told besides the event. */
export interface HandlerContext {
  /**
   * Aborted when the receiver gives up on the handler: its deadline passed (HTTP) or the consumer
   * stopped and its stop deadline passed (queue). Pass it to the calls the handler makes.
   */
  readonly signal: AbortSignal;
}

/**
 * Handles one delivered event. A throw or a rejection means the event is delivered again: the
 * HTTP receiver answers 500 so EventBridge retries, the queue consumer leaves the message in the
 * queue.
 */
export type EventHandler<TDetail = unknown> = (event: ReceivedEvent<TDetail>, context: HandlerContext) => void | Promise<void>;
