/**
 * A logger whose methods are `async` (one that ships its lines over the network fits the `Logger`
 * type: a function returning a promise is a function returning void). When shipping fails, its
 * promise rejects. The receiver made its logger unable to throw (quietLogger), but a rejection
 * is not a throw: any client that sends a wrong api key, an oversized body or a body that never
 * ends makes the receiver log, and node sees an unhandled rejection, which ends the process by
 * default. Expected: a failed log line is dropped, as a thrown one is.
 * (Pre-existing: fails before 61c3ef9 too.)
 */
import { serveWatchingRejections } from './unhandled-rejections';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post } from '../runtime/receiver/support';

const shipping = {
  async warn(): Promise<void> { throw new Error('log collector unreachable'); },
  async error(): Promise<void> { throw new Error('log collector unreachable'); },
};

const receiver = createReceiver({ apiKey: API_KEY, maxBodyBytes: 1_024, logger: shipping })
  .on('OrderPlaced', () => { throw new Error('handler failed'); });
const { url, unhandled } = serveWatchingRejections(receiver.handle);

test.each([
  ['a wrong api key', () => post(url(), delivery('OrderPlaced', {}), { 'x-api-key': 'wrong-key-0123456789' }), 403],
  ['a body over maxBodyBytes', () => post(url(), delivery('OrderPlaced', { pad: 'x'.repeat(2_000) })), 413],
  ['a handler that fails', () => post(url(), delivery('OrderPlaced', {})), 500],
])('%s is answered, and the rejected log line is no unhandled rejection', async (_name, send, status) => {
  expect((await send()).status).toBe(status);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled.map((e) => (e as Error).message)).toEqual([]);
});
