/**
 * 94ad03f: "a delivery pipelined behind a refusal on the same connection was handled though its
 * answer could never be sent: the node and Express adapters skip requests on a connection answered
 * Connection: close". The connection is marked when the refusal is WRITTEN, and checked when a
 * later delivery reaches `receiver.handle`. A server that awaits something of its own before
 * `receiver.handle` (an auth lookup that misses its cache for one request and hits it for the
 * next, an Express middleware that awaits a database) hands the pipelined delivery over first:
 * it is handled (its handlers run) and answered, its answer queued by node behind the refusal,
 * whose `Connection: close` ends the connection before that answer is sent. The client sees no
 * answer, delivers it again, and it is handled twice. (By then node has parsed the refused request
 * whole: nothing of it is left unread on the connection, which could have stayed open.)
 * Expected, as behind a refusal handed over first: a delivery is handled only if it is answered.
 * (Fixed: a request whose response waits behind an earlier one on its connection is taken only
 * when node hands that response the socket, i.e. in turn.)
 */
import { connect } from 'node:net';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, serve, TestServer } from '../runtime/receiver/support';

let server: TestServer;
const handled: string[] = [];
const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 4096 }).on('OrderPlaced', (event) => void handled.push(event.id));

beforeAll(async () => {
  // The server's own lookup: slower for the first request on the connection than for the second.
  const lookup = (slow: boolean) => new Promise((resolve) => setTimeout(resolve, slow ? 20 : 0));
  server = await serve((req, res) => void lookup(req.headers['x-lookup'] === 'slow').then(() => receiver.handle(req, res)));
});
afterAll(() => server.close());
beforeEach(() => void handled.splice(0));

function request(body: string, { key = API_KEY, chunked = false, lookup = 'fast' } = {}): string {
  const head = `POST /events HTTP/1.1\r\nhost: x\r\nx-api-key: ${key}\r\nx-lookup: ${lookup}\r\ncontent-type: application/json\r\n`;
  return chunked
    ? `${head}transfer-encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`
    : `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes `raw` on one connection; everything the server wrote until it closed, or fell silent for 300 ms. */
async function exchange(raw: string): Promise<string> {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  let received = '';
  let quiet: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const settle = () => {
      clearTimeout(quiet);
      socket.destroy();
      resolve();
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(settle, 300);
    });
    socket.on('close', settle);
    socket.write(raw);
  });
  return received;
}

test.each([
  ['a chunked body over the limit (413)', 413, request(JSON.stringify(delivery('OrderPlaced', { pad: 'x'.repeat(5000) }, { id: 'refused' })), { chunked: true, lookup: 'slow' })],
  ['a wrong api key (403)', 403, request(JSON.stringify(delivery('OrderPlaced', {}, { id: 'refused' })), { key: 'wrong-key-0123456789', lookup: 'slow' })],
])('a delivery pipelined behind %s is handled only if its answer is sent', async (_name, status, refused) => {
  const received = await exchange(refused + request(JSON.stringify(delivery('OrderPlaced', {}, { id: 'pipelined' }))));
  // Answers follow one another with no line break between a body and the next status line.
  const answers = received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
  expect(answers[0]).toBe(`HTTP/1.1 ${status}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect({ handled, answers: answers.length }).toEqual(handled.length === 0 ? { handled: [], answers: 1 } : { handled: ['pipelined'], answers: 2 });
});
