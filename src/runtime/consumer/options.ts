import type { ReceiveClaimCheckOptions } from '../claim-check/options';
import { InputError } from '../errors';
import { checkKnownKeys, knownKeys } from '../known-keys';
import type { IdempotencyOptions } from '../routing/idempotency';
import { IDEMPOTENCY_OPTION_KEYS } from '../routing/idempotency-keys';
import type { Logger } from '../types';

/** How a {@link QueueConsumer} polls and handles. */
export interface ConsumerOptions {
  /**
   * URL of the queue the connector's rule sends to.
   * @default - the contract's `QueueUrl` (a client from `fromParameters` whose connector has a queue receiver)
   */
  readonly queueUrl?: string;
  /**
   * A second queue polled with the same handlers and the same rules (heartbeat, idempotency,
   * stop), for a multi-region connector: the queue of its secondary region
   * (`SecondaryRegionConnector.addQueueReceiver`), which the secondary region's bus fills while
   * the global endpoint routes there, and with replication always. Each queue gets
   * `concurrency` handlers of its own; `stop()` stops both; idempotency claims of both go to one
   * store (the given one, or one in memory shared by both). It is polled with an SQS client of
   * `secondaryRegion` (made by the connector client; `new QueueConsumer` takes `secondarySqs`).
   * @default - none: the one queue
   */
  readonly secondaryQueueUrl?: string;
  /**
   * The region of `secondaryQueueUrl`, for the connector client's SQS client there.
   * @default - the region in the URL's host (`https://sqs.<region>.amazonaws.com/...`), else the contract's `SecondaryRegion`
   */
  readonly secondaryRegion?: string;
  /**
   * Most handlers running at once; the consumer receives only as many messages as it has free
   * slots, so nothing waits in memory while its visibility timeout runs.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Most messages one ReceiveMessage asks for: 1 to 10 (SQS's limit).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Long polling: how long a ReceiveMessage waits for a message, 0 to 20 seconds (SQS's limit).
   * @default 20
   */
  readonly waitTimeSeconds?: number;
  /**
   * How long a received message stays hidden from other consumers, in seconds (SQS allows up to
   * 43,200), and what the heartbeat extends it to while its handler runs.
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * How long after its receive, then after each extension, a message whose handler still runs
   * has its visibility extended (to `visibilityTimeoutSeconds` from then) and its idempotency
   * claim renewed, in whole seconds. Each message keeps its own deadline, counted from the time
   * its ReceiveMessage answer arrived, so its first extension comes this long after its receive
   * whatever the other messages do. Must be below `visibilityTimeoutSeconds`: the difference is
   * the margin for a late timer and the request's round trip.
   * @default - a third of `visibilityTimeoutSeconds` (333 ms for a timeout of 1 second)
   * @throws InputError when it is not below `visibilityTimeoutSeconds`
   */
  readonly heartbeatIntervalSeconds?: number;
  /**
   * `false` turns the heartbeat off: a message is never extended (nor its claim renewed), so a
   * handler that runs past `visibilityTimeoutSeconds` sees its message delivered again.
   * @default true
   */
  readonly heartbeat?: boolean;
  /**
   * Longest time a message is kept hidden by the heartbeat, from its receive, in milliseconds. At
   * the first heartbeat past it the handler's `signal` aborts and the message is left to
   * redelivery: not extended, not deleted even if the handler then succeeds, its claim no longer
   * renewed. SQS itself refuses to keep a message hidden past 12 hours from its receive
   * (ChangeMessageVisibility, "the maximum visibility timeout").
   * @default 43200000 (12 hours)
   */
  readonly maxExtensionMs?: number;
  /**
   * How long `stop()` waits for running handlers, in milliseconds; the messages of handlers still
   * running then are made visible again at once (ChangeMessageVisibility 0) and their `signal`
   * aborts.
   * @default 10000
   */
  readonly stopTimeoutMs?: number;
  /**
   * Largest message body handled, in bytes; a larger one is logged and left for the dead-letter
   * queue. SQS takes messages of up to 1 MiB (its MaximumMessageSize), which bounds what a rule
   * can deliver to the queue too, so the default handles every message the queue can hold.
   * @default 1048576 (1 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * Events whose detail went through the claim check: fetched from S3 (size and SHA-256 checked)
   * before the handlers run, or handed as the reference (`deliver: 'reference'`). A payload that
   * is missing, altered or over `maxPayloadBytes` fails the delivery like a handler error, naming
   * the key: the message is left, received again, and moved to the dead-letter queue by the
   * queue's redrive policy.
   * @default - the client's claim check (`client.consumer()`), else references reach the handlers as delivered
   */
  readonly claimCheck?: ReceiveClaimCheckOptions;
  /**
   * A `detail-type` no handler is registered for: `ignore` deletes the message, `reject` leaves
   * it for redelivery and then the dead-letter queue.
   * @default 'ignore'
   */
  readonly unknownDetailType?: 'ignore' | 'reject';
  /**
   * Drop repeats by the event's key: `keyOf(event)` when given, else the producer's idempotency
   * key (`event.idempotencyKey`, the same on a global endpoint's replica), else the event's `id`.
   * A repeat within the window is deleted without calling the handlers; one that arrives while the
   * first is handled is left for redelivery, as is a message whose key cannot be had (`keyOf`
   * failed, a malformed `_idempotencyKey`: logged, then the dead-letter queue). `true` uses the defaults.
   * @default - every message calls the handlers
   */
  readonly idempotency?: boolean | IdempotencyOptions;
  /**
   * What to do when the queue's attributes (GetQueueAttributes `VisibilityTimeout` and
   * `RedrivePolicy`, read once at `start()`) show that an idempotency claim left by a crashed
   * process would outlive every redelivery (`maxReceiveCount`): `refuse` stops the consumer and
   * rejects `ready()`, `warn` logs it and goes on. Attributes that cannot be read are logged and
   * do not stop the consumer.
   * @default 'refuse'
   */
  readonly queueCheck?: 'refuse' | 'warn';
  /** Where bad messages and handler errors are reported. @default - nothing is logged */
  readonly logger?: Logger;
}

export interface ResolvedConsumerOptions {
  readonly queueUrl: string;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly waitTimeSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** `heartbeatIntervalSeconds` in milliseconds; 0 when the heartbeat is off. */
  readonly heartbeatIntervalMs: number;
  readonly maxExtensionMs: number;
  readonly stopTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly rejectUnknown: boolean;
  readonly refuseOnQueueCheck: boolean;
}

export const DEFAULT_CONSUMER_CONCURRENCY = 10;
export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** SQS's largest message (MaximumMessageSize, 1 MiB): every message a queue can hold. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** SQS keeps a received message hidden for at most 12 hours (ChangeMessageVisibility). */
export const MAX_VISIBILITY_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_MAX_EXTENSION_MS = MAX_VISIBILITY_MS;

function whole(name: string, value: number | undefined, fallback: number, min: number, max: number, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`invalid ${name} '${String(value).slice(0, 32)}': expected a whole number of ${unit} from ${min} to ${max}`);
  }
  return value;
}

const CONSUMER_OPTION_KEYS = knownKeys<ConsumerOptions>({
  queueUrl: true,
  secondaryQueueUrl: true,
  secondaryRegion: true,
  concurrency: true,
  batchSize: true,
  waitTimeSeconds: true,
  visibilityTimeoutSeconds: true,
  heartbeatIntervalSeconds: true,
  heartbeat: true,
  maxExtensionMs: true,
  stopTimeoutMs: true,
  maxMessageBytes: true,
  unknownDetailType: true,
  idempotency: true,
  claimCheck: true,
  queueCheck: true,
  logger: true,
});

/** Checks the options at construction, naming the first unknown key or bad value. */
export function resolveConsumerOptions(options: ConsumerOptions & { queueUrl: string }): ResolvedConsumerOptions {
  checkKnownKeys(options, CONSUMER_OPTION_KEYS, 'consumer option');
  checkKnownKeys(options.idempotency, IDEMPOTENCY_OPTION_KEYS, 'consumer option', 'idempotency.');
  let url: URL | undefined;
  try {
    url = new URL(options.queueUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname.split('/').filter(Boolean).length !== 2) {
    throw new InputError(`invalid queueUrl '${String(options.queueUrl).slice(0, 96)}': expected an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/orders`);
  }
  const visibility = whole('visibilityTimeoutSeconds', options.visibilityTimeoutSeconds, DEFAULT_VISIBILITY_TIMEOUT_SECONDS, 1, 43_200, 'seconds');
  if (options.heartbeat !== undefined && typeof options.heartbeat !== 'boolean') {
    throw new InputError(`invalid heartbeat '${String(options.heartbeat).slice(0, 32)}': expected true or false`);
  }
  const given = options.heartbeatIntervalSeconds;
  if (given !== undefined && Number.isSafeInteger(given) && given >= visibility) {
    throw new InputError(`invalid heartbeatIntervalSeconds '${given}': expected below visibilityTimeoutSeconds (${visibility}), or a message could reappear before its first extension`);
  }
  const heartbeatMs = given === undefined ? Math.floor((visibility * 1000) / 3) : whole('heartbeatIntervalSeconds', given, 0, 1, visibility - 1, 'seconds') * 1000;
  const check = options.queueCheck ?? 'refuse';
  if (check !== 'refuse' && check !== 'warn') {
    throw new InputError(`invalid queueCheck '${String(check).slice(0, 32)}': expected 'refuse' or 'warn'`);
  }
  const unknown = options.unknownDetailType ?? 'ignore';
  if (unknown !== 'ignore' && unknown !== 'reject') {
    throw new InputError(`invalid unknownDetailType '${String(unknown).slice(0, 32)}': expected 'ignore' or 'reject'`);
  }
  return {
    queueUrl: options.queueUrl,
    concurrency: whole('concurrency', options.concurrency, DEFAULT_CONSUMER_CONCURRENCY, 1, 10_000, 'handlers'),
    batchSize: whole('batchSize', options.batchSize, 10, 1, 10, 'messages'),
    waitTimeSeconds: whole('waitTimeSeconds', options.waitTimeSeconds, 20, 0, 20, 'seconds'),
    visibilityTimeoutSeconds: visibility,
    heartbeatIntervalMs: options.heartbeat === false ? 0 : heartbeatMs,
    maxExtensionMs: whole('maxExtensionMs', options.maxExtensionMs, DEFAULT_MAX_EXTENSION_MS, 1000, MAX_VISIBILITY_MS, 'milliseconds'),
    stopTimeoutMs: whole('stopTimeoutMs', options.stopTimeoutMs, DEFAULT_STOP_TIMEOUT_MS, 0, 15 * 60_000, 'milliseconds'),
    maxMessageBytes: whole('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES, 1, 1024 * 1024, 'bytes'),
    rejectUnknown: unknown === 'reject',
    refuseOnQueueCheck: check === 'refuse',
  };
}
