// outbox.ordered damaged while the outbox was down (garbage in it, emptied, a number past every
// segment) beside a segment lost between others. The marker was once replaced in silence as if
// an earlier version had written the directory, so the lost segment was never reported: the
// entries it held vanished without a word. The damaged marker must be reported, the gaps between
// the segments on disk reported as for an intact marker, and every other entry delivered.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { allBut, deliver, expectDelivered, killedWriters } from './outbox-damage-support';

jest.setTimeout(120_000);

/** 1,400 entries of ~6 KiB in 2 MiB segments: five segments, three of them between others. */
const COUNT = 1400;
const writeAndKill = killedWriters();
const CANNOT = 'the entries it held cannot be delivered';

test.each([
  ['garbage', 'q\n'],
  ['emptied', ''],
  ['a number past every segment made', '999999999999\n'],
])('outbox.ordered %s and a middle segment missing: both reported, every other entry delivered', async (_what, text) => {
  const writer = await writeAndKill(COUNT);
  expect(writer.segments.length).toBeGreaterThanOrEqual(5);
  const marker = join(writer.directory, 'outbox.ordered');
  await fs.writeFile(marker, text);
  const gone = writer.segments[1];
  await fs.rm(gone.path);

  const delivery = await deliver(writer);
  expectDelivered(delivery, allBut(writer, gone.records), [
    { file: marker, offset: 0, reason: 'damaged marker file: gaps between segments are reported from the first on disk (1)', bytesSkipped: 0 },
    { file: gone.path, offset: 0, reason: `missing segment between others on disk: ${CANNOT}`, bytesSkipped: 0 },
  ]);
  // Rewritten whole: the next start finds it intact and reports nothing again.
  expect(await fs.readFile(marker, 'utf8')).toBe('1\n');
});
