import type { IncomingHttpHeaders } from 'node:http';
import type { ReceiveClaimCheckOptions } from '../claim-check/options';
import type { IdempotencyOptions } from '../routing/idempotency';
import type { Logger } from '../types';

export type { ReceivedEvent, EventHandler, HandlerContext } from '../routing/types';

export interface ReceiverOptions {
  /** The API key the connection sends. Give this or `apiKeys`. */
  readonly apiKey?: string;
  /**
   * Every key currently accepted, so a key can be rotated without dropping deliveries: add the
   * new key here, update the connection, then remove the old key.
   */
  readonly apiKeys?: readonly string[];
  /**
   * The header that carries the key (the connection's `ApiKeyName`); matched case-insensitively.
   * @default 'x-api-key'
   */
  readonly apiKeyHeader?: string;
  /**
   * Largest body accepted, in bytes; larger ones are answered 413 without being read to the end.
   * The default takes any event of PutEvents' 1 MiB entry limit with its envelope (a few hundred
   * bytes around the entry that was put).
   * @default 1064960 (1 MiB + 16 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * What to answer for a `detail-type` no handler is registered for: `ignore` answers 202 (the
   * delivery counts as done), `reject` answers 404 (EventBridge does not retry it; with a
   * dead-letter queue on the target it lands there).
   * @default 'ignore'
   */
  readonly unknownDetailType?: 'ignore' | 'reject';
  /**
   * How long the handlers of one delivery may take, in milliseconds; past it the delivery is
   * answered 503 (EventBridge retries it) and the handlers' `signal` aborts. Keep it below the
   * 5 seconds EventBridge waits for an API destination to answer.
   * @default 4000
   */
  readonly handlerTimeoutMs?: number;
  /**
   * How long the body may take to arrive once the headers did, in milliseconds; past it the
   * delivery is answered 503 and the connection closed.
   * @default 2000
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Most deliveries handled at once; more are answered 503 at once (EventBridge retries them),
   * so a burst or hung handlers cannot exhaust memory. A delivery answered 503 at its handler
   * deadline counts until its handlers settle: a handler that ignores its `signal` and never
   * settles holds its slot for good.
   * @default - no limit
   */
  readonly maxHandlersInFlight?: number;
  /**
   * Drop repeats by the event's key: `keyOf(event)` when given, else the producer's idempotency
   * key (`event.idempotencyKey`, the same on a global endpoint's replica), else the event's `id`.
   * A repeat within the window is answered 200 without calling the handlers; a repeat that arrives
   * while the first is being handled is answered 409 (EventBridge retries it); a key that cannot be
   * had (`keyOf` failed, a malformed `_idempotencyKey`) is answered 500 `InvalidIdempotencyKey`.
   * `true` uses the defaults of {@link IdempotencyOptions}.
   * @default - every delivery calls the handlers
   */
  readonly idempotency?: boolean | IdempotencyOptions;
  /**
   * Events whose detail went through the claim check: fetched from S3 (size and SHA-256 checked,
   * within `handlerTimeoutMs` too) before the handlers run, or handed as the reference
   * (`deliver: 'reference'`). A payload that is missing, altered or over `maxPayloadBytes` is
   * answered 500 with the error's code (`ClaimCheckMissing`, `ClaimCheckAltered`,
   * `ClaimCheckTooLarge`) and a message naming the key: EventBridge retries it, then sends it to
   * the target's dead-letter queue.
   * @default - the client's claim check (`client.receiver()`), else references reach the handlers as delivered
   */
  readonly claimCheck?: ReceiveClaimCheckOptions;
  /** Where refused deliveries and handler errors are reported. @default - nothing is logged */
  readonly logger?: Logger;
}

/** What a node:http request offers the receiver (an `IncomingMessage` fits). */
export interface HttpRequestLike extends NodeJS.ReadableStream {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  /** Set by Express-style body parsers that ran before the receiver. */
  readonly body?: unknown;
  /** Node's flags telling whether someone else already read the body. */
  readonly readableDidRead?: boolean;
  readonly readableEnded?: boolean;
  /** The connection, closed after answering a request whose body was left unread. */
  readonly socket?: { readonly destroyed: boolean; end(): unknown; destroy(): unknown };
}

/** What a node:http response offers the receiver (a `ServerResponse` or an Express response fits). */
export interface HttpResponseLike {
  statusCode: number;
  /**
   * node's connection of this response: `null` while the response waits behind an earlier one
   * on the same connection (pipelined requests), until node hands it the socket ('socket' event).
   */
  readonly socket?: unknown;
  setHeader(name: string, value: string | number): unknown;
  /** node's `writeHead`, used when present (Express responses have it too). */
  writeHead?(statusCode: number, headers: Record<string, string | number>): unknown;
  end(body?: string, callback?: () => void): unknown;
  once?(event: 'socket', listener: () => void): unknown;
}

/** An Express-style `next`. */
export type NextFunction = (error?: unknown) => void;

/** The parts of a Fastify request the receiver reads. */
export interface FastifyRequestLike {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed by Fastify's content-type parsers (JSON by default), or a string or Buffer. */
  readonly body?: unknown;
}

/** The parts of a Fastify reply the receiver writes. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: string): unknown;
}
