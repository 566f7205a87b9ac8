/**
 * The producer side by side with what users would otherwise write: 10,000 concurrent `putEvent`
 * calls vs the raw SDK hand-batched (10 per request, 8 in flight) and the outbox (fsync per group
 * of writes) vs `putEvents`. In child processes of their own: what a lone `putEvent` adds to the
 * latency of its request (bench/lone-put-event-process.ts) and the heap while 1,000,000 events
 * pass through `putEvent`. Variants alternate their order round after round; ratios are of medians.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { median } from './processes';
import { ConnectorClient } from '../src/runtime/client';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const BUS = 'bench';

const makeEvents = (count: number, offset = 0) => Array.from({ length: count }, (_, i) => ({
  source: 'bench.orders',
  detailType: 'OrderPlaced',
  detail: { orderId: `o-${offset + i}`, amount: i % 1000, items: ['a', 'b', 'c'] },
}));
type Event = ReturnType<typeof makeEvents>[number];
const toSdk = (e: Event): PutEventsRequestEntry =>
  ({ Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail), EventBusName: BUS });

async function rawBatched(client: EventBridgeClient, events: Event[]): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < events.length) {
      const entries = events.slice(next, next + 10).map(toSdk);
      next += 10;
      const out = await client.send(new PutEventsCommand({ Entries: entries }));
      acknowledged += entries.length - (out.FailedEntryCount ?? 0);
    }
  }));
  return acknowledged;
}

/** What bench/lone-put-event-process.ts prints. */
export interface LonePutEventResult {
  readonly p99Ms: number;
  readonly rawP99Ms: number;
  readonly addedP99Ms: number;
  readonly addedMedianMs: number;
  readonly flushWindowMs: number;
}

/** Runs each variant once per round, rotating which goes first; returns events/s medians. */
async function alternate(rounds: number, events: number, variants: Record<string, () => Promise<number>>): Promise<Record<string, number>> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await variants[name](); // warm-up: JIT, sockets
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < names.length; v++) {
      const name = names[(v + r) % names.length];
      const start = process.hrtime.bigint();
      const acknowledged = await variants[name]();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (acknowledged !== events) throw new Error(`${name}: ${acknowledged} of ${events} events acknowledged`);
      samples[name].push(events / seconds);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

export interface ProducerBenchResult {
  readonly putEventVsRawBatched: number;
  readonly eventsPerSecond: Record<string, number>;
  readonly outboxVsPutEvents: number;
}

export async function measureProducer(endpoint: string, rounds = 5): Promise<ProducerBenchResult> {
  const connector = new ConnectorClient({ region: REGION, eventBusName: BUS, credentials: CREDENTIALS, endpoint });
  const raw = new EventBridgeClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const directory = await fs.mkdtemp(join(tmpdir(), 'bench-outbox-'));
  try {
    // 10,000 concurrent putEvent calls vs the same events hand-batched.
    const concurrent = makeEvents(10_000);
    const single = await alternate(rounds, concurrent.length, {
      putEvent: async () => (await Promise.all(concurrent.map((e) => connector.putEvent(e)))).length,
      rawBatched: () => rawBatched(raw, concurrent),
    });

    // The outbox with fsync (one per group of concurrent adds) until delivered, vs putEvents.
    const outbox = await connector.outbox({ directory });
    const bulk = makeEvents(20_000);
    const durable = await alternate(Math.max(3, rounds - 2), bulk.length, {
      outbox: async () => {
        await Promise.all(bulk.map((e) => outbox.add(e)));
        await outbox.flush();
        return bulk.length;
      },
      putEvents: async () => (await connector.putEvents(bulk)).entries.filter((e) => e.eventId !== undefined).length,
    });
    await outbox.close();

    return {
      putEventVsRawBatched: single.putEvent / single.rawBatched,
      eventsPerSecond: { putEvent: single.putEvent, rawBatched: single.rawBatched, outbox: durable.outbox, putEvents: durable.putEvents },
      outboxVsPutEvents: durable.outbox / durable.putEvents,
    };
  } finally {
    await connector.close();
    raw.destroy();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

/** The goals as bench/main.ts prints them. */
export function producerGoals(result: ProducerBenchResult, memory: Record<string, unknown>, lone: LonePutEventResult) {
  const growth = Number(memory.heapGrowthMiB);
  const { addedP99Ms, flushWindowMs } = lone;
  return [
    { name: '10,000 concurrent putEvent over raw SDK batched 10, 8 in flight', value: result.putEventVsRawBatched, goal: '>= 0.9', met: result.putEventVsRawBatched >= 0.9 },
    { name: 'lone putEvent added latency at p99 (ms)', value: addedP99Ms, goal: `<= ${flushWindowMs + 2}`, met: addedP99Ms <= flushWindowMs + 2 },
    { name: 'outbox (fsync per group) events/s over putEvents', value: result.outboxVsPutEvents, goal: '>= 0.5', met: result.outboxVsPutEvents >= 0.5 },
    { name: 'heap growth, 100k to 1M events through putEvent (MiB)', value: growth, goal: 'flat (< 2 MiB)', met: growth < 2 },
  ];
}
