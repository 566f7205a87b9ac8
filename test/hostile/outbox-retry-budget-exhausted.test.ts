// An outbox delivering through a client whose retry budget is spent: entries whose retries the
// budget (or close) cut short are kept on disk and delivered later, never dropped as refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorClient } from '../../src/runtime';
import { startScriptedEndpoint } from '../runtime/producer/scripted-endpoint';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });

test('throttled entries the retry budget will not retry stay in the outbox and are delivered once the throttling ends', async () => {
  let throttling = true;
  const endpoint = await startScriptedEndpoint(() => (throttling ? 'throttle' : 'accept'));
  const directory = await mkdtemp(join(tmpdir(), 'outbox-budget-'));
  // No retry budget at all: every throttled entry ends after one attempt. The budget alone
  // ('standard'): the default's send rate would space the rounds out to 5 entries/s.
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: CREDENTIALS,
    endpoint: endpoint.url,
    quota: { retryMode: 'standard', retryTokens: 0 },
  });
  const refused: string[] = [];
  const outbox = await client.outbox({ directory, retryDelayMs: 50, onFailed: (_entry, failure) => refused.push(failure.errorCode) });
  for (let n = 0; n < 20; n++) await outbox.add(order(n));
  const until = async (condition: () => boolean) => {
    for (const end = performance.now() + 10_000; !condition(); await new Promise((r) => setTimeout(r, 10))) {
      if (performance.now() > end) throw new Error('timed out');
    }
  };
  // Several rounds of throttled first attempts, each ended by the empty budget.
  await until(() => client.stats().retryBudgetExhausted >= 60);
  expect(client.stats().outboxEvents).toBe(20);
  expect(refused).toEqual([]);
  throttling = false;
  await until(() => client.stats().outboxEvents === 0);
  expect(refused).toEqual([]);
  expect(client.stats().sent).toBe(20);
  await client.close();
  await endpoint.stop();
  await rm(directory, { recursive: true, force: true });
});
