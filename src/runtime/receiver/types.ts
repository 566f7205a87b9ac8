import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../types';

/**
 * An event as an API destination delivers it: the EventBridge envelope with camelCase names.
 * `detail` is typed by the handler that receives it; nothing checks its shape at run time.
 */
export interface ReceivedEvent<TDetail = unknown> {
  /** The event's id; EventBridge delivers at least once, so handlers can use it to drop repeats. */
  readonly id: string;
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

/** Handles one delivered event; a throw or a rejection answers 500, so EventBridge retries. */
export type EventHandler<TDetail = unknown> = (event: ReceivedEvent<TDetail>) => void | Promise<void>;

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
   * Largest body accepted; larger ones are answered 413 without being read to the end. The
   * delivered envelope adds a few hundred bytes to the entry that was put: raise this when events
   * come close to the PutEvents size limit.
   * @default 262144 (256 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * What to answer for a `detail-type` no handler is registered for: `ignore` answers 202 (the
   * delivery counts as done), `reject` answers 404 (EventBridge does not retry it; with a
   * dead-letter queue on the target it lands there).
   * @default 'ignore'
   */
  readonly unknownDetailType?: 'ignore' | 'reject';
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
}

/** What a node:http response offers the receiver (a `ServerResponse` or an Express response fits). */
export interface HttpResponseLike {
  statusCode: number;
  setHeader(name: string, value: string | number): unknown;
  end(body?: string): unknown;
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
