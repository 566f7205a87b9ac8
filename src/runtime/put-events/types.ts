/**
 * Types of PutEvents as the runtime sees it. The `Put*Request*`/`*Response` shapes are structural
 * copies of the AWS SDK's, so an `EventBridgeClient` plugs in without our declarations naming
 * `@aws-sdk/*`.
 */

/** One event as callers give it. */
export interface EventEntry {
  /** Who sent the event, e.g. `com.example.orders`; 1 to 256 characters, not starting with `aws.`. */
  readonly source: string;
  /** What kind of event it is, e.g. `OrderPlaced`; 1 to 128 characters. */
  readonly detailType: string;
  /** A JSON object, or a string holding one. */
  readonly detail: object | string;
  /**
   * The bus, by name or ARN.
   * @default - the sender's `eventBusName` option, else the account's default bus
   */
  readonly eventBusName?: string;
  /**
   * When the event happened: a valid `Date` or an RFC 3339 string.
   * @default - the time EventBridge receives it
   */
  readonly time?: Date | string;
  /** ARNs of the AWS resources the event concerns. */
  readonly resources?: readonly string[];
  /** An X-Ray trace header (`X-Amzn-Trace-Id`), 1 to 500 characters. */
  readonly traceHeader?: string;
  /**
   * With a claim-check store: `true` sends the detail through S3 whatever its size, `false`
   * never (an entry over the request limit is then refused). Without one, `true` makes the
   * entry invalid.
   * @default - through S3 when the entry is over the client's `claimCheck.thresholdBytes`
   */
  readonly claimCheck?: boolean;
  /**
   * A key that stays the same for every copy of this event (retries, an outbox's resends, the
   * copy a global endpoint replicates to the other region under another `id`): the receivers and
   * the queue consumer deduplicate on it instead of the event's `id`, and hand it to handlers as
   * `event.idempotencyKey`. Carried in `detail` under `_idempotencyKey` (taken out again on
   * receipt) and counted in the entry's size. 1 to 256 printable characters (no control
   * characters); anything else makes the entry invalid (`InvalidEntry`, naming the value), as does
   * a key given for a detail with a top-level `_idempotencyKey` field of its own.
   * @default - a random UUID with the `stampIdempotencyKey` option, else none
   */
  readonly idempotencyKey?: string;
}

/** An entry of one PutEvents request, as the SDK's `PutEventsRequestEntry`. */
export interface PutEventsRequestEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Time?: Date;
  Resources?: string[];
  TraceHeader?: string;
}

/** An entry of a PutEvents response, as the SDK's `PutEventsResultEntry`. */
export interface PutEventsResponseEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** A PutEvents response, as the SDK's `PutEventsResponse` (the output of `PutEventsCommand`). */
export interface PutEventsResponse {
  FailedEntryCount?: number;
  Entries?: PutEventsResponseEntry[];
}

/**
 * Performs exactly one PutEvents request and resolves to its response; rejects when the request
 * as a whole fails. `attempt` is 1 for entries carried the first time and 2 or more for a retry
 * (every entry of a retry is a retried one). With the SDK:
 * `(entries, _attempt, abortSignal) => client.send(new PutEventsCommand({ Entries: entries }), { abortSignal })`.
 * `signal` is aborted when the client closes: abort the request then (reject with any error), so
 * nothing of a closed client stays on the wire.
 */
export type PutEventsFunction = (entries: PutEventsRequestEntry[], attempt?: number, signal?: AbortSignal) => Promise<PutEventsResponse>;

/** What {@link EventSender} does with a call that holds invalid entries. */
export type InvalidEntriesPolicy = 'send-valid' | 'reject-all';

export interface PutEventsOptions {
  /**
   * Most PutEvents requests in flight at once. A request waiting out its retry backoff keeps its
   * slot, so throttling slows the whole call down instead of piling more requests on.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Most bytes in one request, counting each entry as EventBridge does (see
   * {@link putEventsEntrySize}). The default is PutEvents' request limit, 1 MiB since 2026-01-29
   * ("Amazon EventBridge quotas", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html).
   * Give 262144 (`LEGACY_MAX_REQUEST_BYTES`, the 256 KiB limit before that date) for accounts,
   * regions or targets that still cap events there. Accepted: 1024 to 1048576; others throw
   * `InputError`. With a claim-check store, an entry over it sends its detail through S3 instead.
   * @default 1048576
   */
  readonly maxRequestBytes?: number;
  /**
   * Attempts per entry, the first included; only retryable failures are attempted again.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Backoff before retry n is a random delay between 0 and `min(maxDelayMs, baseDelayMs * 2^(n-1))`
   * ("full jitter").
   * @default 100
   */
  readonly baseDelayMs?: number;
  /** @default 20000 */
  readonly maxDelayMs?: number;
  /**
   * `send-valid` reports invalid entries as failed and still sends the valid ones of the call;
   * `reject-all` sends nothing when any entry is invalid and reports every entry as failed.
   * @default 'send-valid'
   */
  readonly invalidEntries?: InvalidEntriesPolicy;
  /**
   * The bus for entries that name none.
   * @default - the account's default bus
   */
  readonly eventBusName?: string;
  /**
   * With an OpenTelemetry SDK registered (docs/tracing.md), whether each entry carries its trace
   * context (the registered propagator's fields, W3C `traceparent` by default) in `detail` under
   * `_trace`, for the receiver and the consumer to continue the trace. The carrier counts towards
   * the entry's size; an entry that fits only without it is sent without it. `false` keeps the
   * spans and sends `detail` as given. Without an SDK nothing is added either way.
   * @default true
   */
  readonly traceCarrier?: boolean;
  /**
   * Gives every entry without an `idempotencyKey` a random UUID as its key when it is handed over
   * (`putEvents`, `putEvent`, `outbox.add`), so that every copy of it carries the same key: the
   * sender's retries resend the entry as prepared, the outbox stores the key in its record (a
   * restart resends it), and a global endpoint's replica carries it to the other region. The key
   * travels in `detail` under `_idempotencyKey` and counts towards the entry's size (57 bytes,
   * 56 for an empty detail): an entry that fits only without it is refused as too large, or, with a claim-check
   * store, sends its detail through S3 (the reference carries the key). `false` adds nothing and
   * costs nothing per entry.
   * @default false
   */
  readonly stampIdempotencyKey?: boolean;
  /** A number in [0, 1), for the jitter. @default Math.random */
  readonly random?: () => number;
  /** Waits out a backoff. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface PutEventsSuccess {
  readonly eventId: string;
  readonly errorCode?: undefined;
  readonly errorMessage?: undefined;
}

export interface PutEventsFailure {
  readonly eventId?: undefined;
  /**
   * The service's code (`ThrottlingException`, `ValidationException`, ...), a network code such
   * as `ECONNRESET`, `TimeoutError` when no complete answer came within `requestTimeoutMs`,
   * `InvalidEntry` for an entry refused before sending, `NotSent` for a valid entry held back by
   * `invalidEntries: 'reject-all'`, or `InvalidResponse` when the response could not be matched
   * to the request, or `ProducerClosed` when the client was closed before the entry was
   * acknowledged (the message says whether it was not sent, in a request cut off on its way, which
   * may or may not have arrived). An error answer without a code gets one derived from its HTTP status
   * (403 `AccessDeniedException`, 413 `RequestEntityTooLargeException`, 429
   * `ThrottlingException`, ...; see http-errors.ts) and a message naming the status.
   */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** PutEvents requests that carried this entry; 0 when it was never sent. */
  readonly attempts: number;
  /** HTTP status of the failed request, when the last failure was a whole request answered with an error. */
  readonly httpStatusCode?: number;
  /**
   * `true` when the entry was not refused by the service but cut short by the client: a
   * retryable error whose retries the retry budget or `close()` stopped, or `ProducerClosed`.
   * Sending it again later may succeed (an outbox keeps such entries).
   * @default - absent: the error is the service's final answer, or retries ran out
   */
  readonly retryable?: true;
}

/** The outcome of one entry: its EventId, or its final error. */
export type PutEventsResultEntry = PutEventsSuccess | PutEventsFailure;

export interface PutEventsResult {
  readonly failedEntryCount: number;
  /** One per input entry, in input order. */
  readonly entries: PutEventsResultEntry[];
}

/**
 * How PutEvents requests go out: `lean` writes, signs (SigV4, the SDK's signer) and sends them
 * directly over keep-alive connections, with the SDK's endpoint resolution, credentials and
 * clock-skew correction; `sdk` sends each through the AWS SDK client, for callers who rely on SDK
 * middleware of their own.
 */
export type PutEventsTransport = 'lean' | 'sdk';

/** The client's `putEvents` options: the sender's, and the transport. */
export interface ClientPutEventsOptions extends PutEventsOptions {
  /**
   * @default 'lean', or 'sdk' when an EventBridge client is injected (`clients.putEvents` or `clients.events`)
   */
  readonly transport?: PutEventsTransport;
  /**
   * An EventBridge global endpoint's `EndpointId` (e.g. `abcde.veo`): PutEvents then goes to
   * `https://<EndpointId>.endpoint.events.<dnsSuffix>` (or the configured events endpoint URL)
   * signed with SigV4a, and Route 53 health checks route it to the primary or secondary region's
   * bus of the same name. Both transports. Refused with FIPS or dual-stack endpoints on.
   * @default - the contract's `EndpointId` for a client from `fromParameters`, else none (the regional endpoint)
   */
  readonly endpointId?: string;
}
