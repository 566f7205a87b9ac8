/**
 * A logger whose methods throw (a closed log stream), with the receiver mounted as the README
 * does: `createServer(receiver.handle)`. The deadline path survives it (receiver-throwing-logger),
 * but every other logged answer does not: the throw escapes `receive()`, `handle` rejects, the
 * delivery gets no answer and node sees an unhandled rejection (which ends the process by
 * default). Expected: the same answer as with a quiet logger.
 */
import { serveWatchingRejections } from './unhandled-rejections';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post } from '../runtime/receiver/support';

const throwing = {
  debug() { throw new Error('log stream closed'); },
  info() { throw new Error('log stream closed'); },
  warn() { throw new Error('log stream closed'); },
  error() { throw new Error('log stream closed'); },
};

describe('a receiver whose logger throws', () => {
  const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 1_000, logger: throwing })
    .on('Sync', () => { throw new Error('handler failed'); })
    .on('Async', async () => { throw new Error('handler failed'); });
  const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), 800))]);
  const { url, unhandled } = serveWatchingRejections(receiver.handle);

  test('a wrong api key is still answered 403', async () => {
    const answer = await within(post(url(), delivery('Sync', {}), { 'x-api-key': 'wrong-key-0123456789' }).then((r) => r.status));
    expect(answer).toBe(403);
    expect(unhandled).toEqual([]);
  });

  test('a handler that throws is still answered 500', async () => {
    const answer = await within(post(url(), delivery('Sync', {})).then((r) => r.status));
    expect(answer).toBe(500);
    expect(unhandled).toEqual([]);
  });

  test('a handler that rejects is answered 500 at once, not 503 at the handler deadline', async () => {
    const answer = await within(post(url(), delivery('Async', {})).then((r) => r.status));
    expect(answer).toBe(500);
    expect(unhandled).toEqual([]);
  });
});
