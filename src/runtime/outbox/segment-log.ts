/**
 * The outbox's storage: an append-only log in segment files (`000000000001.log`, ...), each
 * starting with a magic header and holding CRC-checked records, plus one small cursor file per
 * segment (`000000000001.ack`) saying up to where its records are acknowledged.
 *
 * Appends are group-committed: every record queued while a write is under way goes out in the
 * next single write (and, with fsync, one fdatasync), so durability costs one flush per group,
 * not per entry. A segment is deleted as soon as it is no longer written to and every record in
 * it is acknowledged: that is the compaction. Cursor files are written lazily and never fsynced:
 * a lost cursor only means entries are sent again (at-least-once), never lost.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { OutboxError } from './errors';
import { crc32, decodeRecord, StoredEntry } from './record';

const MAGIC = Buffer.from('EBOXLOG1', 'ascii');
const SEGMENT_NAME = /^(\d{12})\.log$/;
const CURSOR_DELAY_MS = 50;

/** Something wrong found on disk at startup: reported, skipped, never sent. */
export interface OutboxDamage {
  readonly file: string;
  /** Byte offset of the damage in the file. */
  readonly offset: number;
  readonly reason: string;
  /** Bytes from the damage to the end of the file, which are not read. */
  readonly bytesSkipped: number;
}

export class Segment {
  /** Offset up to which every record is acknowledged. */
  public cursor = MAGIC.length;
  /** End of the last record written (or recovered). */
  public end = MAGIC.length;
  /** Bytes of the file on disk, damaged tails included. */
  public fileBytes = MAGIC.length;
  public active = false;
  public fd?: fs.FileHandle;
  public cursorDirty = false;
  public deleted = false;
  /** Acknowledged records past the cursor: offset to end. */
  public readonly acked = new Map<number, number>();

  constructor(public readonly seq: number, public readonly directory: string) {}

  public get path(): string {
    return join(this.directory, `${String(this.seq).padStart(12, '0')}.log`);
  }

  public get cursorPath(): string {
    return join(this.directory, `${String(this.seq).padStart(12, '0')}.ack`);
  }
}

export interface StoredRecord {
  readonly segment: Segment;
  readonly offset: number;
  readonly end: number;
  readonly entry: StoredEntry;
}

export interface SegmentLogOptions {
  readonly directory: string;
  readonly fsync: boolean;
  readonly segmentBytes: number;
  readonly onDamage: (damage: OutboxDamage) => void;
}

interface QueuedAppend {
  readonly record: Buffer;
  readonly resolve: (position: { segment: Segment; offset: number; end: number }) => void;
  readonly reject: (error: Error) => void;
}

export class SegmentLog {
  /** Reads what a previous run left: every record not acknowledged, in order, damage reported. */
  public static async open(options: SegmentLogOptions): Promise<{ log: SegmentLog; records: StoredRecord[] }> {
    const log = new SegmentLog(options);
    const records = await log.recover();
    await log.startSegment(log.lastSeq + 1);
    return { log, records };
  }

  /** Bytes of segment files on disk. */
  public diskBytes = 0;
  private readonly segments = new Map<number, Segment>();
  private active!: Segment;
  private lastSeq = 0;
  private queue: QueuedAppend[] = [];
  private writing = false;
  private cursorTimer?: NodeJS.Timeout;
  private cursorsWriting?: Promise<void>;
  private closed = false;

  private constructor(private readonly options: SegmentLogOptions) {}

  /** Appends one record; resolves with its place once it is written (and fsynced, with `fsync`). */
  public append(record: Buffer): Promise<{ segment: Segment; offset: number; end: number }> {
    if (this.closed) return Promise.reject(new OutboxError('OutboxClosed', 'not stored: the outbox is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Marks a record acknowledged; deletes its segment once nothing in it is left to deliver. */
  public ack(segment: Segment, offset: number, end: number): void {
    if (segment.deleted) return;
    segment.acked.set(offset, end);
    let next: number | undefined;
    while ((next = segment.acked.get(segment.cursor)) !== undefined) {
      segment.acked.delete(segment.cursor);
      segment.cursor = next;
    }
    if (!segment.active && segment.cursor >= segment.end) {
      void this.remove(segment);
      return;
    }
    segment.cursorDirty = true;
    this.cursorTimer ??= setTimeout(() => {
      this.cursorTimer = undefined;
      void this.writeCursors();
    }, CURSOR_DELAY_MS);
  }

  /** Waits for queued writes, saves cursors and closes the file. */
  public async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((resolve) => setTimeout(resolve, 1));
    clearTimeout(this.cursorTimer);
    this.cursorTimer = undefined;
    await this.writeCursors();
    await this.active.fd?.close();
    this.active.fd = undefined;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          await this.write(group);
        } catch (error) {
          const e = error as NodeJS.ErrnoException;
          const failure = new OutboxError('OutboxIoError', `not stored: writing ${this.active.path} failed: ${e.code ?? ''} ${e.message}`.replace(/ {2}/, ' '));
          for (const q of group) q.reject(failure);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(group: QueuedAppend[]): Promise<void> {
    let bytes = 0;
    for (const q of group) bytes += q.record.length;
    if (this.active.end > MAGIC.length && this.active.end + bytes > this.options.segmentBytes) await this.rotate();
    const segment = this.active;
    const data = group.length === 1 ? group[0].record : Buffer.concat(group.map((q) => q.record), bytes);
    // Positioned: after a failed write, the next one overwrites whatever part of it landed.
    await segment.fd!.write(data, 0, data.length, segment.end);
    if (this.options.fsync) await segment.fd!.datasync();
    let offset = segment.end;
    segment.end += bytes;
    this.diskBytes += segment.end - segment.fileBytes;
    segment.fileBytes = segment.end;
    for (const q of group) {
      const end = offset + q.record.length;
      q.resolve({ segment, offset, end });
      offset = end;
    }
  }

  private async rotate(): Promise<void> {
    const previous = this.active;
    previous.active = false;
    await previous.fd?.close();
    previous.fd = undefined;
    await this.startSegment(previous.seq + 1);
    if (previous.cursor >= previous.end) await this.remove(previous);
  }

  private async startSegment(seq: number): Promise<void> {
    const segment = new Segment(seq, this.options.directory);
    segment.fd = await fs.open(segment.path, 'wx');
    await segment.fd.write(MAGIC, 0, MAGIC.length, 0);
    if (this.options.fsync) {
      await segment.fd.datasync();
      await syncDirectory(this.options.directory);
    }
    segment.active = true;
    this.diskBytes += MAGIC.length;
    this.segments.set(seq, segment);
    this.active = segment;
    this.lastSeq = seq;
  }

  private async remove(segment: Segment): Promise<void> {
    if (segment.deleted) return;
    segment.deleted = true;
    this.segments.delete(segment.seq);
    this.diskBytes -= segment.fileBytes;
    await fs.rm(segment.path, { force: true });
    await fs.rm(segment.cursorPath, { force: true });
  }

  private writeCursors(): Promise<void> {
    const run = async () => {
      for (const segment of this.segments.values()) {
        if (!segment.cursorDirty || segment.deleted) continue;
        segment.cursorDirty = false;
        const data = Buffer.alloc(8);
        data.writeUInt32LE(segment.cursor, 0);
        data.writeUInt32LE(crc32(data.subarray(0, 4)), 4);
        const temporary = `${segment.cursorPath}.tmp`;
        await fs.writeFile(temporary, data);
        await fs.rename(temporary, segment.cursorPath);
        // Deleted meanwhile: its cursor file must not outlive it.
        if (segment.deleted) await fs.rm(segment.cursorPath, { force: true });
      }
    };
    const previous = this.cursorsWriting ?? Promise.resolve();
    this.cursorsWriting = previous.then(run, run).catch(() => undefined);
    return this.cursorsWriting;
  }

  private async recover(): Promise<StoredRecord[]> {
    const { directory, onDamage } = this.options;
    const names = await fs.readdir(directory);
    const seqs = names.map((n) => SEGMENT_NAME.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const records: StoredRecord[] = [];
    for (const seq of seqs) {
      this.lastSeq = Math.max(this.lastSeq, seq);
      const segment = new Segment(seq, directory);
      const data = await fs.readFile(segment.path);
      if (data.length < MAGIC.length && MAGIC.subarray(0, data.length).equals(data)) {
        // Killed while the segment was being created: it never held a record.
        await fs.rm(segment.path, { force: true });
        continue;
      }
      if (!data.subarray(0, MAGIC.length).equals(MAGIC)) {
        onDamage({ file: segment.path, offset: 0, reason: 'not an outbox segment (bad header)', bytesSkipped: data.length });
        await fs.rename(segment.path, `${segment.path}.damaged`);
        continue;
      }
      segment.fileBytes = data.length;
      segment.cursor = await this.readCursor(segment, data.length);
      let offset = segment.cursor;
      for (;;) {
        const decoded = decodeRecord(data, offset);
        if (decoded.kind === 'end') break;
        if (decoded.kind === 'damaged') {
          onDamage({ file: segment.path, offset, reason: decoded.reason, bytesSkipped: data.length - offset });
          break;
        }
        records.push({ segment, offset, end: decoded.end, entry: decoded.entry });
        offset = decoded.end;
      }
      segment.end = offset;
      this.diskBytes += segment.fileBytes;
      this.segments.set(seq, segment);
      if (segment.cursor >= segment.end) await this.remove(segment);
    }
    for (const name of names) {
      // Cursor files whose segment is gone (deleted between the two removals).
      const match = /^(\d{12})\.ack(\.tmp)?$/.exec(name);
      if (match && !this.segments.has(Number(match[1]))) await fs.rm(join(directory, name), { force: true });
    }
    return records;
  }

  private async readCursor(segment: Segment, size: number): Promise<number> {
    let data: Buffer;
    try {
      data = await fs.readFile(segment.cursorPath);
    } catch {
      return MAGIC.length;
    }
    if (data.length === 8 && crc32(data.subarray(0, 4)) === data.readUInt32LE(4)) {
      const cursor = data.readUInt32LE(0);
      if (cursor >= MAGIC.length && cursor <= size) return cursor;
    }
    this.options.onDamage({ file: segment.cursorPath, offset: 0, reason: 'damaged cursor file: the whole segment is sent again', bytesSkipped: 0 });
    return MAGIC.length;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
