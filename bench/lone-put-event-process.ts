// What a lone putEvent adds to the latency of the request that carried it, in a process of its
// own: in the bench's main process the garbage of the measurements before it (10,000 concurrent
// putEvent) put collector pauses into its tail. Its latency minus that of its request (as the
// engine timed it) is the flush window and what the producer adds; one raw SDK request of one
// entry, interleaved, is the reference. Prints one JSON line. Usage: <endpoint> [samples]
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { median } from './processes';
import { ConnectorClient } from '../src/runtime/client';
import { DEFAULT_FLUSH_WINDOW_MS } from '../src/runtime/producer/options';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const BUS = 'bench';
const ONE = { source: 'bench.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1', amount: 42, items: ['a', 'b', 'c'] } };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

void (async () => {
  const [endpoint, samplesText] = process.argv.slice(2);
  const samples = Number(samplesText ?? 400);
  let requestMs = 0;
  const timed = new ConnectorClient({
    region: REGION, eventBusName: BUS, credentials: CREDENTIALS, endpoint, metrics: { onRequest: (r) => (requestMs = r.latencyMs) },
  });
  const raw = new EventBridgeClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const entry = { Source: ONE.source, DetailType: ONE.detailType, Detail: JSON.stringify(ONE.detail), EventBusName: BUS };
  const ours: number[] = [];
  const added: number[] = [];
  const theirs: number[] = [];
  for (let i = -20; i < samples; i++) { // the first 20 warm up: JIT, sockets, signing key
    for (const who of i % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours']) {
      const start = performance.now();
      if (who === 'ours') {
        await timed.putEvent(ONE);
        if (i >= 0) {
          ours.push(performance.now() - start);
          added.push(ours[ours.length - 1] - requestMs);
        }
      } else {
        await raw.send(new PutEventsCommand({ Entries: [entry] }));
        if (i >= 0) theirs.push(performance.now() - start);
      }
    }
  }
  await timed.close();
  raw.destroy();
  process.stdout.write(`${JSON.stringify({
    p99Ms: percentile(ours, 99),
    rawP99Ms: percentile(theirs, 99),
    addedP99Ms: percentile(added, 99),
    addedMedianMs: median(added),
    flushWindowMs: DEFAULT_FLUSH_WINDOW_MS,
  })}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
