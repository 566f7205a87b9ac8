/**
 * Deliveries over one keep-alive socket as a client may write them (`createServer(receiver.handle)`,
 * as the README mounts it): pipelined requests with synchronous and asynchronous handlers mixed
 * are answered in order, each with its own answer; a body split at any byte, in the middle of a
 * multi-byte character, or sent chunked reaches the handler unchanged; invalid UTF-8 split the
 * same ways is refused 400.
 */
import { connect, Socket } from 'node:net';
import { createReceiver, ReceivedEvent } from '../../src/runtime';
import { API_KEY, delivery, serve, TestServer } from '../runtime/receiver/support';

let server: TestServer;
let port: number;
const seen: Array<{ id: string; text: unknown }> = [];
const receiver = createReceiver({ apiKey: API_KEY })
  .on('Sync', (event: ReceivedEvent<{ text: string }>) => void seen.push({ id: event.id, text: event.detail.text }))
  .on('Slow', (event: ReceivedEvent<{ ms: number }>) => new Promise<void>((resolve) => setTimeout(() => {
    seen.push({ id: event.id, text: event.detail.ms });
    resolve();
  }, event.detail.ms)))
  .on('Fails', () => {
    throw new Error('boom');
  });

beforeAll(async () => {
  server = await serve(receiver.handle);
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

function open(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
  });
}

/** Reads `count` HTTP/1.1 answers with Content-Length bodies off the socket. */
function answers(socket: Socket, count: number): Promise<Array<{ status: number; body: any }>> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const out: Array<{ status: number; body: any }> = [];
    const timer = setTimeout(() => reject(new Error(`only ${out.length} of ${count} answers: ${buffered.toString()}`)), 3_000);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) break;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) break;
        out.push({ status: Number(head.split(' ')[1]), body: JSON.parse(buffered.subarray(end + 4, end + 4 + length).toString('utf8')) });
        buffered = buffered.subarray(end + 4 + length);
      }
      if (out.length === count) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}

function request(body: Buffer, headers: Record<string, string | number> = {}): Buffer {
  const all: Record<string, string | number> = { 'host': 'x', 'x-api-key': API_KEY, 'content-type': 'application/json', 'content-length': body.length, ...headers };
  const head = `POST /events HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

test('pipelined deliveries, sync and async handlers mixed, are answered in order, each its own', async () => {
  const plan = [
    delivery('Slow', { ms: 60 }, { id: 'a' }),
    delivery('Sync', { text: 'b' }, { id: 'b' }),
    delivery('Fails', {}, { id: 'c' }),
    delivery('Slow', { ms: 5 }, { id: 'd' }),
    delivery('Nobody', {}, { id: 'e' }),
    delivery('Sync', { text: 'f' }, { id: 'f' }),
  ];
  const socket = await open();
  const read = answers(socket, plan.length + 1);
  socket.write(Buffer.concat([...plan.map((d) => request(json(d))), request(Buffer.from('{"a":"\xff"}', 'latin1'))]));
  const got = await read;
  socket.destroy();
  expect(got.map((a) => [a.status, a.body.id ?? a.body.error])).toEqual([
    [200, 'a'], [200, 'b'], [500, 'HandlerFailed'], [200, 'd'], [202, 'e'], [200, 'f'], [400, 'InvalidUtf8'],
  ]);
  expect(receiver.handlersInFlight).toBe(0);
});

/** Sends one request whose body is cut after `at` bytes, the two parts a millisecond apart. */
async function sendSplit(socket: Socket, body: Buffer, at: number): Promise<Awaited<ReturnType<typeof answers>>[number]> {
  const read = answers(socket, 1);
  const whole = request(body);
  const cut = whole.length - body.length + at;
  socket.write(whole.subarray(0, cut));
  await new Promise((resolve) => setTimeout(resolve, 1));
  socket.write(whole.subarray(cut));
  const [answer] = await read;
  socket.removeAllListeners('data');
  return answer;
}

const TRICKY = 'é𝄞\uFFFD\uFFFE\uFFFF\uFEFF end';

test('a body split at every byte, multi-byte characters included, reaches the handler unchanged', async () => {
  const body = json(delivery('Sync', { text: TRICKY }, { id: 'split' }));
  const socket = await open();
  for (let at = 1; at < body.length; at += 1) {
    seen.length = 0;
    const answer = await sendSplit(socket, body, at);
    expect([at, answer.status]).toEqual([at, 200]);
    expect(seen).toEqual([{ id: 'split', text: TRICKY }]);
  }
  socket.destroy();
});

test('a chunked body, its chunks cutting characters in half, reaches the handler unchanged', async () => {
  const body = json(delivery('Sync', { text: TRICKY }, { id: 'chunked' }));
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 3) chunks.push(body.subarray(i, i + 3));
  const framed = Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]);
  const whole = request(Buffer.alloc(0), { 'transfer-encoding': 'chunked' });
  const head = Buffer.from(whole.toString('latin1').replace(/content-length: 0\r\n/, ''), 'latin1');
  seen.length = 0;
  const socket = await open();
  const read = answers(socket, 1);
  socket.write(head);
  for (let i = 0; i < framed.length; i += 7) {
    socket.write(framed.subarray(i, i + 7));
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect((await read)[0].status).toBe(200);
  socket.destroy();
  expect(seen).toEqual([{ id: 'chunked', text: TRICKY }]);
});

test.each([
  ['an overlong slash', [0xc0, 0xaf]],
  ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ['a low surrogate', [0xed, 0xbf, 0xbf]],
  ['a lone continuation byte', [0x80]],
  ['a truncated 4-byte sequence', [0xf0, 0x9d, 0x84]],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['U+FFFD sent as such next to an invalid byte', [0xef, 0xbf, 0xbd, 0xff]],
])('%s, split at every byte, is refused 400 InvalidUtf8', async (_name, bad) => {
  const prefix = Buffer.from(JSON.stringify(delivery('Sync', { text: 'X' })).replace('"X"', '"'), 'utf8');
  const body = Buffer.concat([prefix, Buffer.from(bad), Buffer.from('"}}')]);
  const socket = await open();
  seen.length = 0;
  for (let at = prefix.length - 1; at <= prefix.length + bad.length + 1; at++) {
    const answer = await sendSplit(socket, body, at);
    expect([at, answer.status, answer.body.error]).toEqual([at, 400, 'InvalidUtf8']);
  }
  socket.destroy();
  expect(seen).toEqual([]);
});

test('invalid UTF-8 as the very last byte of the body is refused 400', async () => {
  const text = JSON.stringify(delivery('Sync', { text: 'x' }));
  const socket = await open();
  const read = answers(socket, 1);
  // JSON.parse would accept trailing whitespace, but not a trailing U+FFFD: both are refusals.
  socket.write(request(Buffer.concat([Buffer.from(text), Buffer.from([0x20, 0xe2, 0x82])])));
  const [answer] = await read;
  socket.destroy();
  expect([answer.status, answer.body.error]).toEqual([400, 'InvalidUtf8']);
});

test('a pipelined delivery refused before its body is read waits for the answer before it, then closes', async () => {
  const socket = await open();
  const read = answers(socket, 2);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(Buffer.concat([
    request(json(delivery('Slow', { ms: 50 }, { id: 'first' }))),
    request(json(delivery('Sync', { text: 'never' }, { id: 'second' })), { 'x-api-key': 'wrong' }),
    request(json(delivery('Sync', { text: 'never' }, { id: 'third' }))),
  ]));
  const got = await read;
  await closed;
  expect(got.map((a) => [a.status, a.body.id ?? a.body.error])).toEqual([[200, 'first'], [403, 'WrongApiKey']]);
  expect(receiver.handlersInFlight).toBe(0);
});
