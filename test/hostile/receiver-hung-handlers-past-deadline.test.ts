/**
 * `maxHandlersInFlight`: "more are answered 503 at once, so a burst or hung handlers cannot
 * exhaust memory". A handler that ignores its `signal` and never settles is answered 503 at the
 * handler deadline, and its slot is given back then, though the handler still runs (and holds its
 * event, its closures and whatever it awaits). So every deadline admits new deliveries whose
 * handlers hang in their turn: with a limit of 2, the handlers still running grow without bound.
 * Expected: a slot is held until the handler settles (the answer is still 503 at the deadline),
 * so no more than `maxHandlersInFlight` handlers ever run at once.
 * (Pre-existing: fails before 61c3ef9 too.)
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

test('handlers that never settle: no more than maxHandlersInFlight of them ever run at once', async () => {
  let running = 0;
  const receiver = createReceiver({ apiKey: API_KEY, maxHandlersInFlight: 2, handlerTimeoutMs: 40 })
    .on('OrderPlaced', () => {
      running++;
      return new Promise<void>(() => undefined);
    });
  const answers: number[] = [];
  for (let i = 0; i < 8; i++) {
    const answer = await receiver.receive({
      method: 'POST',
      headers: { 'x-api-key': API_KEY },
      body: { kind: 'parsed', value: delivery('OrderPlaced', {}, { id: `e-${i}` }) },
    });
    answers.push(answer.status);
  }
  expect(answers.every((status) => status === 503)).toBe(true);
  expect(running).toBeLessThanOrEqual(2);
});
