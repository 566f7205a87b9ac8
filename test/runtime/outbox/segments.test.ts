// How the outbox sizes and frees its segment files, and reads segments of the format before.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { arrived, clientFor, logFiles, order, segmentBytesOnDisk, UNREACHABLE, until } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { OutboxDamage } from '../../../src/runtime';

const MiB = 1024 * 1024;

let directory: string;
let endpoint: EventBridgeEndpoint;
beforeEach(async () => {
  directory = await fs.mkdtemp(join(tmpdir(), 'outbox-segments-'));
  endpoint = await startEventBridgeEndpoint();
});
afterEach(async () => {
  await endpoint.stop();
  await fs.rm(directory, { recursive: true, force: true });
});

/**
 * One group: the adds are all made in one tick, so they are queued before the writer's first
 * write and go out as one group commit, which the writer splits across segments. No record can
 * be larger than a segment: the options refuse a segmentBytes under 8x the request limit (2 MiB),
 * more than the largest valid entry takes as JSON.
 */
test('one group of 2,400 concurrent adds (24 MB) with segmentBytes 4 MiB: no segment file passes 4 MiB', async () => {
  const down = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
  const outbox = await down.outbox({ directory, segmentBytes: 4 * MiB, fsync: false, retryDelayMs: 3_600_000 });
  await Promise.all(Array.from({ length: 2400 }, (_, n) => outbox.add(order(n, 10_000))));
  const names = await logFiles(directory);
  const sizes = await Promise.all(names.map(async (name) => (await fs.stat(join(directory, name))).size));
  expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * MiB);
  // Filled, not one record per file: every segment but the last holds more than 4 MiB less one record.
  expect(sizes.slice(0, -1).every((size) => size > 4 * MiB - 10_100)).toBe(true);
  expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(24_000_000);
  expect(outbox.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
  await down.close({ deadlineMs: 10 });
});

test('delivered data is freed at once: with 0 entries undelivered, a 250 KiB add that the delivered bytes would have pushed past maxBytes is accepted', async () => {
  const client = clientFor(endpoint.endpoint);
  const maxBytes = 4 * MiB;
  const outbox = await client.outbox({ directory, maxBytes, fsync: false });
  // One group of ~4 MB added in one tick (the writer before EBOXLOG2 kept a group in one segment).
  await Promise.all(Array.from({ length: 395 }, (_, n) => outbox.add(order(n, 10 * 1024))));
  await outbox.flush();
  expect(outbox.events).toBe(0);
  // Their pads alone and the new entry pass maxBytes: had the delivered bytes counted, it would be refused.
  expect(395 * 10 * 1024 + 250 * 1024).toBeGreaterThan(maxBytes);

  await outbox.add(order(395, 250 * 1024 - 200));
  await outbox.flush();
  expect(arrived(endpoint)).toEqual(Array.from({ length: 396 }, (_, n) => n));
  // On disk: only the empty segment that replaced the delivered ones (its 8-byte header).
  await until(async () => (await segmentBytesOnDisk(directory)) === 8);
  expect(outbox.stats()).toMatchObject({ events: 0, bytes: 8, countedBytes: 8 });
  await client.close();
});

/** A segment as outboxes before EBOXLOG2 wrote it: `EBOXLOG1`, then `[length u32 LE][crc32 u32 LE][payload]` records. */
function eboxlog1Segment(entries: number, damaged?: number): { data: Buffer; offsets: number[] } {
  const crc32 = (zlib as unknown as { crc32: (data: Uint8Array) => number }).crc32;
  const parts = [Buffer.from('EBOXLOG1', 'ascii')];
  const offsets: number[] = [];
  let offset = 8;
  for (let n = 0; n < entries; n++) {
    const payload = Buffer.from(JSON.stringify({ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ n }), EventBusName: 'orders' }));
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    if (n === damaged) payload[Math.floor(payload.length / 2)] ^= 0x01; // eslint-disable-line no-bitwise
    parts.push(header, payload);
    offsets.push(offset);
    offset += 8 + payload.length;
  }
  return { data: Buffer.concat(parts), offsets };
}

describe('a segment in the EBOXLOG1 format', () => {
  test('is read and delivered by the new reader, then removed', async () => {
    await fs.writeFile(join(directory, '000000000001.log'), eboxlog1Segment(50).data);
    const damage: OutboxDamage[] = [];
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory, onDamage: (d) => damage.push(d) });
    expect(outbox.events).toBe(50);
    await outbox.flush();
    expect(arrived(endpoint)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(damage).toEqual([]);
    await until(async () => !(await logFiles(directory)).includes('000000000001.log'));
    // New records go to a new segment in the new format.
    expect((await fs.readFile(join(directory, '000000000002.log'))).subarray(0, 8).toString()).toBe('EBOXLOG2');
    await client.close();
  });

  test('with a damaged record: that one is reported and skipped, the records after it are found and delivered', async () => {
    const path = join(directory, '000000000001.log');
    const { data, offsets } = eboxlog1Segment(50, 20);
    await fs.writeFile(path, data);
    const damage: OutboxDamage[] = [];
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory, onDamage: (d) => damage.push(d) });
    await outbox.flush();
    expect(damage).toEqual([{ file: path, offset: offsets[20], reason: 'checksum mismatch', bytesSkipped: offsets[21] - offsets[20] }]);
    expect(arrived(endpoint)).toEqual(Array.from({ length: 50 }, (_, n) => n).filter((n) => n !== 20));
    expect(outbox.stats()).toMatchObject({ damagedRecords: 1, damagedBytes: offsets[21] - offsets[20], damagedFiles: 0 });
    await client.close();
  });
});
