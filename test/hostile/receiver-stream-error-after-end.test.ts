/**
 * A transport without an adapter hands `receiver.receive()` its request stream. Such a stream may
 * emit 'error' after 'end' (a reset after the last byte, on a stream with `autoDestroy: false`,
 * as http2's compatibility request is). The body was read whole by then: the delivery is still
 * in flight until its handlers settle, its answer is theirs, and it is answered once.
 */
import { PassThrough } from 'node:stream';
import { createReceiver } from '../../src/runtime';
import type { ReceiveResponse } from '../../src/runtime/receiver';
import { API_KEY, delivery } from '../runtime/receiver/support';

test('a stream reset after its last byte leaves the handlers in flight, answered once with their outcome', async () => {
  let finishHandler!: () => void;
  const warnings: string[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, logger: { warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) } })
    .on('OrderPlaced', () => new Promise<void>((resolve) => (finishHandler = resolve)));
  const stream = new PassThrough({ autoDestroy: false });
  const answers: ReceiveResponse[] = [];
  void Promise.resolve(receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'stream', stream } }))
    .then((answer) => void answers.push(answer));

  stream.end(JSON.stringify(delivery('OrderPlaced', { orderId: 'o-1' })));
  await new Promise((resolve) => setTimeout(resolve, 20));
  stream.destroy(new Error('stream reset by the client'));
  await new Promise((resolve) => setTimeout(resolve, 20));

  expect(receiver.handlersInFlight).toBe(1);
  expect(answers).toEqual([]);
  finishHandler();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(receiver.handlersInFlight).toBe(0);
  expect(answers.map((a) => a.status)).toEqual([200]);
  expect(warnings).toEqual([]);
});
