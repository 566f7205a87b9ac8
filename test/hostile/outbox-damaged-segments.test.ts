// Real segment files of an outbox whose writer was killed with SIGKILL after all its adds
// resolved, damaged one way per test; a new outbox must deliver every undamaged entry, once and
// unaltered, report each damaged stretch once (log and counters) and send nothing of it.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { allBut, deliver, expectDelivered, killedWriters, lostTo, range, rewrite } from './outbox-damage-support';
import { seededRandom } from '../../src/local/eventbridge-faults';

jest.setTimeout(120_000);

/** As in the report: 1,000 entries of ~6 KiB, here in 2 MiB segments (three or more). */
const COUNT = 1000;
const writeAndKill = killedWriters();

/** The byte at `at` turned into its complement. */
const flip = (at: number) => (data: Buffer) => {
  data[at] = 0xff - data[at];
  return data;
};

describe('an outbox reopened after a segment file was damaged', () => {
  test('512 zeroed bytes in the middle of the newest segment: the two records they touch are skipped as one stretch, every record after them is delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const newest = writer.segments[writer.segments.length - 1];
    const middle = newest.records[Math.floor(newest.records.length / 2)];
    // The end of one record and the header of the next: the second can no longer be found.
    const from = middle.offset - 256;
    const { lost, resumesAt } = lostTo(newest, from, from + 512);
    expect(lost.map((r) => r.offset)).toEqual([newest.records[newest.records.indexOf(middle) - 1].offset, middle.offset]);
    await rewrite(newest.path, (data) => data.fill(0, from, from + 512));

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, lost), [{ file: newest.path, offset: lost[0].offset, reason: 'checksum mismatch', bytesSkipped: resumesAt - lost[0].offset }]);
    // What the issue lost: every record after the damage, delivered here.
    expect(newest.records.filter((r) => r.offset >= resumesAt).length).toBeGreaterThan(20);
  });

  test('one flipped byte in the middle of the oldest segment: only the record holding it is skipped', async () => {
    const writer = await writeAndKill(COUNT);
    const oldest = writer.segments[0];
    const hit = oldest.records[Math.floor(oldest.records.length / 2)];
    await rewrite(oldest.path, flip(Math.floor((hit.offset + hit.end) / 2)));

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, [hit]), [{ file: oldest.path, offset: hit.offset, reason: 'checksum mismatch', bytesSkipped: hit.end - hit.offset }]);
  });

  test("a flipped byte in a record's length field, claiming a length of over 4 GiB: the header checksum refuses it before the length is used", async () => {
    const writer = await writeAndKill(COUNT);
    const segment = writer.segments[1];
    const hit = segment.records[Math.floor(segment.records.length / 2)];
    // The length's most significant byte: 0x00 becomes 0xff.
    await rewrite(segment.path, flip(hit.offset + 7));

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, [hit]), [{ file: segment.path, offset: hit.offset, reason: 'record header checksum mismatch', bytesSkipped: hit.end - hit.offset }]);
  });

  test('300 garbage bytes inserted between two records: the garbage is skipped, every record is delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const segment = writer.segments[1];
    const at = segment.records[Math.floor(segment.records.length / 2)].offset;
    const random = seededRandom(24);
    const garbage = Buffer.from(Array.from({ length: 300 }, (_, i) => (i === 0 ? 0x42 : Math.floor(random() * 256))));
    await rewrite(segment.path, (data) => Buffer.concat([data.subarray(0, at), garbage, data.subarray(at)]));

    const delivery = await deliver(writer);
    expectDelivered(delivery, range(0, COUNT), [{ file: segment.path, offset: at, reason: 'no record marker', bytesSkipped: 300 }]);
  });

  test('a torn tail (the last record cut short): the torn record is skipped, all before it delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const newest = writer.segments[writer.segments.length - 1];
    const last = newest.records[newest.records.length - 1];
    await rewrite(newest.path, (data) => data.subarray(0, last.offset + 16 + 100));

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, [last]), [
      { file: newest.path, offset: last.offset, reason: `truncated record (100 of ${last.end - last.offset - 16} payload bytes)`, bytesSkipped: 116 },
    ]);
  });

  test('a zero-filled tail (the pages from a page boundary zeroed, and one more page of zeros past the end): one stretch to the end of the file', async () => {
    const writer = await writeAndKill(COUNT);
    const newest = writer.segments[writer.segments.length - 1];
    const from = Math.floor((newest.bytes - 10_000) / 4096) * 4096;
    const fileBytes = newest.bytes + 4096;
    const { lost } = lostTo(newest, from, fileBytes, fileBytes);
    expect(lost.length).toBeGreaterThanOrEqual(2);
    await rewrite(newest.path, (data) => Buffer.concat([data.fill(0, from), Buffer.alloc(4096)]));

    // Where the zeros start in the first record they reach decides what is found wrong there.
    const into = from - lost[0].offset;
    const reason = into >= 16 ? 'checksum mismatch' : into >= 4 ? 'record header checksum mismatch' : 'no record marker';
    const delivery = await deliver(writer);
    const start = lost[0].offset;
    expectDelivered(delivery, allBut(writer, lost), [{ file: newest.path, offset: start, reason, bytesSkipped: fileBytes - start }]);
  });

  test('a zero-length segment after the newest (the writer killed as it created the file): nothing reported, everything delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const next = writer.segments.length + 1;
    const name = (seq: number) => `${String(seq).padStart(12, '0')}.log`;
    await fs.writeFile(join(writer.directory, name(next)), '');

    const delivery = await deliver(writer);
    expectDelivered(delivery, range(0, COUNT), []);
    // Kept as an 8-byte placeholder (its header written): segments are deleted oldest first, so
    // the numbering on disk has no gap, and a gap is damage (outbox-missing-or-empty-middle-segment).
    expect(delivery.filesAfterOpen).toContain(name(next));
    // The new outbox writes after it, never into a file of the same name.
    expect(delivery.filesAfterOpen).toContain(name(next + 1));
  });

  test('a damaged cursor file: its segment is sent again from its start (the delivered entries once more, at-least-once), nothing is lost', async () => {
    // 8 entries (~48 KiB) delivered first: under the 64 KiB at which a delivered active segment
    // is replaced, so they stay in it behind a cursor.
    const writer = await writeAndKill(COUNT, 8);
    const oldest = writer.segments[0];
    const cursorPath = oldest.path.replace(/\.log$/, '.ack');
    expect((await fs.readFile(cursorPath)).readUInt32LE(0)).toBe(oldest.records[7].end);
    await rewrite(cursorPath, flip(1));

    const delivery = await deliver(writer);
    expectDelivered(delivery, range(0, 8 + COUNT), [{ file: cursorPath, offset: 0, reason: 'damaged cursor file: the whole segment is sent again', bytesSkipped: 0 }]);
  });

  test('a segment whose file header is damaged: read in the format its records have, everything delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const oldest = writer.segments[0];
    await rewrite(oldest.path, flip(3));

    const delivery = await deliver(writer);
    expectDelivered(delivery, range(0, COUNT), [{ file: oldest.path, offset: 0, reason: 'damaged segment header', bytesSkipped: 8 }]);
  });

  test('a segment zeroed whole: reported once as not a segment, set aside as .damaged, every other segment delivered', async () => {
    const writer = await writeAndKill(COUNT);
    const segment = writer.segments[1];
    await rewrite(segment.path, (data) => data.fill(0));

    const delivery = await deliver(writer);
    expectDelivered(delivery, allBut(writer, segment.records), [
      { file: segment.path, offset: 0, reason: 'not an outbox segment (bad header, no record found)', bytesSkipped: segment.bytes },
    ]);
    expect(delivery.filesAfterOpen).toContain(`${segment.path.slice(writer.directory.length + 1)}.damaged`);
  });
});
