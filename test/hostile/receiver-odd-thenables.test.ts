/**
 * Handlers that return thenables which are not promises (hand-written, or from old promise
 * libraries): one that calls back twice, one that fulfils then throws, one that never calls
 * back. Each delivery is answered once, by the first settlement or the handler deadline, and
 * nothing stays in flight or escapes as an unhandled rejection.
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

const twice = { then: (ok: () => void, fail: (e: Error) => void) => { ok(); ok(); fail(new Error('late')); } };
const failsThenFulfils = { then: (ok: () => void, fail: (e: Error) => void) => { fail(new Error('first')); ok(); } };
const fulfilsThenThrows = { then: (ok: () => void) => { ok(); throw new Error('after'); } };
const never = { then: () => undefined };

test.each([
  ['calls back twice, then rejects', twice, 200],
  ['rejects, then fulfils', failsThenFulfils, 500],
  ['fulfils, then throws', fulfilsThenThrows, 200],
  ['never calls back', never, 503],
])('a thenable that %s is answered once, with the first outcome', async (_name, thenable, status) => {
  const calls: string[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, handlerTimeoutMs: 100 })
    .on('OrderPlaced', () => thenable as unknown as Promise<void>)
    .onAny(() => void calls.push('next handler'));
  const answers: number[] = [];
  receiver.receiveThen({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: delivery('OrderPlaced', {}) } },
    (answer) => void answers.push(answer.status));
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(answers).toEqual([status]);
  expect(calls).toEqual(status === 200 ? ['next handler'] : []);
  // One that never calls back is still running as far as anyone can tell: it keeps its slot.
  expect(receiver.handlersInFlight).toBe(status === 503 ? 1 : 0);
  expect(unhandled).toEqual([]);
});
