// The heap while 1,000,000 events pass through putEvent, 10,000 in flight at a time, read after a
// full collection every 100,000 events: flat means nothing is kept per event sent. One JSON line.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConnectorClient } from '../src/runtime/client';

const endpoint = process.argv[2];
const TOTAL = Number(process.argv[3] ?? 1_000_000);
const WAVE = 10_000;
const SAMPLE_EVERY = 100_000;

void (async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'bench', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, endpoint });
  const heapMiB: number[] = [];
  let acknowledged = 0;
  const start = performance.now();
  for (let sent = 0; sent < TOTAL; sent += WAVE) {
    const wave: Promise<string>[] = [];
    for (let i = 0; i < WAVE; i++) {
      wave.push(client.putEvent({ source: 'bench.orders', detailType: 'OrderPlaced', detail: { orderId: `o-${sent + i}`, amount: i % 1000 } }));
    }
    acknowledged += (await Promise.all(wave)).length;
    if ((sent + WAVE) % SAMPLE_EVERY === 0) {
      gc();
      heapMiB.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  await client.close();
  process.stdout.write(`${JSON.stringify({
    events: TOTAL,
    acknowledged,
    eventsPerSecond: TOTAL / seconds,
    heapMiBEvery100k: heapMiB.map((h) => Number(h.toFixed(2))),
    heapGrowthMiB: heapMiB[heapMiB.length - 1] - heapMiB[0],
  })}\n`);
})();
