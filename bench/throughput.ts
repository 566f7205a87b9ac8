/**
 * Events/s of `client.putEvents` with default options against what a user would otherwise write
 * with the raw SDK: hand-batched 10 per request with 8 requests in flight, and one event per
 * request with 8 in flight. Variants run interleaved, round after round, against one endpoint.
 */
import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { median } from './processes';
import { ConnectorClient } from '../src/runtime/client';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const BUS = 'bench';

function makeEvents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    source: 'bench.orders',
    detailType: 'OrderPlaced',
    detail: { orderId: `o-${i}`, amount: i % 1000, items: ['a', 'b', 'c'] },
  }));
}

function toSdk(e: ReturnType<typeof makeEvents>[number]): PutEventsRequestEntry {
  return { Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail), EventBusName: BUS };
}

/** Sends `requests` with at most `inFlight` at once; counts entries acknowledged. */
async function pool(requests: PutEventsRequestEntry[][], inFlight: number, client: EventBridgeClient): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < requests.length) {
      const entries = requests[next++];
      const out = await client.send(new PutEventsCommand({ Entries: entries }));
      acknowledged += entries.length - (out.FailedEntryCount ?? 0);
    }
  }));
  return acknowledged;
}

export interface ThroughputResult {
  readonly eventsPerRun: number;
  readonly rounds: number;
  readonly eventsPerSecond: { connector: number; rawBatched: number; rawSingle: number };
  readonly ratios: { overRawBatched: number; overRawSingle: number };
}

export async function measureThroughput(endpoint: string, eventsPerRun = 20_000, rounds = 5): Promise<ThroughputResult> {
  const events = makeEvents(eventsPerRun);
  const connector = new ConnectorClient({ region: REGION, eventBusName: BUS, credentials: CREDENTIALS, endpoint });
  const raw = new EventBridgeClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const samples = { connector: [] as number[], rawBatched: [] as number[], rawSingle: [] as number[] };
  const run = async (name: keyof typeof samples, body: () => Promise<number>) => {
    const start = process.hrtime.bigint();
    const acknowledged = await body();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (acknowledged !== eventsPerRun) throw new Error(`${name}: ${acknowledged} of ${eventsPerRun} events acknowledged`);
    samples[name].push(eventsPerRun / seconds);
  };
  const batched = () => {
    const requests: PutEventsRequestEntry[][] = [];
    for (let i = 0; i < events.length; i += 10) requests.push(events.slice(i, i + 10).map(toSdk));
    return pool(requests, 8, raw);
  };
  const single = () => pool(events.map((e) => [toSdk(e)]), 8, raw);
  const ours = async () => (await connector.putEvents(events)).entries.filter((e) => 'eventId' in e && e.eventId).length;

  // One warm-up round (JIT, sockets), then measured rounds in rotating order.
  await ours();
  await batched();
  await single();
  const variants: Array<[keyof typeof samples, () => Promise<number>]> = [['connector', ours], ['rawBatched', batched], ['rawSingle', single]];
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < variants.length; v++) {
      const [name, body] = variants[(v + r) % variants.length];
      await run(name, body);
    }
  }
  connector.destroy();
  raw.destroy();
  const eps = { connector: median(samples.connector), rawBatched: median(samples.rawBatched), rawSingle: median(samples.rawSingle) };
  return {
    eventsPerRun,
    rounds,
    eventsPerSecond: eps,
    ratios: { overRawBatched: eps.connector / eps.rawBatched, overRawSingle: eps.connector / eps.rawSingle },
  };
}
