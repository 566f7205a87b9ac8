import type { IncomingHttpHeaders } from 'node:http';

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
  | { readonly kind: 'too-large'; readonly bytes: number };

/** The declared Content-Length, or undefined when absent (chunked) or malformed. */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads the body, refusing one over `limit` bytes as early as possible: before reading anything
 * when Content-Length says so, else as soon as the bytes read pass the limit. A refused stream is
 * left paused and undrained; the caller answers and closes the connection.
 */
export async function readBody(source: BodySource, headers: IncomingHttpHeaders, limit: number): Promise<BodyResult> {
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > limit) return { kind: 'too-large', bytes: declared };
  if (source.kind === 'parsed') return fromParsed(source.value, limit, declared !== undefined);
  return readStream(source.stream, limit);
}

function fromParsed(value: unknown, limit: number, lengthChecked: boolean): BodyResult {
  // A raw or text parser hands over bytes or a string; a JSON parser hands over the value.
  if (Buffer.isBuffer(value)) {
    return value.length > limit ? { kind: 'too-large', bytes: value.length } : { kind: 'text', text: value.toString('utf8') };
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

function readStream(stream: NodeJS.ReadableStream, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buffer.length;
      if (bytes > limit) {
        cleanup();
        stream.pause();
        resolve({ kind: 'too-large', bytes });
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      cleanup();
      resolve({ kind: 'text', text: Buffer.concat(chunks).toString('utf8') });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
