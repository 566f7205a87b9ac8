import { AsyncResource } from 'node:async_hooks';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import type { Deadlines } from './deadlines';
import { asError } from '../errors';

/**
 * Where a request's body comes from: the raw stream (plain node:http), or what a framework's
 * body parser already made of it (Express `req.body`, Fastify `request.body`).
 */
export type BodySource =
  | { readonly kind: 'stream'; readonly stream: NodeJS.ReadableStream }
  | { readonly kind: 'parsed'; readonly value: unknown };

export type BodyResult =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'parsed'; readonly value: unknown }
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** Bytes that are not UTF-8: JSON must be (RFC 8259), and U+FFFD in a handler's data is a silent change. */
  | { readonly kind: 'not-utf8' }
  /** The body did not arrive within the deadline; the stream is left paused and undrained. */
  | { readonly kind: 'timeout'; readonly bytes: number };

/** The declared Content-Length, or undefined when absent (chunked) or malformed. */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Called once with what became of the body, or with the stream's error. */
export type BodyCallback = (result: BodyResult | Error) => void;

/**
 * Reads the body, refusing one over `limit` bytes as early as possible: before reading anything
 * when Content-Length says so, else as soon as the bytes read pass the limit. A body that has not
 * ended when its deadline falls due is refused too. A refused stream is left paused and
 * undrained; the caller answers and closes the connection.
 *
 * Calls `done` once: at once when there is nothing to read, else from the stream's events. (A
 * callback, not a promise: the answer is then written in the same turn as the body's last byte,
 * with no microtask hops on the hot path.)
 */
export function readBody(source: BodySource, headers: IncomingHttpHeaders, limit: number, deadlines: Deadlines, done: BodyCallback): void {
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > limit) done({ kind: 'too-large', bytes: declared });
  else if (source.kind === 'stream') readStream(source.stream, limit, deadlines, done);
  else done(parsedOrError(source.value, limit, declared !== undefined));
}

function parsedOrError(value: unknown, limit: number, lengthChecked: boolean): BodyResult | Error {
  try {
    return fromParsed(value, limit, lengthChecked);
  } catch (error) {
    // e.g. a framework's parsed value that JSON cannot measure (a BigInt, a cycle)
    return asError(error);
  }
}

/**
 * Invalid bytes decode to U+FFFD, so a text without one came from valid UTF-8, and a text held in
 * one byte per character (any ASCII body) cannot hold one: the full check runs only on a text
 * that holds U+FFFD, which may have been sent as such.
 */
function decode(buffer: Buffer): BodyResult {
  const text = buffer.toString('utf8');
  return !text.includes('\uFFFD') || isUtf8(buffer) ? { kind: 'text', text } : { kind: 'not-utf8' };
}

function fromParsed(value: unknown, limit: number, lengthChecked: boolean): BodyResult {
  // A raw or text parser hands over bytes or a string; a JSON parser hands over the value.
  if (Buffer.isBuffer(value)) {
    return value.length > limit ? { kind: 'too-large', bytes: value.length } : decode(value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.byteLength(value, 'utf8');
    return bytes > limit ? { kind: 'too-large', bytes } : { kind: 'text', text: value };
  }
  if (lengthChecked) return { kind: 'parsed', value };
  // Without a Content-Length the parsed value's compact JSON is the closest measure of the body.
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  return bytes > limit ? { kind: 'too-large', bytes } : { kind: 'parsed', value };
}

function readStream(stream: NodeJS.ReadableStream, limit: number, deadlines: Deadlines, done: BodyCallback): void {
  // The stream's events run in the context node gave the connection; `done` (the handlers, the
  // answer) runs in the caller's, so an AsyncLocalStorage the caller entered for this request
  // (a request id, a trace) is what the handlers see. 70-100 ns; AsyncResource.bind is 8 us.
  const scope = new AsyncResource('EVENTBRIDGE_DELIVERY');
  // Most bodies arrive in one chunk: no array for them.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let bytes = 0;
  let finished = false;
  const finish = (result: BodyResult | Error, ended: boolean) => {
    // A stream may still error after 'end' (one not destroyed when it ends): the read is over,
    // and its delivery must not be answered twice.
    if (finished) return;
    finished = true;
    deadline.cancel();
    // An ended stream's 'data' and 'end' listeners go with it; its 'error' listener stays, so a
    // late error is not thrown as unhandled (a client reset after its 413 or 503, too). One
    // refused midway is still open, and must not feed a finished read.
    if (!ended) {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      if (!(result instanceof Error)) stream.pause();
    }
    scope.runInAsyncScope(done, undefined, result);
  };
  const onData = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    if (bytes > limit) finish({ kind: 'too-large', bytes }, false);
    else if (first === undefined) first = buffer;
    else (more ??= [first]).push(buffer);
  };
  const onEnd = () => finish(decode(more ? Buffer.concat(more) : first ?? EMPTY), true);
  const onError = (error: Error) => finish(error, false);
  const deadline = deadlines.set(() => finish({ kind: 'timeout', bytes }, false));
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  // A 'data' listener does not restart a stream its owner paused (a server step that paused the
  // request while it looked something up): the receiver reads it now, or it would time out.
  if (stream.isPaused?.()) stream.resume();
}

const EMPTY = Buffer.alloc(0);
