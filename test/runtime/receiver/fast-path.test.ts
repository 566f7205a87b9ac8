// The receiver's hot path answers in the same turn as the body's last byte, checks UTF-8 only
// when the text could hide a bad byte, and hashes the key in one call. These tests hold each
// shortcut to what the slow way gave.
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { API_KEY, delivery, serve } from './support';
import { createReceiver } from '../../../src/runtime';
import type { HttpRequestLike, HttpResponseLike } from '../../../src/runtime/receiver';

/** A delivery whose `detail.note` holds `bytes` as sent, byte for byte. */
function bodyWith(bytes: Buffer): Buffer {
  const [before, after] = JSON.stringify(delivery('OrderPlaced', { note: '#' })).split('#');
  return Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]);
}

/** POSTs raw bytes, split into the given chunk sizes with a pause between them. */
function postRaw(url: string, body: Buffer, chunkSizes: number[] = [body.length]): Promise<{ status: number; body: any }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const end = data.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(data)?.[1]);
      if (end >= 0 && Buffer.byteLength(data.slice(end + 4)) >= length) {
        socket.destroy();
        resolve({ status: Number(data.slice(9, 12)), body: JSON.parse(data.slice(end + 4)) });
      }
    });
    socket.on('error', reject);
    socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nx-api-key: ${API_KEY}\r\n\r\n`);
    let at = 0;
    const next = (i: number) => {
      if (i >= chunkSizes.length) return;
      socket.write(body.subarray(at, at + chunkSizes[i]));
      at += chunkSizes[i];
      setTimeout(() => next(i + 1), 20);
    };
    next(0);
  });
}

describe('UTF-8: valid bodies pass whole, invalid ones are refused', () => {
  const seen: unknown[] = [];
  const receiver = createReceiver({ apiKey: API_KEY }).on<{ note: string }>('OrderPlaced', (e) => void seen.push(e.detail.note));
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (server = await serve(receiver.handle)));
  afterAll(() => server.close());
  beforeEach(() => (seen.length = 0));

  test.each([
    ['ASCII', Buffer.from('plain'), 'plain'],
    ['two-, three- and four-byte characters', Buffer.from('é€😀'), 'é€😀'],
    ['a U+FFFD sent as such', Buffer.from([0xef, 0xbf, 0xbd]), '\uFFFD'],
  ])('%s: accepted and handed over unchanged', async (_name, bytes, note) => {
    const answer = await postRaw(server.url, bodyWith(bytes));
    expect(answer.status).toBe(200);
    expect(seen).toEqual([note]);
  });

  test.each([
    ['a byte no sequence holds (0xff)', [0xff]],
    ['an overlong encoding of "/" (c0 af)', [0xc0, 0xaf]],
    ['an encoded surrogate (ed a0 80)', [0xed, 0xa0, 0x80]],
    ['a sequence cut short (e2 82)', [0xe2, 0x82]],
    ['a code point above U+10FFFF (f4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
    ['a bad byte next to a U+FFFD sent as such', [0xef, 0xbf, 0xbd, 0xff]],
  ])('%s: 400 InvalidUtf8, the handler never sees it', async (_name, bytes) => {
    const answer = await postRaw(server.url, bodyWith(Buffer.from(bytes)));
    expect(answer).toEqual({ status: 400, body: { error: 'InvalidUtf8', message: 'body is not valid UTF-8: expected JSON text' } });
    expect(seen).toEqual([]);
  });

  test('a body in many chunks, a character split between two of them, arrives whole', async () => {
    const body = bodyWith(Buffer.from('ü'.repeat(50)));
    // The split at 1 byte past an 'ü' start cuts its two bytes apart.
    const first = body.indexOf(Buffer.from('ü')) + 1;
    const answer = await postRaw(server.url, body, [first, 7, 13, body.length - first - 20]);
    expect(answer.status).toBe(200);
    expect(seen).toEqual(['ü'.repeat(50)]);
  });
});

describe('receive(): answers in the same turn when it can', () => {
  const event = delivery('OrderPlaced', { orderId: 'o-1' });
  const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };

  test('a parsed body and a synchronous handler: the answer itself, not a promise', () => {
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => undefined);
    const answer = receiver.receive({ method: 'POST', headers, body: { kind: 'parsed', value: event } });
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ status: 200, body: { status: 'handled' } });
    expect(receiver.handlersInFlight).toBe(0);
  });

  test('an asynchronous handler: a promise of the answer', async () => {
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', async () => undefined);
    const answer = receiver.receive({ method: 'POST', headers, body: { kind: 'parsed', value: event } });
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toMatchObject({ status: 200 });
    expect(receiver.handlersInFlight).toBe(0);
  });

  test('a parsed value JSON cannot measure (a BigInt, no Content-Length): 400, not a throw', () => {
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => undefined);
    const answer = receiver.receive({ method: 'POST', headers, body: { kind: 'parsed', value: { ...event, detail: { n: 1n } } } });
    expect(answer).toMatchObject({ status: 400, body: { error: 'UnreadableBody' } });
    expect(receiver.handlersInFlight).toBe(0);
  });
});

describe('handle(): the promise says whether the answer was written', () => {
  /** A request whose body has already been read by a framework, and a response that cannot be written. */
  function exchange(): { req: HttpRequestLike; res: HttpResponseLike } {
    const req = Object.assign(new EventEmitter(), {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      readableEnded: true,
      body: delivery('OrderPlaced', {}),
    }) as unknown as HttpRequestLike;
    const broken = () => {
      throw new Error('socket gone');
    };
    const res = { statusCode: 0, setHeader: broken, writeHead: broken, end: broken } as unknown as HttpResponseLike;
    return { req, res };
  }

  test('writing fails: the promise rejects with the cause, and nothing is left in flight', async () => {
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', () => undefined);
    const { req, res } = exchange();
    await expect(receiver.handle(req, res)).rejects.toThrow('socket gone');
    expect(receiver.handlersInFlight).toBe(0);
  });

  test('Express-style: the failure goes to next()', async () => {
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', async () => undefined);
    const { req, res } = exchange();
    const next = await new Promise<unknown>((resolve) => receiver.middleware()(req, res, resolve));
    expect(String(next)).toContain('socket gone');
  });
});

describe('the API key digest', () => {
  test('falls back to a Hash object on a Node 20 without crypto.hash, with the same verdicts', () => {
    const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const createHash = jest.fn((algorithm: string) => actual.createHash(algorithm));
    jest.isolateModules(() => {
      jest.doMock('node:crypto', () => ({ ...actual, hash: undefined, createHash }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { apiKeyCheck } = require('../../../src/runtime/receiver/api-key') as typeof import('../../../src/runtime/receiver/api-key');
      const check = apiKeyCheck(['key-one', 'kéy-two']);
      expect([check('key-one'), check('kéy-two'), check('key-two'), check(undefined), check('')]).toEqual(['ok', 'ok', 'wrong', 'missing', 'missing']);
      // two accepted keys, then one per presented key that was not missing
      expect(createHash.mock.calls).toEqual(Array(5).fill(['sha256']));
    });
    jest.dontMock('node:crypto');
  });
});
