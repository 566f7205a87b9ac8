/**
 * The handler (and body) deadlines share one sweeping `setInterval` per receiver, started by the
 * first delivery that sets a deadline and kept while any deadline is pending. A timer holds the
 * `AsyncLocalStorage` stores of the context it was made in, so the store of that first delivery
 * (a server's request context: often the request, the response, a per-request logger, a trace
 * span) stays reachable long after the delivery was answered, for as long as other deliveries keep
 * the sweep running: under steady traffic, for the life of the process.
 * Expected: a delivery's context can be collected once it is answered, whatever else is in flight
 * (as it is when nothing else is: the second test).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const requestContext = new AsyncLocalStorage<{ readonly request: Buffer }>();
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function contextCollectedWhile(otherInFlight: boolean): Promise<boolean> {
  let finishSlow: () => void = () => undefined;
  const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 1_600 })
    .on('Quick', () => new Promise<void>((resolve) => setTimeout(resolve, 5)))
    .on('Slow', () => new Promise<void>((resolve) => (finishSlow = resolve)));
  const send = async (detailType: string, id: string) => (await receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': API_KEY },
    body: { kind: 'parsed', value: delivery(detailType, {}, { id }) },
  })).status;
  const held = await (async () => {
    const store = { request: Buffer.alloc(1024) };
    expect(await requestContext.run(store, () => send('Quick', 'quick'))).toBe(200);
    return new WeakRef(store);
  })();
  const slow = otherInFlight ? send('Slow', 'slow') : Promise.resolve(200);
  await tick(250); // past a sweep (100 ms at most)
  gc();
  await tick(0);
  gc();
  const collected = held.deref() === undefined;
  finishSlow();
  expect(await slow).toBe(200);
  return collected;
}

test('a delivery\'s context is not kept once it is answered while another delivery is in flight', async () => {
  expect(await contextCollectedWhile(true)).toBe(true);
});

test('(control) a delivery\'s context is collected once it is answered and nothing else is in flight', async () => {
  expect(await contextCollectedWhile(false)).toBe(true);
});
