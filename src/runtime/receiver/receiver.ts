import { AsyncResource } from 'node:async_hooks';
import { quote } from '../../contract/quote';
import { asError, InputError, messageOf } from '../errors';
import { DEFAULT_API_KEY_HEADER, HEADER_NAME } from '../names';
import { toReceivedEvent } from '../routing/event';
import type { EventHandler, ReceivedEvent } from '../routing/types';
import type { Logger } from '../types';
import { expressMiddleware, fastifyHandler, nodeHandler } from './adapters';
import { apiKeyCheck, ApiKeyCheck } from './api-key';
import { BodyResult, readBody } from './body';
import { Deadlines } from './deadlines';
import type { ReceiveRequest, ReceiveResponse } from './exchange';
import { boundedOption, checkReceiverKeys } from './options';
import type {
  FastifyReplyLike,
  FastifyRequestLike,
  HttpRequestLike,
  HttpResponseLike,
  NextFunction,
  ReceiverOptions,
} from './types';
import { claimCheckRefusal } from '../claim-check/answers';
import { ClaimCheckError } from '../claim-check/errors';
import { claimCheckResolver } from '../claim-check/resolve';
import { IdempotencyKeyError } from '../idempotency-key';
import { quietLogger } from '../quiet-logger';
import { DeliveryContext } from '../routing/context';
import { DeduplicatedOutcome, Deduplicator } from '../routing/idempotency';
import { Router } from '../routing/router';
import { endProcess, startProcess, within } from '../tracing/process-spans';

export { DEFAULT_API_KEY_HEADER };
/**
 * The receiver's default body limit: PutEvents' 1 MiB entry limit (since 2026-01-29, AWS's
 * EventBridge quotas) plus 16 KiB for the envelope EventBridge delivers around `detail`, so that
 * any event the default sender puts inline is taken.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024 + 16 * 1024;
/** Below the 5 seconds EventBridge waits for an API destination, so the 5xx reaches it and it retries. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 4_000;
export const DEFAULT_BODY_TIMEOUT_MS = 2_000;

/** The process spans' source: an API destination's delivery (no queue). */
const RECEIVED = {};

/** Whether a delivery's handlers are running now (not before its idempotency claim, nor after they settled). */
interface HandlersState {
  running: boolean;
}

function refuse(status: number, error: string, message: string, closeConnection = false): ReceiveResponse {
  return closeConnection ? { status, body: { error, message }, closeConnection } : { status, body: { error, message } };
}

const ALLOW_POST = { allow: 'POST' } as const;
/** What EventBridge sends: checked first, before the general parse. */
const JSON_UTF8 = 'application/json; charset=utf-8';

/** `application/json` and `application/<anything>+json`, with or without parameters. */
function isJsonType(value: string): boolean {
  const type = value.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Receives events delivered by an EventBridge API destination and dispatches them by
 * `detail-type`. Mount it with {@link Receiver.handle} (node:http), {@link Receiver.middleware}
 * (Express-style) or {@link Receiver.fastify}.
 *
 * EventBridge retries a delivery answered 401, 409, 429 or 5xx and gives up on other 4xx, and it
 * delivers at least once: handlers should tolerate seeing an event twice (`event.id` tells), or
 * turn on `idempotency`.
 *
 * Every delivery is bounded: its body must arrive within `bodyTimeoutMs` (else 503 and the
 * connection closes) and its handlers must settle within `handlerTimeoutMs` (else 503, and the
 * handlers' `signal` aborts), so a hung handler or a dripping client holds neither the answer nor
 * the socket.
 */
export class Receiver {
  /**
   * The node:http handler, bound to this receiver: `http.createServer(receiver.handle)`, or
   * `receiver.handle(req, res)` inside a route of your own.
   */
  public readonly handle: (req: HttpRequestLike, res: HttpResponseLike) => Promise<void> = nodeHandler((r, reply) => this.receiveThen(r, reply));

  private readonly checkKey: ApiKeyCheck;
  private readonly header: string;
  private readonly maxBodyBytes: number;
  private readonly bodyTimeoutMs: number;
  private readonly handlerTimeoutMs: number;
  private readonly maxInFlight: number;
  private readonly rejectUnknown: boolean;
  private readonly logger?: Logger;
  private readonly router = new Router();
  private readonly deduplicator?: Deduplicator;
  private readonly bodyDeadlines: Deadlines;
  private readonly handlerDeadlines: Deadlines;
  private inFlight = 0;

  constructor(options: ReceiverOptions) {
    checkReceiverKeys(options);
    if (options.apiKey !== undefined && options.apiKeys !== undefined) {
      throw new InputError('both apiKey and apiKeys given: expected one of them');
    }
    this.checkKey = apiKeyCheck(options.apiKeys ?? (options.apiKey !== undefined ? [options.apiKey] : []));
    const header = options.apiKeyHeader ?? DEFAULT_API_KEY_HEADER;
    if (!HEADER_NAME.test(header)) {
      throw new InputError(`invalid apiKeyHeader '${header.slice(0, 64)}': expected an HTTP header name such as x-api-key`);
    }
    this.header = header.toLowerCase();
    this.maxBodyBytes = boundedOption('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'bytes');
    this.bodyTimeoutMs = boundedOption('bodyTimeoutMs', options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'milliseconds');
    this.handlerTimeoutMs = boundedOption('handlerTimeoutMs', options.handlerTimeoutMs, DEFAULT_HANDLER_TIMEOUT_MS, 'milliseconds');
    this.bodyDeadlines = new Deadlines(this.bodyTimeoutMs);
    this.handlerDeadlines = new Deadlines(this.handlerTimeoutMs);
    this.maxInFlight = boundedOption('maxHandlersInFlight', options.maxHandlersInFlight, Number.MAX_SAFE_INTEGER, 'handlers');
    const unknown = options.unknownDetailType ?? 'ignore';
    if (unknown !== 'ignore' && unknown !== 'reject') {
      throw new InputError(`invalid unknownDetailType '${String(unknown).slice(0, 32)}': expected 'ignore' or 'reject'`);
    }
    this.rejectUnknown = unknown === 'reject';
    if (options.idempotency) this.deduplicator = new Deduplicator(options.idempotency === true ? {} : options.idempotency);
    this.logger = quietLogger(options.logger);
    this.router.resolveDetailWith(claimCheckResolver(options.claimCheck, 'receiver option'));
  }

  /**
   * Deliveries whose handlers have not settled yet, those answered 503 at their deadline
   * included: a handler that ignores its `signal` keeps its slot until it settles.
   */
  public get handlersInFlight(): number {
    return this.inFlight;
  }

  /**
   * Calls `handler` for every event of this `detail-type`. Handlers of one type run one after
   * the other in the order they were added; `onAny` handlers run after them.
   */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): this {
    this.router.on(detailType, handler);
    return this;
  }

  /** Calls `handler` for every event, whatever its `detail-type`; no event is then unknown. */
  public onAny(handler: EventHandler): this {
    this.router.onAny(handler);
    return this;
  }

  /** Express-style middleware: `app.post('/events', receiver.middleware())`. A body parser may run first. */
  public middleware(): (req: HttpRequestLike, res: HttpResponseLike, next: NextFunction) => void {
    return expressMiddleware((r, reply) => this.receiveThen(r, reply));
  }

  /** A Fastify route handler: `app.post('/events', receiver.fastify())`. */
  public fastify(): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
    return fastifyHandler((r) => this.receive(r));
  }

  /**
   * Answers one delivery, transport aside (for transports without an adapter): the answer itself
   * when it is known at once (a parsed body, handlers that return no promise), else a promise of
   * it. Never throws or rejects: a request that is not one is answered 400.
   */
  public receive(request: ReceiveRequest): ReceiveResponse | Promise<ReceiveResponse> {
    let answered: ReceiveResponse | undefined;
    let resolve: ((response: ReceiveResponse) => void) | undefined;
    try {
      this.receiveThen(request, (response) => {
        if (resolve) resolve(response);
        else answered = response;
      });
    } catch (error) {
      // A request that is not one (no headers object, say): refused before anything was counted.
      if (answered === undefined) return this.unreadable(error);
    }
    return answered ?? new Promise((r) => (resolve = r));
  }

  /**
   * @internal Calls `reply` once with the answer: in the same turn when the body is already read
   * and the handlers are synchronous, else when the body's last byte has come and the handlers
   * have settled. The adapters use it to write the answer without a promise per delivery.
   */
  public receiveThen(request: ReceiveRequest, reply: (response: ReceiveResponse) => void): void {
    // Refused before the body is read: its bytes are never read, so the connection must close.
    const unread = request.body.kind === 'stream';
    if (request.method !== 'POST' && (typeof request.method !== 'string' || request.method.toUpperCase() !== 'POST')) {
      return reply({ ...refuse(405, 'MethodNotAllowed', `method '${String(request.method).slice(0, 16)}' not allowed: expected POST`, unread), headers: ALLOW_POST });
    }
    const verdict = this.checkKey(request.headers[this.header]);
    if (verdict !== 'ok') {
      this.logger?.warn(`refused a delivery: ${verdict} api key in header '${this.header}'`);
      return reply(verdict === 'missing'
        ? refuse(401, 'MissingApiKey', `missing api key: expected header '${this.header}'`, unread)
        : refuse(403, 'WrongApiKey', `wrong api key in header '${this.header}'`, unread));
    }
    // node:http gives a string; a caller's own header object may hold anything.
    const type: unknown = request.headers['content-type'];
    if (type !== undefined && type !== JSON_UTF8 && (typeof type !== 'string' || !isJsonType(type))) {
      return reply(refuse(415, 'UnsupportedMediaType', `unsupported content-type ${quote(type, 64)}: expected application/json`, unread));
    }
    if (this.inFlight >= this.maxInFlight) {
      return reply(refuse(503, 'TooManyInFlight', `${this.inFlight} deliveries in flight: the limit is ${this.maxInFlight}`, unread));
    }
    this.inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.inFlight--;
      }
    };
    // The slot goes as soon as the answer is known and no handler runs any more, before the
    // answer is written.
    let bodyRead = false;
    const answerAndRelease = (body: BodyResult | Error): void => {
      if (bodyRead) return;
      bodyRead = true;
      let answered: ReceiveResponse | Promise<ReceiveResponse>;
      try {
        answered = body instanceof Error ? this.unreadable(body) : this.answer(request, body, release);
      } catch (error) {
        answered = this.unreadable(error);
      }
      if (!(answered instanceof Promise)) {
        release();
        reply(answered);
        return;
      }
      // Only handlers answer later, and dispatchWithin gives their slot back when they settle.
      void answered.then(reply);
    };
    try {
      readBody(request.body, request.headers, this.maxBodyBytes, this.bodyDeadlines, answerAndRelease);
    } catch (error) {
      // A body source that is no stream (a caller of receive() can pass anything). An error
      // thrown once the body was read comes from `reply`, and is the caller's to see.
      if (bodyRead) throw error;
      answerAndRelease(asError(error));
    }
  }

  private unreadable(error: unknown): ReceiveResponse {
    this.logger?.warn(`could not read a delivery: ${messageOf(error)}`);
    return refuse(400, 'UnreadableBody', 'the request body could not be read', true);
  }

  /** The answer once the body is read: synchronous when the handlers are. */
  private answer(request: ReceiveRequest, body: BodyResult, release: () => void): ReceiveResponse | Promise<ReceiveResponse> {
    let value: unknown;
    switch (body.kind) {
      case 'too-large':
        this.logger?.warn(`refused a delivery of at least ${body.bytes} bytes: the limit is ${this.maxBodyBytes}`);
        return refuse(413, 'PayloadTooLarge', `body of at least ${body.bytes} bytes is over the limit of ${this.maxBodyBytes} bytes`, request.body.kind === 'stream');
      case 'timeout':
        // 503, not 408: EventBridge retries 5xx and would drop the event on a 408.
        this.logger?.warn(`refused a delivery: its body did not arrive within ${this.bodyTimeoutMs} ms (${body.bytes} bytes read)`);
        return refuse(503, 'BodyTimeout', `the body did not arrive within ${this.bodyTimeoutMs} ms`, true);
      case 'not-utf8':
        return refuse(400, 'InvalidUtf8', 'body is not valid UTF-8: expected JSON text');
      case 'text': {
        try {
          value = JSON.parse(body.text);
        } catch {
          return refuse(400, 'MalformedJson', 'body is not valid JSON: expected an EventBridge event');
        }
        break;
      }
      default:
        value = body.value;
    }
    const parsed = toReceivedEvent(value);
    if (!parsed.ok) return refuse(400, 'NotAnEvent', parsed.message);
    return this.dispatchWithin(parsed.event, release);
  }

  /** Dispatches, answering 503 when the handlers have not settled by the deadline. */
  private dispatchWithin(event: ReceivedEvent, release: () => void): ReceiveResponse | Promise<ReceiveResponse> {
    const context = new DeliveryContext();
    const handlers: HandlersState = { running: false };
    const dispatched = this.dispatch(event, context, handlers);
    // Handlers that returned without a promise are done: nothing to bound.
    if (!(dispatched instanceof Promise)) return dispatched;
    // The deadline fires from a timer all deliveries share: its abort listeners and log line run
    // in this delivery's async context (a request id in an AsyncLocalStorage), not the timer's.
    const scope = new AsyncResource('EVENTBRIDGE_HANDLERS');
    return new Promise((resolve) => {
      const deadline = this.handlerDeadlines.set(() => scope.runInAsyncScope(() => {
        // Answered first: the signal's listeners and the logger are the caller's code. A logger
        // that throws is contained (quietLogger); an abort listener that throws is reported by
        // node as an uncaught exception (EventTarget), after the answer. The slot stays taken
        // while the handlers run, and hold what they hold, until they settle:
        // maxHandlersInFlight bounds handlers, not answers.
        resolve(refuse(503, 'HandlerTimeout', `handlers did not settle within ${this.handlerTimeoutMs} ms`));
        // Not yet started (an idempotency store still deciding) or done (a store still recording
        // the outcome): nothing of ours is running, and the slot goes now.
        if (!handlers.running) release();
        context.abort(new Error(`handler deadline of ${this.handlerTimeoutMs} ms passed`));
        this.logger?.error(`handlers for detail-type '${event.detailType}' did not settle within ${this.handlerTimeoutMs} ms on event ${event.id}`);
      }));
      void dispatched.then((response) => {
        deadline.cancel();
        release();
        resolve(response);
      });
    });
  }

  private dispatch(event: ReceivedEvent, context: DeliveryContext, handlers: HandlersState): ReceiveResponse | Promise<ReceiveResponse> {
    if (!this.router.handles(event.detailType)) {
      if (this.rejectUnknown) {
        this.logger?.warn(`refused event ${event.id}: no handler for detail-type '${event.detailType}'`);
        return refuse(404, 'UnknownDetailType', `no handler for detail-type '${event.detailType}'`);
      }
      this.logger?.debug?.(`ignored event ${event.id}: no handler for detail-type '${event.detailType}'`);
      return { status: 202, body: { status: 'ignored', id: event.id, detailType: event.detailType } };
    }
    const trace = startProcess(event, RECEIVED);
    const run = () => {
      handlers.running = true;
      const outcome = within(trace, () => this.router.dispatch(event, context));
      if (!(outcome instanceof Promise)) {
        handlers.running = false;
        return outcome;
      }
      return outcome.then((settled) => {
        handlers.running = false;
        return settled;
      });
    };
    if (this.deduplicator) return this.deduplicator.runFor(event, run).then((outcome) => this.respond(event, endProcess(trace, outcome)));
    const outcome = run();
    if (outcome instanceof Promise) return outcome.then((o) => this.respond(event, endProcess(trace, o)));
    return this.respond(event, endProcess(trace, outcome));
  }

  private respond(event: ReceivedEvent, outcome: DeduplicatedOutcome): ReceiveResponse {
    switch (outcome.kind) {
      case 'failed':
        if (outcome.error instanceof ClaimCheckError) return claimCheckRefusal(event, outcome.error, this.logger);
        if (outcome.error instanceof IdempotencyKeyError) {
          // 500: EventBridge retries, then dead-letters; the message says what keyOf or the field held.
          this.logger?.error(`idempotency key of event ${event.id} (detail-type '${event.detailType}'): ${outcome.error.message}`);
          return refuse(500, outcome.error.code, outcome.error.message);
        }
        // The handler's message stays in the log: the caller is EventBridge, which only needs
        // to know that it should retry.
        this.logger?.error(`handler for detail-type '${event.detailType}' failed on event ${event.id}`, outcome.error);
        return refuse(500, 'HandlerFailed', `handler for detail-type '${event.detailType}' failed`);
      case 'repeat':
        this.logger?.debug?.(`acknowledged repeat of event ${event.id} without calling its handlers`);
        return { status: 200, body: { status: 'repeat', id: event.id, detailType: event.detailType } };
      case 'in-flight':
        // 409: EventBridge retries it, so the event is still handled if the first delivery fails.
        return refuse(409, 'InFlight', `event ${event.id} is being handled by another delivery`);
      default:
        return { status: 200, body: { status: 'handled', id: event.id, detailType: event.detailType } };
    }
  }
}
