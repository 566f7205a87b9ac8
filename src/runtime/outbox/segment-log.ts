/**
 * The outbox's storage: an append-only log in segment files (`000000000001.log`, ...), each
 * starting with an 8-byte header naming its record format (`EBOXLOG2`, or `EBOXLOG1` for
 * segments written before; both read, see record.ts) and holding CRC-checked records, plus one
 * small cursor file per segment (`000000000001.ack`: `[cursor u32 LE][crc32 u32 LE]`) saying up
 * to which byte its records are acknowledged.
 *
 * Appends are group-committed: every record queued while a write is under way goes out in the
 * next single write (and, with fsync, one fdatasync), so durability costs one flush per group,
 * not per entry. A group never grows a segment past `segmentBytes`: it is split across segments
 * (one flush per segment it touches), and a record larger than that has a segment of its own.
 *
 * Delivered data is freed at once: a segment no longer written to is freed as soon as every
 * record in it is acknowledged, and the segment being written to, once everything in it is
 * acknowledged and it holds `RECLAIM_BYTES` or more, is replaced by a new one and freed. Until
 * then its delivered bytes do not count against `maxBytes` (`countedBytes`). Segments are deleted
 * oldest first only: one freed while an older one still holds entries is truncated to its header
 * (an 8-byte placeholder) and deleted once every segment before it is gone. So the segments on
 * disk are always numbered without a gap, and a segment missing between two others (or one
 * emptied below its header) is damage, reported like a damaged record, never taken in silence.
 * `outbox.ordered` holds the first segment number made under that rule: a directory an earlier
 * version wrote (which deleted in any order) may have gaps below it, which are not reported.
 *
 * Reading after a crash resynchronises past damage: a record that does not check (torn, zeroed,
 * flipped, a damaged length) starts a damaged stretch that ends at the next record that does;
 * the stretch is reported once (file, byte offset, reason, length), never sent, and counts as
 * done so the cursor can pass it. Every record before and after it is delivered. Cursor files
 * are written lazily and never fsynced: a lost or damaged cursor only means entries are sent
 * again (at-least-once), never lost.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { OutboxError } from './errors';
import { CURRENT_FORMAT, crc32, FORMATS, RecordFormat, SEGMENT_HEADER_BYTES, StoredEntry, V1_FORMAT } from './record';

const SEGMENT_NAME = /^(\d{12})\.log$/;
/** A segment set aside as not an outbox segment: it keeps its place in the numbering. */
const SET_ASIDE_NAME = /^(\d{12})\.log\.damaged$/;
/**
 * The first segment number made by a version that deletes segments oldest first: earlier versions
 * deleted delivered segments in any order, so a gap below it is no sign of damage.
 */
export const ORDERED_FROM_FILE = 'outbox.ordered';
const CURSOR_DELAY_MS = 50;
/**
 * A fully acknowledged segment being written to is replaced once it holds this much: freeing
 * smaller ones would cost a file creation per few entries under a trickle of adds.
 */
export const RECLAIM_BYTES = 64 * 1024;

/** Something wrong found on disk at startup: reported once, skipped, never sent. */
export interface OutboxDamage {
  /** Path of the segment (`.log`) or cursor (`.ack`) file. */
  readonly file: string;
  /** Byte offset in the file where the damage starts. */
  readonly offset: number;
  /** What did not check at `offset`, e.g. `checksum mismatch`, `no record marker`, `truncated record (73 of 103 payload bytes)`. */
  readonly reason: string;
  /**
   * Bytes not read: from `offset` to the next record that checks (or the end of the file). 0 for
   * a damaged cursor file, whose segment is sent again from its start.
   */
  readonly bytesSkipped: number;
}

/** Counters of the damage found when the outbox opened. */
export interface OutboxDamageCounts {
  /** Damaged stretches of records skipped (each at least one record, reported once). */
  readonly damagedRecords: number;
  /** Bytes in those stretches. */
  readonly damagedBytes: number;
  /** Segment headers and cursor files that did not check, and segments missing or empty between others. */
  readonly damagedFiles: number;
}

export class Segment {
  /** Offset up to which every record is acknowledged (or damaged and skipped). */
  public cursor = SEGMENT_HEADER_BYTES;
  /** End of the last record written (or of what was read). */
  public end = SEGMENT_HEADER_BYTES;
  /** Bytes of the file on disk. */
  public fileBytes = SEGMENT_HEADER_BYTES;
  public active = false;
  public fd?: fs.FileHandle;
  /** With fsync: the directory entry of this file is on disk. */
  public linked = false;
  public cursorDirty = false;
  public deleted = false;
  /** Delivered, truncated to its header, and waiting for the segments before it to go. */
  public emptied = false;
  /** Acknowledged records (and skipped damage) past the cursor: offset to end. */
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
    log.install(await log.createSegment(log.lastSeq + 1));
    return { log, records };
  }

  /** Bytes of segment files on disk. */
  public diskBytes = 0;
  public readonly damage = { damagedRecords: 0, damagedBytes: 0, damagedFiles: 0 };
  private readonly segments = new Map<number, Segment>();
  /** Segments numbered from this one on are deleted oldest first: a gap among them is damage. */
  private orderedFrom = Number.POSITIVE_INFINITY;
  private active!: Segment;
  private lastSeq = 0;
  private queue: QueuedAppend[] = [];
  private writing?: Promise<void>;
  private reclaimWanted = false;
  private cursorTimer?: NodeJS.Timeout;
  private cursorsWriting?: Promise<void>;
  private closed = false;

  private constructor(private readonly options: SegmentLogOptions) {}

  /** Bytes that count against `maxBytes`: those on disk but the delivered segment about to be replaced. */
  public get countedBytes(): number {
    return this.diskBytes - (this.reclaimable() ? this.active.fileBytes - SEGMENT_HEADER_BYTES : 0);
  }

  /** Appends one record; resolves with its place once it is written (and fsynced, with `fsync`). */
  public append(record: Buffer): Promise<{ segment: Segment; offset: number; end: number }> {
    if (this.closed) return Promise.reject(new OutboxError('OutboxClosed', 'not stored: the outbox is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.startWriting();
    });
  }

  /** Marks a record acknowledged; frees its segment once nothing in it is left to deliver. */
  public ack(segment: Segment, offset: number, end: number): void {
    if (segment.deleted || segment.emptied) return;
    segment.acked.set(offset, end);
    advance(segment);
    if (segment.cursor >= segment.end) {
      if (!segment.active) {
        void this.release(segment);
        return;
      }
      if (this.reclaimable() && !this.closed) {
        this.reclaimWanted = true;
        this.startWriting();
      }
    }
    segment.cursorDirty = true;
    this.scheduleCursors();
  }

  /** Cursor files are written a little later, together. */
  private scheduleCursors(): void {
    this.cursorTimer ??= setTimeout(() => {
      this.cursorTimer = undefined;
      void this.writeCursors();
    }, CURSOR_DELAY_MS);
  }

  /** Waits for queued writes, saves cursors and closes the file. */
  public async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = undefined;
    await this.writeCursors();
    await this.active.fd?.close();
    this.active.fd = undefined;
  }

  private reclaimable(): boolean {
    const active = this.active;
    return active !== undefined && active.cursor >= active.end && active.end - SEGMENT_HEADER_BYTES >= RECLAIM_BYTES;
  }

  /** One writer at a time; it runs in a later microtask, so `writing` is set before it can end. */
  private startWriting(): void {
    this.writing ??= Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.reclaimWanted) {
        if (this.queue.length === 0) {
          this.reclaimWanted = false;
          if (this.reclaimable()) await this.rotate().catch(() => undefined);
          continue;
        }
        const group = this.queue;
        this.queue = [];
        await this.write(group);
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Writes the group in as few writes as the segment size allows, resolving each record once it is durable. */
  private async write(group: QueuedAppend[]): Promise<void> {
    const { segmentBytes, fsync } = this.options;
    let first = 0;
    while (first < group.length) {
      try {
        if (this.reclaimable()) await this.rotate();
        const segment = this.active;
        let bytes = 0;
        let last = first;
        // An empty segment takes at least one record, whatever its size.
        while (last < group.length) {
          const fill = segment.end + bytes;
          if (fill > SEGMENT_HEADER_BYTES && fill + group[last].record.length > segmentBytes) break;
          bytes += group[last].record.length;
          last++;
        }
        if (last === first) {
          await this.rotate();
          continue;
        }
        const chunk = group.slice(first, last);
        const data = chunk.length === 1 ? chunk[0].record : Buffer.concat(chunk.map((q) => q.record), bytes);
        // Positioned: after a failed write, the next one overwrites whatever part of it landed.
        await segment.fd!.write(data, 0, data.length, segment.end);
        if (fsync) {
          await segment.fd!.datasync();
          if (!segment.linked) await syncDirectory(this.options.directory);
        }
        segment.linked = true;
        let offset = segment.end;
        segment.end += bytes;
        this.diskBytes += segment.end - segment.fileBytes;
        segment.fileBytes = segment.end;
        for (const q of chunk) {
          const end = offset + q.record.length;
          q.resolve({ segment, offset, end });
          offset = end;
        }
        first = last;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        const failure = new OutboxError('OutboxIoError', `not stored: writing ${this.active.path} failed: ${e.code ?? ''} ${e.message}`.replace(/ {2}/, ' '));
        for (const q of group.slice(first)) q.reject(failure);
        return;
      }
    }
  }

  /** Starts the next segment; the one before is deleted at once if everything in it is acknowledged. */
  private async rotate(): Promise<void> {
    const previous = this.active;
    // The new file first: if it cannot be made, the current one stays in use.
    this.install(await this.createSegment(previous.seq + 1));
    previous.active = false;
    await previous.fd?.close();
    previous.fd = undefined;
    if (previous.cursor >= previous.end) await this.release(previous);
  }

  /** A new segment file with its header, not yet fsynced: the first write to it does that. */
  private async createSegment(seq: number): Promise<Segment> {
    const segment = new Segment(seq, this.options.directory);
    const header = CURRENT_FORMAT.segmentHeader;
    segment.fd = await fs.open(segment.path, 'wx');
    try {
      await segment.fd.write(header, 0, header.length, 0);
    } catch (error) {
      await segment.fd.close();
      await fs.rm(segment.path, { force: true });
      throw error;
    }
    return segment;
  }

  private install(segment: Segment): void {
    segment.active = true;
    this.diskBytes += segment.fileBytes;
    this.segments.set(segment.seq, segment);
    this.active = segment;
    this.lastSeq = segment.seq;
  }

  /**
   * Frees a segment no longer written to whose records are all delivered: deleted when it is the
   * oldest (and the placeholders after it with it), else truncated to its header until it is.
   */
  private async release(segment: Segment): Promise<void> {
    if (segment.deleted || segment.emptied) return;
    if (this.oldest() !== segment) {
      await this.empty(segment);
      return;
    }
    await this.remove(segment);
    for (let next = this.oldest(); next !== undefined && !next.active && (next.emptied || next.cursor >= next.end); next = this.oldest()) {
      await this.remove(next);
    }
  }

  /** The oldest segment still on disk (the map holds them in the order of their numbers). */
  private oldest(): Segment | undefined {
    return this.segments.values().next().value as Segment | undefined;
  }

  /** Truncates a delivered segment to its header: its bytes are freed, its place in the numbering kept. */
  private async empty(segment: Segment): Promise<void> {
    segment.emptied = true;
    try {
      await fs.truncate(segment.path, SEGMENT_HEADER_BYTES);
    } catch {
      // Left whole: its cursor file still says it is delivered (written as usual), so it is not sent again.
      segment.emptied = false;
      segment.cursorDirty = true;
      this.scheduleCursors();
      return;
    }
    if (segment.deleted) return;
    this.diskBytes -= segment.fileBytes - SEGMENT_HEADER_BYTES;
    segment.fileBytes = SEGMENT_HEADER_BYTES;
    segment.cursor = SEGMENT_HEADER_BYTES;
    segment.end = SEGMENT_HEADER_BYTES;
    segment.cursorDirty = false;
    // A header-only segment has nothing to send whatever its cursor says: a stale one left by a crash here is ignored.
    await fs.rm(segment.cursorPath, { force: true }).catch(() => undefined);
  }

  private async remove(segment: Segment): Promise<void> {
    if (segment.deleted) return;
    segment.deleted = true;
    this.segments.delete(segment.seq);
    this.diskBytes -= segment.fileBytes;
    // A segment that cannot be removed is read again at the next start: sent again, never lost.
    await fs.rm(segment.path, { force: true }).catch(() => undefined);
    await fs.rm(segment.cursorPath, { force: true }).catch(() => undefined);
  }

  private writeCursors(): Promise<void> {
    const run = async () => {
      for (const segment of this.segments.values()) {
        if (!segment.cursorDirty || segment.deleted || segment.emptied) continue;
        segment.cursorDirty = false;
        const data = Buffer.alloc(8);
        data.writeUInt32LE(segment.cursor, 0);
        data.writeUInt32LE(crc32(data.subarray(0, 4)), 4);
        const temporary = `${segment.cursorPath}.tmp`;
        await fs.writeFile(temporary, data);
        await fs.rename(temporary, segment.cursorPath);
        // Deleted or emptied meanwhile: its cursor file must not outlive it.
        if (segment.deleted || segment.emptied) await fs.rm(segment.cursorPath, { force: true });
      }
    };
    const previous = this.cursorsWriting ?? Promise.resolve();
    this.cursorsWriting = previous.then(run, run).catch(() => undefined);
    return this.cursorsWriting;
  }

  private report(damage: OutboxDamage, kind: 'record' | 'file'): void {
    if (kind === 'record') {
      this.damage.damagedRecords++;
      this.damage.damagedBytes += damage.bytesSkipped;
    } else {
      this.damage.damagedFiles++;
    }
    try {
      this.options.onDamage(damage);
    } catch {
      // Reported; a throwing callback must not stop the outbox from opening.
    }
  }

  private async recover(): Promise<StoredRecord[]> {
    const { directory } = this.options;
    const names = await fs.readdir(directory);
    const seqs = names.map((n) => SEGMENT_NAME.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const setAside = new Set(names.map((n) => SET_ASIDE_NAME.exec(n)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])));
    const afterLast = Math.max(0, ...seqs, ...setAside) + 1;
    let marker = names.includes(ORDERED_FROM_FILE) ? await this.readOrderedFrom() : undefined;
    if (names.includes(ORDERED_FROM_FILE) && (marker === undefined || marker > afterLast)) {
      // Damaged (no number, or one past every segment made): taken in silence, a segment lost below its
      // false number would never be reported. This directory was ordered when the marker was written.
      marker = Math.min(afterLast, ...seqs);
      this.report({ file: join(directory, ORDERED_FROM_FILE), offset: 0, reason: `damaged marker file: gaps between segments are reported from the first on disk (${marker})`, bytesSkipped: 0 }, 'file');
      await this.writeOrderedFrom(marker);
    }
    // No marker: a new directory (ordered from its first segment), or one an earlier version wrote (from the next).
    this.orderedFrom = marker ?? afterLast;
    // A number set aside is not made again.
    this.lastSeq = Math.max(0, ...setAside);
    const records: StoredRecord[] = [];
    for (const [i, seq] of seqs.entries()) {
      this.lastSeq = Math.max(this.lastSeq, seq);
      if (i > 0) this.reportMissing(seqs[i - 1], seq, setAside);
      const segment = new Segment(seq, directory);
      const data = await fs.readFile(segment.path).catch((error: NodeJS.ErrnoException) => {
        // Node's read errors name no file (EISDIR): the message that reports it should.
        if (typeof error === 'object' && error !== null && error.path === undefined) error.path = segment.path;
        throw error;
      });
      if (data.length < SEGMENT_HEADER_BYTES && FORMATS.some((f) => f.segmentHeader.subarray(0, data.length).equals(data))) {
        await this.recoverShort(segment, data.length, i === seqs.length - 1);
        continue;
      }
      const format = this.formatOf(segment, data);
      if (format === undefined) {
        this.report({ file: segment.path, offset: 0, reason: 'not an outbox segment (bad header, no record found)', bytesSkipped: data.length }, 'record');
        await fs.rename(segment.path, `${segment.path}.damaged`);
        continue;
      }
      segment.fileBytes = data.length;
      segment.end = data.length;
      segment.cursor = await this.readCursor(segment, data.length);
      for (let offset = segment.cursor; ;) {
        const decoded = format.decode(data, offset);
        if (decoded.kind === 'end') break;
        if (decoded.kind === 'record') {
          records.push({ segment, offset, end: decoded.end, entry: decoded.entry });
          offset = decoded.end;
          continue;
        }
        const next = format.resync(data, offset);
        this.report({ file: segment.path, offset, reason: decoded.reason, bytesSkipped: next - offset }, 'record');
        // Nothing to deliver there: done, so the cursor passes it once what comes before is acknowledged.
        segment.acked.set(offset, next);
        offset = next;
      }
      advance(segment);
      this.diskBytes += segment.fileBytes;
      this.segments.set(seq, segment);
      if (segment.cursor >= segment.end) await this.release(segment);
    }
    for (const name of names) {
      // Cursor files whose segment is gone (deleted between the two removals).
      const match = /^(\d{12})\.ack(\.tmp)?$/.exec(name);
      if (match && !this.segments.has(Number(match[1]))) await fs.rm(join(directory, name), { force: true });
      if (name === `${ORDERED_FROM_FILE}.tmp`) await fs.rm(join(directory, name), { force: true });
    }
    if (marker === undefined) await this.writeOrderedFrom(this.orderedFrom);
    return records;
  }

  /** The marker's number; undefined when it does not read as one (damaged, reported by recover). */
  private async readOrderedFrom(): Promise<number | undefined> {
    const text = await fs.readFile(join(this.options.directory, ORDERED_FROM_FILE), 'utf8').catch(() => '');
    return /^\d{1,15}\n?$/.test(text) ? Number(text.trim()) : undefined;
  }

  private async writeOrderedFrom(seq: number): Promise<void> {
    const path = join(this.options.directory, ORDERED_FROM_FILE);
    const temporary = `${path}.tmp`;
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(`${seq}\n`);
      if (this.options.fsync) await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
    if (this.options.fsync) await syncDirectory(this.options.directory);
  }

  /**
   * Segments are deleted oldest first, so none is missing between two on disk: one that is (but
   * for those set aside as `.damaged`) was lost with whatever it held. Reported once per gap.
   */
  private reportMissing(before: number, after: number, setAside: ReadonlySet<number>): void {
    // Only numbers made since segments are deleted oldest first; each loop bounded by setAside's size.
    let from = Math.max(before + 1, this.orderedFrom);
    let to = after - 1;
    while (from <= to && setAside.has(from)) from++;
    while (to >= from && setAside.has(to)) to--;
    if (from > to) return;
    let count = to - from + 1;
    for (const seq of setAside) if (seq > from && seq < to) count--;
    const first = new Segment(from, this.options.directory);
    const last = new Segment(to, this.options.directory);
    const which = count === 1 ? 'missing segment' : `missing segments (${count}, up to ${basename(last.path)})`;
    this.report({ file: first.path, offset: 0, reason: `${which} between others on disk: the entries it held cannot be delivered`, bytesSkipped: 0 }, 'record');
  }

  /**
   * A segment shorter than its header. The newest: the writer was killed as it created the file,
   * which never held a record; kept (its header written) as a placeholder, so that the segment
   * made next leaves no gap, or deleted when nothing comes before it. One before the newest had
   * its header and perhaps records: it was emptied, which is damage, and is deleted in its turn.
   */
  private async recoverShort(segment: Segment, bytes: number, newest: boolean): Promise<void> {
    if (newest && this.segments.size === 0) {
      await fs.rm(segment.path, { force: true });
      return;
    }
    if (newest) {
      const header = CURRENT_FORMAT.segmentHeader;
      const handle = await fs.open(segment.path, 'r+');
      try {
        await handle.write(header, 0, header.length, 0);
        if (this.options.fsync) await handle.datasync();
      } finally {
        await handle.close();
      }
      if (this.options.fsync) await syncDirectory(this.options.directory);
      bytes = SEGMENT_HEADER_BYTES;
    } else {
      const reason = bytes === 0 ? 'empty segment' : `truncated segment header (${bytes} of ${SEGMENT_HEADER_BYTES} bytes)`;
      this.report({ file: segment.path, offset: 0, reason: `${reason} before the newest: the entries it held cannot be delivered`, bytesSkipped: bytes }, 'record');
    }
    segment.fileBytes = bytes;
    segment.emptied = true;
    this.diskBytes += bytes;
    this.segments.set(segment.seq, segment);
    if (this.oldest() === segment) await this.remove(segment);
  }

  /** The segment's format by its header; with a damaged header, the format whose records are found in it. */
  private formatOf(segment: Segment, data: Buffer): RecordFormat | undefined {
    const header = data.subarray(0, SEGMENT_HEADER_BYTES);
    const known = FORMATS.find((f) => f.segmentHeader.equals(header));
    if (known) return known;
    for (const format of [CURRENT_FORMAT, V1_FORMAT]) {
      const first = format.resync(data, SEGMENT_HEADER_BYTES - 1);
      if (first < data.length) {
        this.report({ file: segment.path, offset: 0, reason: 'damaged segment header', bytesSkipped: SEGMENT_HEADER_BYTES }, 'file');
        return format;
      }
    }
    return undefined;
  }

  private async readCursor(segment: Segment, size: number): Promise<number> {
    // A header alone (a delivered segment emptied, a crash before its cursor file went): nothing to send.
    if (size === SEGMENT_HEADER_BYTES) return SEGMENT_HEADER_BYTES;
    let data: Buffer;
    try {
      data = await fs.readFile(segment.cursorPath);
    } catch {
      return SEGMENT_HEADER_BYTES;
    }
    if (data.length === 8 && crc32(data.subarray(0, 4)) === data.readUInt32LE(4)) {
      const cursor = data.readUInt32LE(0);
      if (cursor >= SEGMENT_HEADER_BYTES && cursor <= size) return cursor;
    }
    this.report({ file: segment.cursorPath, offset: 0, reason: 'damaged cursor file: the whole segment is sent again', bytesSkipped: 0 }, 'file');
    return SEGMENT_HEADER_BYTES;
  }
}

/** Moves the cursor over the acknowledged (or skipped) records that follow it. */
function advance(segment: Segment): void {
  let next: number | undefined;
  while ((next = segment.acked.get(segment.cursor)) !== undefined) {
    segment.acked.delete(segment.cursor);
    segment.cursor = next;
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
