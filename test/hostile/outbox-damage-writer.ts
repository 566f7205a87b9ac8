// A process that stores entries in an outbox and waits to be killed: it prints "stored" once every
// add resolved (each entry is on disk). With a count of entries to deliver first, those go to a
// loopback endpoint of its own and are acknowledged (a cursor file is written) before that
// endpoint stops and the rest are added, so the segment holds delivered and undelivered records.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient } from '../../src/runtime';

const [directory, countText, deliveredText] = process.argv.slice(2);
const count = Number(countText);
const delivered = Number(deliveredText);
/** Entries of 4-8 KiB, ~6 KiB on average (as in the report), each telling its number. */
const entry = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n, pad: 'x'.repeat(4000 + ((n * 397) % 4000)) } });

void (async () => {
  const endpoint = await startEventBridgeEndpoint();
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    endpoint: endpoint.endpoint,
    // The 256 KiB request limit, so that 2 MiB segments (8x it, the least the options allow) take it.
    putEvents: { maxAttempts: 1, maxRequestBytes: 262_144 },
  });
  // 2 MiB segments (the least the options allow): the entries fill several.
  const outbox = await client.outbox({ directory, segmentBytes: 2 * 1024 * 1024, retryDelayMs: 3_600_000 });
  if (delivered > 0) {
    for (let n = 0; n < delivered; n++) await outbox.add(entry(n));
    await outbox.flush();
    // The cursor file is written lazily after the acknowledgements: wait for it (10 s at most).
    const cursor = join(directory, '000000000001.ack');
    for (const end = Date.now() + 10_000; !(await fs.stat(cursor).then(() => true, () => false));) {
      if (Date.now() > end) throw new Error(`no cursor file ${cursor} within 10 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    process.stdout.write(`delivered ${endpoint.acceptedCount}\n`);
  }
  // Nothing listens from now on: every later entry stays undelivered, in retry for an hour.
  await endpoint.stop();
  let next = delivered;
  const adder = async () => {
    while (next < delivered + count) await outbox.add(entry(next++));
  };
  // 32 adders at once: records are group-committed, groups split across segments.
  await Promise.all(Array.from({ length: 32 }, adder));
  process.stdout.write('stored\n');
  setInterval(() => undefined, 60_000);
})();
