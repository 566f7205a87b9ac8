// Peak memory of the client while it sends 100,000 events, and whether the heap grows with the
// number of events already sent. Prints one JSON line.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConnectorClient } from '../src/runtime/client';

const endpoint = process.argv[2];
const TOTAL = 100_000;
const CHUNK = 10_000;

void (async () => {
  // A full collection before each reading, so that the heap shows what is still referenced.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'bench', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, endpoint });
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  gc();
  const baselineHeap = process.memoryUsage().heapUsed;
  const heapAfterChunk: number[] = [];
  let acknowledged = 0;
  for (let sent = 0; sent < TOTAL; sent += CHUNK) {
    const events = Array.from({ length: CHUNK }, (_, i) => ({
      source: 'bench.orders',
      detailType: 'OrderPlaced',
      detail: { orderId: `o-${sent + i}`, amount: i % 1000 },
    }));
    const result = await client.putEvents(events);
    acknowledged += CHUNK - result.failedEntryCount;
    gc();
    heapAfterChunk.push(process.memoryUsage().heapUsed);
  }
  clearInterval(sampler);
  client.destroy();
  process.stdout.write(`${JSON.stringify({
    events: TOTAL,
    acknowledged,
    chunk: CHUNK,
    peakRssMiB: peakRss / 2 ** 20,
    peakHeapMiB: peakHeap / 2 ** 20,
    baselineHeapMiB: baselineHeap / 2 ** 20,
    heapAfterFirstChunkMiB: heapAfterChunk[0] / 2 ** 20,
    heapAfterLastChunkMiB: heapAfterChunk[heapAfterChunk.length - 1] / 2 ** 20,
    heapGrowthFirstToLastMiB: (heapAfterChunk[heapAfterChunk.length - 1] - heapAfterChunk[0]) / 2 ** 20,
  })}\n`);
})();
