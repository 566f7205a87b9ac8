import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import type { Deadlines } from './deadlines';

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

/**
 * Reads the body, refusing one over `limit` bytes as early as possible: before reading anything
 * when Content-Length says so, else as soon as the bytes read pass the limit. A body that has not
 * ended when its deadline falls due is refused too. A refused stream is left paused and
 * undrained; the caller answers and closes the connection.
 */
export function readBody(source: BodySource, headers: IncomingHttpHeaders, limit: number, deadlines: Deadlines): BodyResult | Promise<BodyResult> {
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > limit) return { kind: 'too-large', bytes: declared };
  if (source.kind === 'parsed') return fromParsed(source.value, limit, declared !== undefined);
  return readStream(source.stream, limit, deadlines);
}

function decode(buffer: Buffer): BodyResult {
  return isUtf8(buffer) ? { kind: 'text', text: buffer.toString('utf8') } : { kind: 'not-utf8' };
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

function readStream(stream: NodeJS.ReadableStream, limit: number, deadlines: Deadlines): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (result: BodyResult | Error, ended = false) => {
      deadline.cancel();
      // An ended stream emits nothing more: its listeners go with it. One refused midway is
      // still open, and must not feed a finished read.
      if (!ended) {
        stream.removeListener('data', onData);
        stream.removeListener('end', onEnd);
        stream.removeListener('error', onError);
      }
      if (result instanceof Error) {
        reject(result);
        return;
      }
      if (result.kind !== 'text') stream.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buffer.length;
      if (bytes > limit) finish({ kind: 'too-large', bytes });
      else chunks.push(buffer);
    };
    const onEnd = () => finish(decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)), true);
    const onError = (error: Error) => finish(error);
    const deadline = deadlines.set(() => finish({ kind: 'timeout', bytes }));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
