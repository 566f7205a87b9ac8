// A process adding events to an outbox as fast as it can, printing "<run> <n>" once each add
// resolved (the entry is durable). Run with `drain` instead of a run id to deliver what is left.
import { ConnectorClient } from '../../../src/runtime';

const [directory, endpoint, run] = process.argv.slice(2);
void (async () => {
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    endpoint,
    // segmentBytes below is sized for the 256 KiB request limit.
    putEvents: { baseDelayMs: 5, maxDelayMs: 50, maxRequestBytes: 262_144 },
    // The endpoint throttles 2% of entries at random: the default ('adaptive') would slow the
    // runs to its send rate, and this case is about durability across kills, not the rate.
    quota: { retryMode: 'standard' },
  });
  const outbox = await client.outbox({ directory, segmentBytes: 2 * 1024 * 1024, retryDelayMs: 50 });
  if (run === 'drain') {
    await outbox.flush();
    process.stdout.write('drained\n');
    await client.close();
    return;
  }
  process.stdout.write('ready\n');
  let n = 0;
  const adder = async () => {
    for (;;) {
      const mine = n++;
      await outbox.add({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { run: Number(run), n: mine, pad: 'x'.repeat(mine % 3000) } });
      process.stdout.write(`${run} ${mine}\n`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, adder));
})();
