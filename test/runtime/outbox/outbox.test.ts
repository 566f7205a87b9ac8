import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arrived, clientFor, logFiles, order, UNREACHABLE, until } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { OutboxDamage, OutboxError } from '../../../src/runtime';

describe('the outbox', () => {
  let directory: string;
  let endpoint: EventBridgeEndpoint;
  beforeEach(async () => {
    directory = await fs.mkdtemp(join(tmpdir(), 'outbox-'));
    endpoint = await startEventBridgeEndpoint();
  });
  afterEach(async () => {
    await endpoint.stop();
    await fs.rm(directory, { recursive: true, force: true });
  });

  test('delivers every added entry, then removes the acknowledged segments from disk', async () => {
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory, segmentBytes: 2 * 1024 * 1024 });
    await Promise.all(Array.from({ length: 600 }, (_, n) => outbox.add(order(n, 5000))));
    await outbox.flush();
    expect(arrived(endpoint)).toEqual(Array.from({ length: 600 }, (_, n) => n));
    expect(client.stats()).toMatchObject({ outboxEvents: 0, sent: 600 });
    // 600 entries of ~5 KiB filled a 2 MiB segment and went on in a second: the first, no longer
    // written to and all acknowledged, was deleted; the second, all acknowledged and past 64 KiB,
    // was replaced by an empty third and deleted too: delivered data does not stay on disk.
    await until(async () => (await logFiles(directory)).length === 1 && outbox.bytes === 8);
    expect(await logFiles(directory)).toEqual(['000000000003.log']);
    expect((await fs.stat(join(directory, '000000000003.log'))).size).toBe(8);
    await client.close();
    // The lock is released; outbox.ordered says from which segment on they are deleted oldest first.
    expect((await fs.readdir(directory)).sort()).toEqual(['000000000003.log', 'outbox.ordered']);
  });

  test('what was not acknowledged before close is sent by the next outbox on the same directory', async () => {
    const down = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const first = await down.outbox({ directory, retryDelayMs: 50 });
    await Promise.all(Array.from({ length: 25 }, (_, n) => first.add(order(n))));
    expect(down.stats().outboxEvents).toBe(25);
    await down.close({ deadlineMs: 100 });
    expect(endpoint.acceptedCount).toBe(0);

    const up = clientFor(endpoint.endpoint);
    const second = await up.outbox({ directory });
    expect(second.events).toBe(25);
    await second.flush();
    expect(arrived(endpoint)).toEqual(Array.from({ length: 25 }, (_, n) => n));
    await up.close();
  });

  test('a torn last record and a damaged one are reported and skipped, never sent half', async () => {
    const down = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const first = await down.outbox({ directory, retryDelayMs: 60_000 });
    for (let n = 0; n < 10; n++) await first.add(order(n));
    await down.close({ deadlineMs: 50 });
    const [segment] = await logFiles(directory);
    const path = join(directory, segment);
    const data = await fs.readFile(path);
    // After the 8-byte segment header, ten records of 16 + 103 bytes: tear the last one.
    expect(data.length).toBe(8 + 10 * 119);
    await fs.writeFile(path, data.subarray(0, data.length - 30));

    const damage: OutboxDamage[] = [];
    const up = clientFor(endpoint.endpoint);
    const second = await up.outbox({ directory, onDamage: (d) => damage.push(d) });
    await second.flush();
    expect(damage).toEqual([{ file: path, offset: 8 + 9 * 119, reason: 'truncated record (73 of 103 payload bytes)', bytesSkipped: 89 }]);
    expect(second.stats()).toMatchObject({ damagedRecords: 1, damagedBytes: 89, damagedFiles: 0 });
    expect(arrived(endpoint)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    await up.close();

    // A flipped byte inside a record of a segment still to deliver: its checksum no longer
    // matches; the record after it is read and delivered.
    const again = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const third = await again.outbox({ directory, retryDelayMs: 60_000 });
    for (let n = 100; n < 103; n++) await third.add(order(n));
    await again.close({ deadlineMs: 50 });
    const last = join(directory, (await logFiles(directory)).pop()!);
    const bytes = await fs.readFile(last);
    expect(bytes.length).toBe(8 + 3 * 121);
    bytes[8 + 121 + 20] = 0xff - bytes[8 + 121 + 20];
    await fs.writeFile(last, bytes);
    const found: OutboxDamage[] = [];
    const fourth = clientFor(endpoint.endpoint);
    await (await fourth.outbox({ directory, onDamage: (d) => found.push(d) })).flush();
    expect(found).toEqual([{ file: last, offset: 8 + 121, reason: 'checksum mismatch', bytesSkipped: 121 }]);
    expect(arrived(endpoint)).toContain(100);
    expect(arrived(endpoint)).not.toContain(101);
    expect(arrived(endpoint)).toContain(102);
    await fourth.close();
  });

  test('disk use is bounded: past maxBytes, add rejects with OutboxFull and says why', async () => {
    const down = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const outbox = await down.outbox({ directory, maxBytes: 4 * 1024 * 1024, fsync: false, retryDelayMs: 60_000 });
    let stored = 0;
    let refusal: unknown;
    for (let n = 0; n < 100 && refusal === undefined; n++) {
      await outbox.add(order(n, 100_000)).then(() => stored++, (e: unknown) => (refusal = e));
    }
    expect(stored).toBe(41);
    expect(refusal).toBeInstanceOf(OutboxError);
    expect((refusal as OutboxError).code).toBe('OutboxFull');
    expect((refusal as OutboxError).message).toMatch(new RegExp(`^not stored: the outbox in '${directory}' holds 41\\d{5} of 4194304 bytes \\(maxBytes\\) and the entry needs 100\\d{3}: expected deliveries to catch up, or a larger maxBytes$`));
    expect(down.stats().outboxBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    await down.close({ deadlineMs: 10 });
  });

  test('an entry EventBridge would refuse is refused by add, and nothing is stored', async () => {
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory });
    await expect(outbox.add({ source: 'com.example', detailType: 'x', detail: '[1]' })).rejects.toThrow("invalid entry: detail '[1]' holds an array: expected a JSON object");
    expect(outbox.events).toBe(0);
    await expect(client.outbox({ directory })).rejects.toThrow(`outbox directory '${directory}' is already open in this process: expected one outbox per directory`);
    await client.close();
  });
});

describe('outbox options', () => {
  test('are checked when the outbox opens, naming the bad value', async () => {
    const client = clientFor(UNREACHABLE);
    await expect(client.outbox({ directory: '' })).rejects.toThrow("invalid outbox directory '': expected the path of a directory for the outbox's files");
    await expect(client.outbox({ directory: '/tmp/x', maxBytes: 1000 })).rejects.toThrow(
      "invalid maxBytes '1000': expected a whole number of bytes, at least 4194304 (two segments of the largest entry)");
    client.destroy();
  });
});
