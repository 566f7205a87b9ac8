// A storm: every request throttled for 8 s, between two spells of normal service, under steady
// demand (closed-loop callers). Counted at the endpoint: what the client sends before, during
// and after.
import { ConnectorClient, ConnectorClientSettings } from '../../src/runtime';
import { startScriptedEndpoint, ScriptedEndpoint } from '../runtime/producer/scripted-endpoint';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });

const STORM_START_MS = 2_000;
const STORM_MS = 8_000;
const AFTER_MS = 10_000;

interface Run {
  readonly endpoint: ScriptedEndpoint;
  readonly client: ConnectorClient;
  readonly start: number;
  readonly messages: Map<string, number>;
}

/** Four callers, each sending 10 events and awaiting the answer, from before the storm to 10 s after it. */
async function storm(settings: ConnectorClientSettings): Promise<Run> {
  let start = 0;
  const endpoint = await startScriptedEndpoint((at) => {
    const t = at - start;
    return t >= STORM_START_MS && t < STORM_START_MS + STORM_MS ? 'throttle' : 'accept';
  });
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: endpoint.url, ...settings });
  const messages = new Map<string, number>();
  start = performance.now();
  const end = start + STORM_START_MS + STORM_MS + AFTER_MS;
  let n = 0;
  const caller = async () => {
    while (performance.now() < end) {
      const result = await client.putEvents(Array.from({ length: 10 }, () => order(n++)));
      for (const e of result.entries) {
        if (e.errorCode !== undefined) {
          const key = `${e.errorCode}: ${e.errorMessage}`;
          messages.set(key, (messages.get(key) ?? 0) + 1);
        }
      }
    }
  };
  await Promise.all([caller(), caller(), caller(), caller()]);
  return { endpoint, client, start, messages };
}

/** Requests per second that arrived between `from` and `to` ms after the start. */
function rate(run: Run, from: number, to: number): number {
  return run.endpoint.arrivals.filter((t) => t - run.start >= from && t - run.start < to).length / ((to - from) / 1000);
}

test("the default retry mode ('adaptive'): during the storm the client sends at most a fifth of its rate before, and is back to it within 10 s after", async () => {
  // No quota option at all: the client a user gets without asking.
  const run = await storm({});
  try {
    const before = rate(run, 500, STORM_START_MS);
    const during = rate(run, STORM_START_MS, STORM_START_MS + STORM_MS);
    const recovered = rate(run, STORM_START_MS + STORM_MS + AFTER_MS - 1_000, STORM_START_MS + STORM_MS + AFTER_MS);
    // eslint-disable-next-line no-console
    console.log(`adaptive storm: ${before.toFixed(0)} req/s before, ${during.toFixed(1)} during, ${recovered.toFixed(0)} in the 10th second after; ${JSON.stringify([...run.messages])}`);
    expect(before).toBeGreaterThan(20);
    expect(during / before).toBeLessThanOrEqual(0.2);
    expect(recovered / before).toBeGreaterThanOrEqual(0.9);
    // Nothing is dropped in silence: every entry that failed carries the throttle.
    for (const key of run.messages.keys()) expect(key).toMatch(/^ThrottlingException: Rate exceeded/);
    expect(run.client.stats().adaptiveRate).toBeGreaterThan(0);
  } finally {
    await run.client.close();
    await run.endpoint.stop();
  }
}, 60_000);

test("retryMode 'standard' (opt-in): the storm spends the shared retry budget, then retryable failures end with their cause", async () => {
  const run = await storm({ putEvents: { maxAttempts: 5 }, quota: { retryMode: 'standard' } });
  try {
    const stats = run.client.stats();
    const during = rate(run, STORM_START_MS, STORM_START_MS + STORM_MS);
    // eslint-disable-next-line no-console
    console.log(`standard storm: ${rate(run, 500, STORM_START_MS).toFixed(0)} req/s before, ${during.toFixed(1)} during; ${JSON.stringify([...run.messages])}`);
    // 500 tokens at 5 a retry: at most 100 retry requests (of at most 10 entries) while nothing succeeds.
    expect(stats.retried).toBeLessThanOrEqual(100 * 10 + 10 * 4);
    expect(stats.retryBudgetExhausted).toBeGreaterThan(0);
    const exhausted = [...run.messages].filter(([key]) => key.includes("not retried: the client's retry budget is exhausted"));
    expect(exhausted.reduce((sum, [, count]) => sum + count, 0)).toBe(stats.retryBudgetExhausted);
    for (const [key] of exhausted) expect(key).toMatch(/^ThrottlingException: Rate exceeded/);
    // No send rate in this mode: the budget alone.
    expect(stats.adaptiveRate).toBeUndefined();
    // Back after the storm: successes refill the budget.
    expect(stats.retryTokens).toBeGreaterThan(0);
  } finally {
    await run.client.close();
    await run.endpoint.stop();
  }
}, 60_000);
