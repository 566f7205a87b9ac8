/**
 * Names from OpenTelemetry's messaging semantic conventions (registry, "messaging" attributes and
 * metrics), and the few of our own, in one place. The registry has no `messaging.system` value for
 * EventBridge; `aws.eventbridge` follows the form of its newer AWS values (`aws.sns`).
 */

/** The instrumentation scope of every tracer and meter: the package's name. */
export const SCOPE = 'cdk-eventbridge-connector';

export const MESSAGING_SYSTEM = 'aws.eventbridge';

/** The registry's value for SQS: the system a queue consumer's receive spans talk to. */
export const SQS_MESSAGING_SYSTEM = 'aws_sqs';

export const ATTR = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  errorType: 'error.type',
  queueUrl: 'aws.sqs.queue.url',
  /** Ours: the PutEvents attempt a request or an entry is on (1 for the first). */
  attempt: 'aws.eventbridge.put_events.attempt',
  /** Ours: the entry's `detail-type`, the key events are routed by. */
  detailType: 'aws.eventbridge.detail_type',
} as const;

/** Span events: what happened to an entry or a delivery on its way, without a span of its own. */
export const EVENT = {
  /** An entry is carried again by a PutEvents request (`aws.eventbridge.put_events.attempt` > 1). */
  retry: 'aws.eventbridge.put_events.retry',
  /** EventBridge answered the entry with an error (`error.type` its code, e.g. `ThrottlingException`). */
  entryError: 'aws.eventbridge.put_events.entry_error',
  /** The request carrying the entry failed as a whole (`error.type`: its code, e.g. `ECONNRESET`). */
  requestError: 'aws.eventbridge.put_events.request_error',
  /** The entry went without the trace carrier (`reason`: `size` or `key-in-use`). */
  carrierDropped: 'aws.eventbridge.trace_carrier.dropped',
  /** The delivery was a repeat of a handled event: acknowledged without calling the handlers. */
  repeat: 'aws.eventbridge.idempotency.repeat',
  /** Another delivery of the same event is being handled: this one is left to come again. */
  inFlight: 'aws.eventbridge.idempotency.in_flight',
} as const;

/** Instruments from the messaging metrics conventions; durations in seconds, as they say. */
export const METRIC = {
  operationDuration: 'messaging.client.operation.duration',
  sentMessages: 'messaging.client.sent.messages',
  consumedMessages: 'messaging.client.consumed.messages',
  processDuration: 'messaging.process.duration',
} as const;
