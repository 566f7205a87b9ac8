// Every delivery is bounded: hung handlers, slow bodies and refused requests are answered within
// their deadlines, and their sockets and memory are given back.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { API_KEY, delivery, post, serve } from './support';
import { applyServerTimeouts, createReceiver, Receiver, SERVER_TIMEOUTS } from '../../../src/runtime';
import { countLoopLateness } from '../../support/loop-lateness';

interface RawAnswer {
  readonly status: number;
  readonly head: string;
  /** Milliseconds from the request's first byte to the status line. */
  readonly answeredMs: number;
  /** Milliseconds from the request's first byte until the server closed the socket, if it did. */
  readonly closedMs?: number;
}

/**
 * Sends a request head and `body` over a raw socket (so a body can be cut short or dripped), and
 * resolves once the answer has arrived and, when `waitForClose`, the server closed the socket.
 */
function raw(port: number, head: string, body: string | { drip: string; everyMs: number }, waitForClose = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let data = '';
    let answeredMs: number | undefined;
    let drip: NodeJS.Timeout | undefined;
    const finish = (closedMs?: number) => {
      clearInterval(drip);
      socket.destroy();
      if (answeredMs === undefined) return reject(new Error(`no answer: ${JSON.stringify(data)}`));
      resolve({ status: Number(data.slice(9, 12)), head: data.split('\r\n\r\n')[0], answeredMs, ...(closedMs !== undefined && { closedMs }) });
    };
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (answeredMs === undefined && data.includes('\r\n\r\n')) {
        answeredMs = Date.now() - started;
        if (!waitForClose) finish();
      }
    });
    socket.on('end', () => finish(Date.now() - started));
    socket.on('close', () => finish(Date.now() - started));
    socket.on('error', (error) => {
      if (answeredMs === undefined) {
        clearInterval(drip);
        reject(error);
      } else {
        finish(Date.now() - started);
      }
    });
    socket.write(head);
    if (typeof body === 'string') {
      socket.write(body);
    } else {
      let i = 0;
      drip = setInterval(() => {
        if (!socket.destroyed && i < body.drip.length) socket.write(body.drip[i++]);
      }, body.everyMs);
    }
  });
}

function requestHead(options: { key?: string; length: number; type?: string; method?: string }): string {
  return [
    `${options.method ?? 'POST'} /events HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Type: ${options.type ?? 'application/json; charset=utf-8'}`,
    `Content-Length: ${options.length}`,
    ...(options.key !== undefined ? [`x-api-key: ${options.key}`] : []),
    '',
    '',
  ].join('\r\n');
}

async function listen(receiver: Receiver): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = applyServerTimeouts(createServer(receiver.handle));
  // A backlog for 2,000 connections opened at once (node's default is 511).
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

function connections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

const BODY = JSON.stringify(delivery('OrderPlaced', { orderId: 'o-1' }));

describe('each delivery is bounded', () => {
  test('a handler that never settles is answered 503 at the handler deadline, and its signal aborts', async () => {
    const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 200 });
    let aborted: unknown;
    receiver.on('OrderPlaced', (_event, { signal }) => new Promise(() => signal.addEventListener('abort', () => (aborted = signal.reason))));
    const { port, close } = await listen(receiver);
    try {
      const answer = await raw(port, requestHead({ key: API_KEY, length: Buffer.byteLength(BODY) }), BODY);
      expect(answer.status).toBe(503);
      expect(answer.answeredMs).toBeGreaterThanOrEqual(190);
      expect(answer.answeredMs).toBeLessThan(1_000);
      expect(String(aborted)).toContain('handler deadline of 200 ms passed');
      // Answered, but its handler still runs: it keeps its slot until it settles.
      expect(receiver.handlersInFlight).toBe(1);
    } finally {
      await close();
    }
  });

  test('a handler that stops when its signal aborts gives its slot back; until then it keeps it', async () => {
    const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 100, maxHandlersInFlight: 1 });
    let stop!: () => void;
    receiver.on('OrderPlaced', (_event, { signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (stop = resolve))));
    const { port, close } = await listen(receiver);
    try {
      expect((await raw(port, requestHead({ key: API_KEY, length: Buffer.byteLength(BODY) }), BODY)).status).toBe(503);
      expect(receiver.handlersInFlight).toBe(1);
      expect((await raw(port, requestHead({ key: API_KEY, length: Buffer.byteLength(BODY) }), BODY)).head).toContain('503');
      stop();
      await new Promise((r) => setImmediate(r));
      expect(receiver.handlersInFlight).toBe(0);
    } finally {
      await close();
    }
  });

  test('a body that stops arriving is answered 503 at the body deadline and the connection closes', async () => {
    const receiver = createReceiver({ apiKey: API_KEY, bodyTimeoutMs: 200 }).on('OrderPlaced', () => undefined);
    const { port, close } = await listen(receiver);
    try {
      const answer = await raw(port, requestHead({ key: API_KEY, length: 1000 }), BODY.slice(0, 20), true);
      expect(answer.status).toBe(503);
      expect(answer.head).toMatch(/connection: close/i);
      expect(answer.answeredMs).toBeLessThan(1_000);
      expect(answer.closedMs).toBeLessThan(2_500);
    } finally {
      await close();
    }
  });

  test.each([
    ['a wrong key', 403, { key: 'wrong' }],
    ['no key', 401, {}],
    ['a body over the limit', 413, { key: API_KEY, length: 10_000_000 }],
    ['a text/plain body', 415, { key: API_KEY, type: 'text/plain' }],
    ['a GET', 405, { key: API_KEY, method: 'GET' }],
  ])('%s dripped one byte every 100 ms: %i at once, Connection: close, socket closed without reading the body', async (_what, status, options) => {
    const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 4096 }).on('OrderPlaced', () => undefined);
    const { port, close } = await listen(receiver);
    try {
      const answer = await raw(port, requestHead({ length: 5000, ...options }), { drip: 'x'.repeat(5000), everyMs: 100 }, true);
      expect(answer.status).toBe(status);
      expect(answer.head).toMatch(/connection: close/i);
      if (status === 405) expect(answer.head).toMatch(/allow: POST/i);
      expect(answer.answeredMs).toBeLessThan(500);
      expect(answer.closedMs).toBeLessThan(2_500);
    } finally {
      await close();
    }
  });

  test('a body that is not UTF-8 is answered 400, never handed over with U+FFFD', async () => {
    const seen: unknown[] = [];
    const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', (e) => void seen.push(e.detail));
    const server = await serve(receiver.handle);
    try {
      // "o-1" with its 1 replaced by the byte 0xff, which no UTF-8 sequence contains.
      const bad = Buffer.from(BODY.replace('"o-1"', '"o-\u00ff"'), 'latin1');
      const res = await fetch(server.url, { method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: bad });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'InvalidUtf8' });
      expect(seen).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('beyond maxHandlersInFlight, deliveries are answered 503 at once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const receiver = createReceiver({ apiKey: API_KEY, maxHandlersInFlight: 2 }).on('OrderPlaced', () => gate);
    const server = await serve(receiver.handle);
    try {
      const first = [post(server.url, delivery('OrderPlaced', {})), post(server.url, delivery('OrderPlaced', {}))];
      await new Promise((r) => setTimeout(r, 100));
      const third = await post(server.url, delivery('OrderPlaced', {}));
      expect(third).toMatchObject({ status: 503, body: { error: 'TooManyInFlight' } });
      release();
      expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
      expect((await post(server.url, delivery('OrderPlaced', {}))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('applyServerTimeouts sets the values the README gives', () => {
    const server = applyServerTimeouts(createServer());
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.timeout]).toEqual([
      SERVER_TIMEOUTS.headersTimeoutMs, SERVER_TIMEOUTS.requestTimeoutMs, SERVER_TIMEOUTS.keepAliveTimeoutMs, SERVER_TIMEOUTS.socketTimeoutMs,
    ]);
    expect(SERVER_TIMEOUTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 5_000, socketTimeoutMs: 30_000 });
  });
});

describe('under load', () => {
  jest.setTimeout(60_000);

  test('1,000 hung handlers and 1,000 slow or unauthenticated bodies: every request answered in time, sockets and memory back to baseline', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 1_000, bodyTimeoutMs: 1_000 });
    // Each event a hung handler saw, held weakly: nothing of the receiver's may keep it alive.
    const seen: Array<WeakRef<object>> = [];
    receiver.on('OrderPlaced', (event) => {
      seen.push(new WeakRef(event));
      return new Promise(() => undefined); // never settles
    });
    const { server, port, close } = await listen(receiver);
    try {
      const length = Buffer.byteLength(BODY);
      const hung = Array.from({ length: 1000 }, () => raw(port, requestHead({ key: API_KEY, length }), BODY));
      const slow = Array.from({ length: 500 }, () => raw(port, requestHead({ key: API_KEY, length }), BODY.slice(0, 10), true));
      const unauthenticated = Array.from({ length: 500 }, () => raw(port, requestHead({ key: 'wrong', length: 100_000 }), { drip: 'x'.repeat(100), everyMs: 200 }, true));
      const lateness = countLoopLateness();
      const [h, s, u] = await Promise.all([Promise.all(hung), Promise.all(slow), Promise.all(unauthenticated)]);
      // The clients share this process's loop: what it lost to a starved CPU delays every answer
      // they see, so it is added to the slack (a receiver ignoring its deadlines answers at
      // requestTimeout, 15 s, or never, whatever the load).
      const lost = lateness.stop();

      expect(new Set(h.map((a) => a.status))).toEqual(new Set([503]));
      expect(new Set(s.map((a) => a.status))).toEqual(new Set([503]));
      expect(new Set(u.map((a) => a.status))).toEqual(new Set([403]));
      // Deadline plus scheduling slack for 2,000 connections on a shared machine.
      expect(Math.max(...h.map((a) => a.answeredMs))).toBeLessThan(1_000 + 3_000 + lost);
      expect(Math.max(...s.map((a) => a.answeredMs))).toBeLessThan(1_000 + 3_000 + lost);
      expect(Math.max(...u.map((a) => a.answeredMs))).toBeLessThan(3_000 + lost);
      expect(Math.max(...[...s, ...u].map((a) => a.closedMs ?? Infinity))).toBeLessThan(6_000 + lost);

      await new Promise((r) => setTimeout(r, 300));
      expect(await connections(server)).toBe(0);
      // The handlers never settle, so they still count (maxHandlersInFlight bounds them); what
      // they hold is only what they reference, and the heap below shows it is nothing of ours.
      expect(receiver.handlersInFlight).toBe(1000);
      gc();
      await new Promise((r) => setImmediate(r));
      gc();
      expect(seen).toHaveLength(1000);
      expect(seen.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    } finally {
      await close();
    }
  });

  test('1,000 hung deliveries: the heap is back to its baseline, measured in a process of its own', async () => {
    // The jest worker's heap is shared with the files that ran before this one, whose leftovers
    // grew it by up to 21 MB during the case above in full runs (5-6 MB alone): the heap is read
    // in a child that runs the bundled runtime and nothing else.
    const bundle = join(__dirname, '../../../lib/runtime/index.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node build-tools/bundle.mjs\` (npm test does) first`);
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', HUNG_MEMORY_PROBE], {
      env: { ...process.env, RECEIVER_BUNDLE: bundle, API_KEY, BODY },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { statuses: number[]; inFlight: number; grownBytes: number };
    expect(new Set(result.statuses)).toEqual(new Set([503]));
    expect(result.statuses).toHaveLength(1000);
    expect(result.inFlight).toBe(1000); // never settled, so still counted
    expect(result.grownBytes).toBeLessThan(16 * 1024 * 1024);
  });
});

/** Runs in a child: 1,000 deliveries to never-settling handlers, the heap read before and after. */
const HUNG_MEMORY_PROBE = `
const { createServer } = require('node:http');
const { connect } = require('node:net');
const { createReceiver } = require(process.env.RECEIVER_BUNDLE);
const settledHeap = async () => { gc(); await new Promise((r) => setImmediate(r)); gc(); return process.memoryUsage().heapUsed; };
const ask = (port, head) => new Promise((resolve, reject) => {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk) => { data += chunk; if (data.includes('\\r\\n\\r\\n')) { socket.destroy(); resolve(Number(data.slice(9, 12))); } });
  socket.on('error', reject);
  socket.write(head + process.env.BODY);
});
(async () => {
  const receiver = createReceiver({ apiKey: process.env.API_KEY, handlerTimeoutMs: 300 });
  receiver.on('OrderPlaced', () => new Promise(() => undefined));
  const server = createServer(receiver.handle);
  await new Promise((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  const port = server.address().port;
  const head = 'POST /events HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json\\r\\nContent-Length: '
    + Buffer.byteLength(process.env.BODY) + '\\r\\nx-api-key: ' + process.env.API_KEY + '\\r\\n\\r\\n';
  await Promise.all(Array.from({ length: 20 }, () => ask(port, head)));
  const before = await settledHeap();
  const statuses = await Promise.all(Array.from({ length: 1000 }, () => ask(port, head)));
  await new Promise((r) => setTimeout(r, 300));
  const grownBytes = (await settledHeap()) - before;
  server.closeAllConnections();
  server.close();
  process.stdout.write(JSON.stringify({ statuses, inFlight: receiver.handlersInFlight - 20, grownBytes }));
})();
`;
