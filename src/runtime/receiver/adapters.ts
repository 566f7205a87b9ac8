import type { BodySource } from './body';
import type { ReceiveRequest, ReceiveResponse } from './exchange';
import type { FastifyReplyLike, FastifyRequestLike, HttpRequestLike, HttpResponseLike, NextFunction } from './types';

type Receive = (request: ReceiveRequest) => ReceiveResponse | Promise<ReceiveResponse>;
/** Calls its second argument once with the answer, possibly in the same turn. */
type ReceiveThen = (request: ReceiveRequest, reply: (response: ReceiveResponse) => void) => void;

const JSON_TYPE = 'application/json; charset=utf-8';
/** Connections answered `Connection: close`: no request on them is handled any more. */
const closing = new WeakSet<object>();

/**
 * How long a closing connection may linger for the client to read the answer before it is cut
 * (nginx's `lingering_timeout` default). A client still writing its body when the connection is
 * cut gets a reset, and node's client then reports EPIPE without reading the answer it has.
 */
const CLOSE_GRACE_MS = 5_000;

/**
 * The body as node:http or an Express-style stack leaves it: when a body parser already read
 * the stream, what it made of it is in `req.body`; otherwise the stream is still ours to read.
 * (Express's JSON parser sets `req.body = {}` even when it skips a request, so `req.body` alone
 * does not say whether the stream was read.)
 */
function bodyOf(req: HttpRequestLike): BodySource {
  const consumed = req.readableDidRead === true || req.readableEnded === true;
  return consumed ? { kind: 'parsed', value: req.body } : { kind: 'stream', stream: req };
}

function writeTo(req: HttpRequestLike, res: HttpResponseLike, response: ReceiveResponse): void {
  const payload = JSON.stringify(response.body);
  if (!response.closeConnection && !response.headers && res.writeHead) {
    // One call for status and headers: the common answer, on the hot path.
    res.writeHead(response.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
    return;
  }
  res.statusCode = response.status;
  res.setHeader('content-type', JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(payload));
  if (response.headers) for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (!response.closeConnection) {
    res.end(payload);
    return;
  }
  // The body was left unread: the connection cannot carry another request, and node would
  // otherwise keep the socket open for a client that keeps dripping bytes. Half-close once the
  // answer is out, and cut the socket if the client does not close its side soon after.
  res.setHeader('connection', 'close');
  if (req.socket) closing.add(req.socket);
  res.end(payload, () => {
    const socket = req.socket;
    if (!socket || socket.destroyed) return;
    socket.end();
    // Lingering close: what the client still sends is read and dropped (nothing listens for the
    // refused body's data any more), so it can finish writing and read the answer; the timer bounds it.
    req.resume();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  });
}

/**
 * `(req, res)` for `http.createServer` and anything built on node:http. The promise settles once
 * the answer is written, and rejects only when writing it fails.
 */
export function nodeHandler(receive: ReceiveThen): (req: HttpRequestLike, res: HttpResponseLike) => Promise<void> {
  return (req, res) => new Promise<void>((resolve, reject) => {
    // A request pipelined behind another on the same connection is taken in turn: node gives its
    // response the socket once the earlier answer is out. A server step of its own before
    // receiver.handle may hand it over first, and were the earlier one then refused (and the
    // connection closed), its handlers would have run for an answer that can never be sent.
    // Waits no longer than the earlier answer: if the connection closes first, the request is
    // destroyed, and its 'close' ends the wait.
    if (res.socket === null && res.once) {
      let started = false;
      res.once('socket', () => {
        started = true;
        handleInTurn(req, res, receive, resolve, reject);
      });
      req.once('close', () => {
        if (!started) resolve();
      });
      return;
    }
    handleInTurn(req, res, receive, resolve, reject);
  });
}

function handleInTurn(
  req: HttpRequestLike, res: HttpResponseLike, receive: ReceiveThen, resolve: () => void, reject: (error: unknown) => void,
): void {
  // A request that came in behind a refusal on the same connection (pipelined, or written before
  // the refusal was read): the connection closes after the refusal, so its answer could never be
  // sent, and its handlers must not run (RFC 9112, section 9.6).
  if (req.socket && closing.has(req.socket)) return resolve();
  // The answer is written from inside the request's 'end' event when the handlers are
  // synchronous: one promise per delivery, and no microtask hop before the write.
  receive({ method: req.method, headers: req.headers, body: bodyOf(req) }, (response) => {
    try {
      writeTo(req, res, response);
      resolve();
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Express-style `(req, res, next)`: answers the delivery itself; `next(error)` is only called
 * when writing the answer fails.
 */
export function expressMiddleware(receive: ReceiveThen): (req: HttpRequestLike, res: HttpResponseLike, next: NextFunction) => void {
  const handle = nodeHandler(receive);
  return (req, res, next) => {
    handle(req, res).catch(next);
  };
}

/**
 * Fastify-style `(request, reply)`: the body is what Fastify's content-type parser produced (JSON
 * by default, whose own `bodyLimit` applies first). Returns the reply, as Fastify expects of an
 * async handler that sends.
 */
export function fastifyHandler(receive: Receive): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
  return async (request, reply) => {
    const response = await receive({ method: request.method, headers: request.headers, body: { kind: 'parsed', value: request.body } });
    reply.code(response.status).header('content-type', JSON_TYPE);
    if (response.headers) for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
    if (response.closeConnection) reply.header('connection', 'close');
    reply.send(JSON.stringify(response.body));
    return reply;
  };
}
