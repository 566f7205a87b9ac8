/**
 * A client that hangs up after sending its whole body, while an async handler still runs
 * (`createServer(receiver.handle)`, as the README mounts it). The delivery is still in flight
 * until its handlers settle: `maxHandlersInFlight` must keep counting it, the body was read
 * whole (nothing to log as unreadable), and the answer is decided once.
 */
import { connect } from 'node:net';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, serve, TestServer } from '../runtime/receiver/support';

describe('a client that hangs up while an async handler runs', () => {
  let server: TestServer;
  let finishHandler!: () => void;
  let handlerStarted!: () => void;
  const started = new Promise<void>((resolve) => (handlerStarted = resolve));
  const warnings: string[] = [];
  const receiver = createReceiver({
    apiKey: API_KEY,
    maxHandlersInFlight: 1,
    logger: { warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) },
  }).on('OrderPlaced', () => {
    handlerStarted();
    return new Promise<void>((resolve) => (finishHandler = resolve));
  });
  let handled: Promise<unknown>;

  beforeAll(async () => {
    server = await serve((req, res) => {
      handled = receiver.handle(req, res).then(() => 'written', (e: Error) => `rejected: ${e.message}`);
    });
  });
  afterAll(async () => {
    finishHandler?.();
    await server.close();
  });

  test('still counts as in flight until its handler settles, and is not logged as an unreadable body', async () => {
    const body = JSON.stringify(delivery('OrderPlaced', { orderId: 'o-1' }));
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nx-api-key: ${API_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await started;
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The handler is still running: a second delivery must not get past maxHandlersInFlight 1.
    expect(receiver.handlersInFlight).toBe(1);
    expect(warnings.filter((w) => w.includes('could not read a delivery'))).toEqual([]);

    finishHandler();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.handlersInFlight).toBe(0);
    expect(await handled).toBe('written');
  });
});
