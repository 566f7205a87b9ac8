/**
 * A logger that throws (a closed log stream, a strict formatter) must not cost deliveries their
 * answer: two handlers hang, their deadline falls due in the same sweep, and the logger throws on
 * the first `error` call. Both deliveries are answered 503, and once their handlers stop on the
 * abort the in-flight count returns to 0.
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post, serve, TestServer } from '../runtime/receiver/support';

test('a logger that throws on the handler-timeout report: every hung delivery is still answered 503', async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => void uncaught.push(error);
  const jestListeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onUncaught);
  const logger = { debug() {}, info() {}, warn() {}, error() { throw new Error('log stream closed'); } };
  const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 200, logger })
    // Hung until their signal aborts, which happens before the logger is called.
    .on('OrderPlaced', (_event, { signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())));
  let server: TestServer | undefined;
  try {
    server = await serve(receiver.handle);
    const timeout = new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 2_000));
    const answers = await Promise.all([1, 2].map((n) => Promise.race([
      post(server!.url, delivery('OrderPlaced', { n }, { id: `e-${n}` })).then((r) => r.status),
      timeout,
    ])));
    expect(answers).toEqual([503, 503]);
    expect(receiver.handlersInFlight).toBe(0);
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', onUncaught);
    for (const l of jestListeners) process.on('uncaughtException', l);
    await server?.close();
  }
});
