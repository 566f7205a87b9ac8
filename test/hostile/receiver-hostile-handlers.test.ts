/**
 * Handlers that return odd values, over real HTTP as the README mounts the receiver
 * (`createServer(receiver.handle)`): every delivery is answered, and the in-flight count comes
 * back to zero.
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post, serve, TestServer } from '../runtime/receiver/support';

describe('a handler whose result throws when asked for `then`', () => {
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  // A strict proxy, as some config and ORM libraries return: reading an unknown property throws.
  const strict = new Proxy({}, { get: (_t, name) => { throw new Error(`unknown property ${String(name)}`); } });
  const receiver = createReceiver({ apiKey: API_KEY })
    .on('OrderPlaced', () => strict as unknown as void);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await serve(receiver.handle);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });

  test('is a failed handler: 500, so EventBridge retries; nothing left in flight, no unhandled rejection', async () => {
    const answer = await Promise.race([
      post(server.url, delivery('OrderPlaced', { orderId: 'o-1' })),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 2_000)),
    ]);
    expect(answer).toEqual({ status: 500, body: { error: 'HandlerFailed', message: "handler for detail-type 'OrderPlaced' failed" } });
    expect(receiver.handlersInFlight).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
