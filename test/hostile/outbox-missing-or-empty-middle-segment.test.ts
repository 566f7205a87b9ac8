// A segment between others lost (deleted, or emptied to nothing or to part of its header) while
// the outbox was down: once dropped without a word. It must be reported like other damage (the
// log names the segment, the damage counter counts it) and every entry of the other segments
// delivered. And no false alarm: a segment delivered while an older one still holds entries is
// kept as an 8-byte placeholder until the older ones are gone, so the numbering never has a gap.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allBut, deliver, expectDelivered, killedWriters, readSegment, rewrite } from './outbox-damage-support';
import { startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient } from '../../src/runtime';

jest.setTimeout(120_000);

/** 1,400 entries of ~6 KiB in 2 MiB segments: five segments, three of them between others. */
const COUNT = 1400;
const writeAndKill = killedWriters();
const CANNOT = 'the entries it held cannot be delivered';

describe('an outbox reopened after a segment between others was lost', () => {
  test('a missing middle segment: reported once with its name, every entry of the other segments delivered', async () => {
    const writer = await writeAndKill(COUNT);
    expect(writer.segments.length).toBeGreaterThanOrEqual(5);
    const gone = writer.segments[1];
    await fs.rm(gone.path);

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, gone.records), [{ file: gone.path, offset: 0, reason: `missing segment between others on disk: ${CANNOT}`, bytesSkipped: 0 }]);
  });

  test('a gap in a directory an earlier version wrote (no outbox.ordered; it deleted delivered segments in any order): not reported, the marker written for the segments made from now on', async () => {
    const writer = await writeAndKill(COUNT);
    const marker = join(writer.directory, 'outbox.ordered');
    expect(await fs.readFile(marker, 'utf8')).toBe('1\n');
    await fs.rm(marker);
    const gone = writer.segments[1];
    await fs.rm(gone.path);

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, gone.records), []);
    expect(await fs.readFile(marker, 'utf8')).toBe(`${writer.segments.length + 1}\n`);
  });

  test('two missing middle segments in a row, then one cut inside its header: one report for the gap (naming its first and last), one for the cut', async () => {
    const writer = await writeAndKill(COUNT);
    const [, first, second, cut] = writer.segments;
    await fs.rm(first.path);
    await fs.rm(second.path);
    await rewrite(cut.path, (data) => data.subarray(0, 3));

    const delivery = await deliver(writer);
    const last = second.path.slice(writer.directory.length + 1);
    expectDelivered(delivery, allBut(writer, [...first.records, ...second.records, ...cut.records]), [
      { file: first.path, offset: 0, reason: `missing segments (2, up to ${last}) between others on disk: ${CANNOT}`, bytesSkipped: 0 },
      { file: cut.path, offset: 0, reason: `truncated segment header (3 of 8 bytes) before the newest: ${CANNOT}`, bytesSkipped: 3 },
    ]);
  });

  test('the oldest and a middle segment emptied to zero bytes: each reported once (both had their header), every entry of the others delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const [oldest, , middle] = writer.segments;
    await fs.truncate(oldest.path, 0);
    await fs.truncate(middle.path, 0);

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, [...oldest.records, ...middle.records]), [
      { file: oldest.path, offset: 0, reason: `empty segment before the newest: ${CANNOT}`, bytesSkipped: 0 },
      { file: middle.path, offset: 0, reason: `empty segment before the newest: ${CANNOT}`, bytesSkipped: 0 },
    ]);
  });
});

describe('no false alarm', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await fs.mkdtemp(join(tmpdir(), 'outbox-placeholder-'));
  });
  afterEach(async () => {
    await fs.rm(directory, { recursive: true, force: true });
  });

  test('segments delivered while an older one holds an entry stay as 8-byte placeholders: nothing is reported on reopening, and all go once it is delivered', async () => {
    // Every entry accepted but number 0, which is throttled: the oldest segment keeps it.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: Array<{ Detail: string }> }).Entries;
        const answers = entries.map((e) => ((JSON.parse(e.Detail) as { n: number }).n === 0
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: randomUUID() }));
        const body = JSON.stringify({ FailedEntryCount: answers.filter((a) => 'ErrorCode' in a).length, Entries: answers });
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n, pad: 'x'.repeat(5000) } });
    const first = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      // The 256 KiB request limit, so that 2 MiB segments (8x it, the least allowed) take it.
      putEvents: { maxAttempts: 1, maxRequestBytes: 262_144 },
      quota: { retryMode: 'standard' },
    });
    const outbox = await first.outbox({ directory, segmentBytes: 2 * 1024 * 1024, fsync: false, retryDelayMs: 3_600_000 });
    // ~5 MB: three segments; the first holds entry 0.
    await Promise.all(Array.from({ length: 1000 }, (_, n) => outbox.add(order(n))));
    // A segment the outbox deletes between the listing and its stat is gone, not an error.
    const sizeOf = (n: string) => fs.stat(join(directory, n)).then((s) => [[n, s.size] as const], (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    const sizes = async () => (await Promise.all((await fs.readdir(directory)).filter((n) => n.endsWith('.log')).sort().map(sizeOf))).flat();
    // All but entry 0 delivered: the second and third segments are freed to their headers, not deleted.
    for (const end = Date.now() + 20_000; outbox.events !== 1 || (await sizes()).filter(([, size]) => size === 8).length < 3;) {
      if (Date.now() > end) throw new Error(`not settled: ${outbox.events} events, ${JSON.stringify(await sizes())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = await sizes();
    expect(before.map(([name]) => name)).toEqual(['000000000001.log', '000000000002.log', '000000000003.log', '000000000004.log']);
    expect(before.slice(1).map(([, size]) => size)).toEqual([8, 8, 8]);
    expect(outbox.bytes).toBe(before[0][1] + 24);
    const oldestPath = join(directory, '000000000001.log');
    const inOldest = readSegment(oldestPath, await fs.readFile(oldestPath)).records.map((r) => r.n);
    expect(inOldest).toContain(0);
    await first.close({ deadlineMs: 100 });
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const endpoint = await startEventBridgeEndpoint();
    const warnings: string[] = [];
    const second = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials,
      endpoint: endpoint.endpoint,
      putEvents: { maxRequestBytes: 262_144 },
      logger: { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
    });
    try {
      const reopened = await second.outbox({ directory, segmentBytes: 2 * 1024 * 1024, fsync: false });
      expect(reopened.events).toBe(inOldest.length);
      await reopened.flush();
      // The oldest segment again from its cursor (entry 0 first: at-least-once), nothing of the placeholders.
      const sent = [...endpoint.accepted.values()].map((e) => (JSON.parse(e.detail) as { n: number }).n).sort((a, b) => a - b);
      expect(sent).toEqual([...inOldest].sort((a, b) => a - b));
      expect(warnings).toEqual([]);
      expect(reopened.stats()).toMatchObject({ events: 0, damagedRecords: 0, damagedBytes: 0, damagedFiles: 0 });
      // The oldest delivered: it and the placeholders after it are deleted, oldest first.
      for (const end = Date.now() + 10_000; (await sizes()).length > 1;) {
        if (Date.now() > end) throw new Error(`segments left: ${JSON.stringify(await sizes())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await sizes()).toEqual([['000000000005.log', 8]]);
    } finally {
      await second.close();
      await endpoint.stop();
    }
  });
});
