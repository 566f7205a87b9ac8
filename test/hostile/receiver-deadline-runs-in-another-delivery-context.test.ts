/**
 * 94ad03f: "handlers run in the caller's async context", so a server that keeps a request id in an
 * `AsyncLocalStorage` around `receiver.handle(req, res)` sees it in its handlers and log lines.
 * At the handler deadline, though, the 503 path aborts the handlers' `signal` and logs from the
 * handler deadlines' sweeping timer, and that one `setInterval` runs in the context of whichever
 * delivery happened to start it. So the abort listener of delivery B, and the logger's line
 * "handlers ... did not settle ... on event b", run with delivery A's request id: a timeout
 * reported against the wrong request, and a handler that cleans up by its context cleans up A's.
 * Expected: each delivery's abort listeners and deadline log line see that delivery's context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';

const requestId = new AsyncLocalStorage<string>();

test('at the handler deadline, abort listeners and the log line see their own delivery\'s context', async () => {
  const aborted: Array<[string, string | undefined]> = [];
  const logged: Array<[string, string | undefined]> = [];
  const receiver = createReceiver({
    apiKey: API_KEY,
    handlerTimeoutMs: 40,
    logger: {
      warn: () => undefined,
      error: (message: string) => void logged.push([/on event (\S+)/.exec(message)?.[1] ?? message, requestId.getStore()]),
    },
  }).on('OrderPlaced', (event, { signal }) => new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => {
      aborted.push([event.id, requestId.getStore()]);
      resolve();
    });
  }));
  const send = (id: string) => requestId.run(`req-${id}`, () => receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': API_KEY },
    body: { kind: 'parsed', value: delivery('OrderPlaced', {}, { id }) },
  }));
  const answers = await Promise.all([send('a'), send('b')]);
  expect(answers.map((answer) => answer.status)).toEqual([503, 503]);
  expect(aborted.sort()).toEqual([['a', 'req-a'], ['b', 'req-b']]);
  expect(logged.sort()).toEqual([['a', 'req-a'], ['b', 'req-b']]);
});
