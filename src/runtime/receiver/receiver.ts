import type { IncomingHttpHeaders } from 'node:http';
import { InputError } from '../errors';
import { DEFAULT_API_KEY_HEADER, HEADER_NAME } from '../names';
import type { Logger } from '../types';
import { expressMiddleware, fastifyHandler, nodeHandler } from './adapters';
import { apiKeyCheck, ApiKeyCheck } from './api-key';
import { BodySource, readBody } from './body';
import { parseJson, toReceivedEvent } from './event';
import type {
  EventHandler,
  FastifyReplyLike,
  FastifyRequestLike,
  HttpRequestLike,
  HttpResponseLike,
  NextFunction,
  ReceivedEvent,
  ReceiverOptions,
} from './types';

export { DEFAULT_API_KEY_HEADER };
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** A delivery as the transport hands it over; the adapters build it from node, Express or Fastify. */
export interface ReceiveRequest {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: BodySource;
}

/** The answer to a delivery, before a transport writes it. */
export interface ReceiveResponse {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** The request body was left partly unread, so the connection cannot carry another request. */
  readonly closeConnection?: boolean;
}

function refuse(status: number, error: string, message: string): ReceiveResponse {
  return { status, body: { error, message } };
}

/**
 * Receives events delivered by an EventBridge API destination and dispatches them by
 * `detail-type`. Mount it with {@link Receiver.handle} (node:http), {@link Receiver.middleware}
 * (Express-style) or {@link Receiver.fastify}.
 *
 * EventBridge retries a delivery answered 401, 409, 429 or 5xx and gives up on other 4xx, and it
 * delivers at least once: handlers should tolerate seeing an event twice (`event.id` tells).
 */
export class Receiver {
  /**
   * The node:http handler, bound to this receiver: `http.createServer(receiver.handle)`, or
   * `receiver.handle(req, res)` inside a route of your own.
   */
  public readonly handle: (req: HttpRequestLike, res: HttpResponseLike) => Promise<void> = nodeHandler((r) => this.receive(r));

  private readonly checkKey: ApiKeyCheck;
  private readonly header: string;
  private readonly maxBodyBytes: number;
  private readonly rejectUnknown: boolean;
  private readonly logger?: Logger;
  private readonly handlers = new Map<string, EventHandler<any>[]>();
  private readonly anyHandlers: EventHandler[] = [];

  constructor(options: ReceiverOptions) {
    if (options.apiKey !== undefined && options.apiKeys !== undefined) {
      throw new InputError('both apiKey and apiKeys given: expected one of them');
    }
    this.checkKey = apiKeyCheck(options.apiKeys ?? (options.apiKey !== undefined ? [options.apiKey] : []));
    const header = options.apiKeyHeader ?? DEFAULT_API_KEY_HEADER;
    if (!HEADER_NAME.test(header)) {
      throw new InputError(`invalid apiKeyHeader '${header}': expected an HTTP header name such as x-api-key`);
    }
    this.header = header.toLowerCase();
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new InputError(`invalid maxBodyBytes ${max}: expected a positive whole number of bytes`);
    }
    this.maxBodyBytes = max;
    const unknown = options.unknownDetailType ?? 'ignore';
    if (unknown !== 'ignore' && unknown !== 'reject') {
      throw new InputError(`invalid unknownDetailType '${String(unknown)}': expected 'ignore' or 'reject'`);
    }
    this.rejectUnknown = unknown === 'reject';
    this.logger = options.logger;
  }

  /**
   * Calls `handler` for every event of this `detail-type`. Handlers of one type run one after
   * the other in the order they were added; `onAny` handlers run after them.
   */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): this {
    if (typeof detailType !== 'string' || detailType.length === 0 || detailType.length > 128) {
      throw new InputError(`invalid detailType '${String(detailType)}': expected 1 to 128 characters`);
    }
    if (typeof handler !== 'function') throw new InputError(`invalid handler for '${detailType}': expected a function`);
    const list = this.handlers.get(detailType) ?? [];
    list.push(handler);
    this.handlers.set(detailType, list);
    return this;
  }

  /** Calls `handler` for every event, whatever its `detail-type`; no event is then unknown. */
  public onAny(handler: EventHandler): this {
    if (typeof handler !== 'function') throw new InputError('invalid handler for onAny: expected a function');
    this.anyHandlers.push(handler);
    return this;
  }

  /** Express-style middleware: `app.post('/events', receiver.middleware())`. A body parser may run first. */
  public middleware(): (req: HttpRequestLike, res: HttpResponseLike, next: NextFunction) => void {
    return expressMiddleware((r) => this.receive(r));
  }

  /** A Fastify route handler: `app.post('/events', receiver.fastify())`. */
  public fastify(): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
    return fastifyHandler((r) => this.receive(r));
  }

  /** Answers one delivery, transport aside (for transports without an adapter). Never rejects. */
  public async receive(request: ReceiveRequest): Promise<ReceiveResponse> {
    const method = (request.method ?? '').toUpperCase();
    if (method !== 'POST') {
      return refuse(405, 'MethodNotAllowed', `method '${request.method}' not allowed: expected POST`);
    }
    const verdict = this.checkKey(request.headers[this.header]);
    if (verdict !== 'ok') {
      this.logger?.warn(`refused a delivery: ${verdict} api key in header '${this.header}'`);
      return verdict === 'missing'
        ? refuse(401, 'MissingApiKey', `missing api key: expected header '${this.header}'`)
        : refuse(403, 'WrongApiKey', `wrong api key in header '${this.header}'`);
    }

    let body;
    try {
      body = await readBody(request.body, request.headers, this.maxBodyBytes);
    } catch (error) {
      this.logger?.warn(`could not read a delivery: ${(error as Error).message}`);
      return refuse(400, 'UnreadableBody', 'the request body could not be read');
    }
    if (body.kind === 'too-large') {
      this.logger?.warn(`refused a delivery of at least ${body.bytes} bytes: the limit is ${this.maxBodyBytes}`);
      return {
        ...refuse(413, 'PayloadTooLarge', `body of at least ${body.bytes} bytes is over the limit of ${this.maxBodyBytes} bytes`),
        closeConnection: request.body.kind === 'stream',
      };
    }
    let value: unknown;
    if (body.kind === 'text') {
      const parsed = parseJson(body.text);
      if (!parsed) return refuse(400, 'MalformedJson', 'body is not valid JSON: expected an EventBridge event');
      value = parsed.value;
    } else {
      value = body.value;
    }
    const parsed = toReceivedEvent(value);
    if (!parsed.ok) return refuse(400, 'NotAnEvent', parsed.message);
    return this.dispatch(parsed.event);
  }

  private async dispatch(event: ReceivedEvent): Promise<ReceiveResponse> {
    const handlers = [...(this.handlers.get(event.detailType) ?? []), ...this.anyHandlers];
    if (handlers.length === 0) {
      if (this.rejectUnknown) {
        this.logger?.warn(`refused event ${event.id}: no handler for detail-type '${event.detailType}'`);
        return refuse(404, 'UnknownDetailType', `no handler for detail-type '${event.detailType}'`);
      }
      this.logger?.debug?.(`ignored event ${event.id}: no handler for detail-type '${event.detailType}'`);
      return { status: 202, body: { status: 'ignored', id: event.id, detailType: event.detailType } };
    }
    for (const handler of handlers) {
      try {
        await handler(event);
      } catch (error) {
        // The handler's message stays in the log: the caller is EventBridge, which only needs
        // to know that it should retry.
        this.logger?.error(`handler for detail-type '${event.detailType}' failed on event ${event.id}`, error);
        return refuse(500, 'HandlerFailed', `handler for detail-type '${event.detailType}' failed`);
      }
    }
    return { status: 200, body: { status: 'handled', id: event.id, detailType: event.detailType } };
  }
}
