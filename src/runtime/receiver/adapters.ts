import type { BodySource } from './body';
import type { ReceiveRequest, ReceiveResponse } from './receiver';
import type { FastifyReplyLike, FastifyRequestLike, HttpRequestLike, HttpResponseLike, NextFunction } from './types';

type Receive = (request: ReceiveRequest) => Promise<ReceiveResponse>;

const JSON_TYPE = 'application/json; charset=utf-8';

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

function writeTo(res: HttpResponseLike, response: ReceiveResponse): void {
  const payload = JSON.stringify(response.body);
  res.statusCode = response.status;
  res.setHeader('content-type', JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(payload));
  // Whatever is left of an over-limit body is never read: the connection has to go with it.
  if (response.closeConnection) res.setHeader('connection', 'close');
  res.end(payload);
}

/** `(req, res)` for `http.createServer` and anything built on node:http. */
export function nodeHandler(receive: Receive): (req: HttpRequestLike, res: HttpResponseLike) => Promise<void> {
  return async (req, res) => {
    const response = await receive({ method: req.method, headers: req.headers, body: bodyOf(req) });
    writeTo(res, response);
  };
}

/**
 * Express-style `(req, res, next)`: answers the delivery itself; `next(error)` is only called
 * when writing the answer fails.
 */
export function expressMiddleware(receive: Receive): (req: HttpRequestLike, res: HttpResponseLike, next: NextFunction) => void {
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
    if (response.closeConnection) reply.header('connection', 'close');
    reply.send(JSON.stringify(response.body));
    return reply;
  };
}
