/**
 * Clients that misbehave mid-delivery, over real HTTP (`createServer(receiver.handle)`): a reset
 * mid-body, a Content-Length the body never reaches, a last byte that comes after the body
 * deadline, and many slow deliveries at once. Every delivery is answered once, within its
 * deadline; nothing stays in flight, no socket stays open, nothing is thrown or left unhandled.
 */
import { createServer, Server } from 'node:http';
import { connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
const handled: string[] = [];
const receiver = createReceiver({ apiKey: API_KEY, bodyTimeoutMs: 200, handlerTimeoutMs: 150 })
  .on('OrderPlaced', () => void handled.push('sync'))
  .on('Slow', (_event, { signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())));
let server: Server;
let port: number;
const written: string[] = [];

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = createServer((req, res) => {
    receiver.handle(req, res).then(() => written.push('written'), (e: Error) => written.push(`rejected: ${e.message}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  written.length = 0;
  handled.length = 0;
});

function open(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
  });
}
const head = (length: number) => `POST /events HTTP/1.1\r\nHost: x\r\nx-api-key: ${API_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;
const connections = () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a client reset mid-body leaves nothing in flight and no socket open', async () => {
  const body = JSON.stringify(delivery('OrderPlaced', {}));
  const socket = await open();
  socket.write(head(body.length) + body.slice(0, 20));
  await sleep(30);
  socket.resetAndDestroy();
  await sleep(300);
  expect(receiver.handlersInFlight).toBe(0);
  expect(await connections()).toBe(0);
  expect(handled).toEqual([]);
  expect(unhandled).toEqual([]);
});

test('a Content-Length the body never reaches is answered 503 at the body deadline and the socket closed', async () => {
  const body = JSON.stringify(delivery('OrderPlaced', {}));
  const socket = await open();
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  const sent = Date.now();
  socket.write(head(body.length + 10) + body);
  // The last bytes arrive after the deadline fired: they change nothing.
  await sleep(400);
  socket.write('          ');
  const at = await closed;
  const answer = Buffer.concat(chunks).toString();
  expect(answer.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 503']);
  expect(answer).toContain('BodyTimeout');
  expect(at - sent).toBeLessThan(200 + 100 + 1_000 + 500);
  expect(handled).toEqual([]);
  expect(receiver.handlersInFlight).toBe(0);
  expect(unhandled).toEqual([]);
});

test('200 slow deliveries at once are each answered 503 once, at the handler deadline, and released', async () => {
  const body = JSON.stringify(delivery('Slow', {}));
  const sockets = await Promise.all(Array.from({ length: 200 }, () => open()));
  const started = Date.now();
  const answers = sockets.map((socket) => new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('}')) resolve(text);
    });
    socket.write(head(body.length) + body);
  }));
  const texts = await Promise.all(answers);
  const took = Date.now() - started;
  await sleep(50);
  for (const socket of sockets) socket.destroy();
  expect(texts.every((t) => t.match(/HTTP\/1\.1 \d+/g)!.join() === 'HTTP/1.1 503' && t.includes('HandlerTimeout'))).toBe(true);
  expect(took).toBeLessThan(1_500);
  expect(receiver.handlersInFlight).toBe(0);
  expect(written.filter((w) => w === 'written')).toHaveLength(200);
  expect(unhandled).toEqual([]);
});
