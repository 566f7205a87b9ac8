/**
 * A refusal before the body is read answers `Connection: close` and closes the connection
 * (`createServer(receiver.handle)`, as the README mounts it). A client that pipelines, or that
 * wrote its next request before reading that answer, has a delivery behind it on the same
 * connection. That delivery's answer can never be sent: the connection closes after the refusal.
 * So its handlers must not run either (RFC 9112 §9.6: a server that sends "close" must not
 * process further requests on that connection); else the client, seeing no answer, delivers it
 * again and it is handled twice.
 * (Pre-existing: fails before 61c3ef9 too.)
 */
import { connect } from 'node:net';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, serve, TestServer } from '../runtime/receiver/support';

let server: TestServer;
const handled: string[] = [];
const receiver = createReceiver({ apiKey: API_KEY }).on('OrderPlaced', (event) => void handled.push(event.id));

beforeAll(async () => {
  server = await serve(receiver.handle);
});
afterAll(() => server.close());
beforeEach(() => void handled.splice(0));

function post(id: string, apiKey = API_KEY): string {
  const body = JSON.stringify(delivery('OrderPlaced', {}, { id }));
  return `POST /events HTTP/1.1\r\nhost: x\r\nx-api-key: ${apiKey}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes `raw` on one connection and returns everything the server wrote until it closed. */
async function exchange(raw: string): Promise<string> {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.write(raw);
  await new Promise((resolve) => socket.on('close', resolve));
  return received;
}

test.each([
  ['a wrong api key', post('refused', 'wrong-key-0123456789')],
  ['a GET', 'GET /events HTTP/1.1\r\nhost: x\r\n\r\n'],
])('a delivery pipelined behind %s is neither answered nor handled', async (_name, refused) => {
  const received = await exchange(refused + post('pipelined'));
  expect(received.match(/^HTTP\/1\.1 \d+/gm)).toHaveLength(1);
  expect(received).toMatch(/connection: close/i);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(handled).toEqual([]);
  expect(receiver.handlersInFlight).toBe(0);
});
