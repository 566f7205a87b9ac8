/**
 * The outbox's on-disk records, in two formats told apart by the segment's 8-byte header:
 *
 * - `EBOXLOG2` (written now): `[marker FF 45 42 52][length u32 LE][payload crc32 u32 LE]
 *   [header crc32 u32 LE][payload]`. The header CRC covers the 12 bytes before it, so a damaged
 *   length is caught before it is trusted. The marker starts with 0xFF, a byte UTF-8 never
 *   holds, and the payload is UTF-8 JSON: inside a segment, the marker appears only where a
 *   record starts (or where damage wrote it, which the header CRC then refuses). That is what
 *   makes resynchronising after damage reliable: the next record is the next marker whose header
 *   checks.
 * - `EBOXLOG1` (written before; still read): `[length u32 LE][payload crc32 u32 LE][payload]`.
 *   With no marker, resynchronising tries each later offset for a record that checks whole: a
 *   plausible length, a payload from `{` to `}`, and its CRC.
 *
 * The payload is the PutEvents request entry as JSON (`Time` an ISO string), with the caller's
 * per-entry `claimCheck` flag as `ClaimCheck` when it gave one (a reader without that field sends
 * the entry by size, as before the flag was kept), and the entry's idempotency key, given or
 * stamped at `add`, as `IdempotencyKey` (so a restart resends the same key; a reader from before
 * the key sends the entry without it). The CRC-32 (the
 * zlib/PNG polynomial) covers it, so a record torn by a crash or damaged on disk is detected and
 * never sent, in whole or in part.
 */
import * as zlib from 'node:zlib';
import type { PutEventsRequestEntry } from '../put-events/types';

export const SEGMENT_HEADER_BYTES = 8;
/** A record longer than this is taken for damage: no valid entry is near it (1 MiB request limit, JSON escaping). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** node:zlib has crc32 from Node 20.15 and 22.2; a table-driven fallback serves older 20.x. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
let table: Uint32Array | undefined;

/* eslint-disable no-bitwise -- CRC-32 is bit arithmetic */
export function crc32(data: Uint8Array): number {
  if (zlibCrc32) return zlibCrc32(data);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
/* eslint-enable no-bitwise */

/** A stored entry: the request fields, `Time` as an ISO string, and the entry's `claimCheck` flag. */
export interface StoredEntry extends Omit<PutEventsRequestEntry, 'Time'> {
  Time?: string;
  /** The entry's `claimCheck`: `true` through S3 whatever its size, `false` never; left out: by size. */
  ClaimCheck?: boolean;
  /** The entry's idempotency key, fixed when it was added (not yet spliced into `Detail`). */
  IdempotencyKey?: string;
}

export type DecodedRecord =
  | { readonly kind: 'record'; readonly entry: StoredEntry; readonly end: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'damaged'; readonly reason: string };

/** One record format: how a segment of it starts, and how its records read. */
export interface RecordFormat {
  /** The segment's first 8 bytes. */
  readonly segmentHeader: Buffer;
  /** Reads the record at `offset` of `data`: a record, the clean end of the data, or damage. */
  decode(data: Buffer, offset: number): DecodedRecord;
  /** The first offset after `from` where a record may start (`data.length` when none): where reading goes on after damage at `from`. */
  resync(data: Buffer, from: number): number;
}

const MARKER = Buffer.from([0xff, 0x45, 0x42, 0x52]);
const V2_HEADER_BYTES = 16;

/** The format new segments are written in. */
export const CURRENT_FORMAT: RecordFormat = {
  segmentHeader: Buffer.from('EBOXLOG2', 'ascii'),
  decode(data, offset) {
    if (offset === data.length) return { kind: 'end' };
    if (offset + V2_HEADER_BYTES > data.length) {
      return { kind: 'damaged', reason: `truncated record header (${data.length - offset} of ${V2_HEADER_BYTES} bytes)` };
    }
    if (data.compare(MARKER, 0, MARKER.length, offset, offset + MARKER.length) !== 0) return { kind: 'damaged', reason: 'no record marker' };
    if (!v2HeaderChecks(data, offset)) return { kind: 'damaged', reason: 'record header checksum mismatch' };
    return readPayload(data, offset, V2_HEADER_BYTES, data.readUInt32LE(offset + 4), data.readUInt32LE(offset + 8));
  },
  resync(data, from) {
    for (let at = data.indexOf(MARKER, from + 1); at !== -1; at = data.indexOf(MARKER, at + 1)) {
      if (at + V2_HEADER_BYTES <= data.length && v2HeaderChecks(data, at)) return at;
    }
    return data.length;
  },
};

const V1_HEADER_BYTES = 8;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The format of segments written before `EBOXLOG2`: read, never written. */
export const V1_FORMAT: RecordFormat = {
  segmentHeader: Buffer.from('EBOXLOG1', 'ascii'),
  decode(data, offset) {
    if (offset === data.length) return { kind: 'end' };
    if (offset + V1_HEADER_BYTES > data.length) {
      return { kind: 'damaged', reason: `truncated record header (${data.length - offset} of ${V1_HEADER_BYTES} bytes)` };
    }
    return readPayload(data, offset, V1_HEADER_BYTES, data.readUInt32LE(offset), data.readUInt32LE(offset + 4));
  },
  resync(data, from) {
    // Cheap tests first (length, braces), so the CRC runs on few candidates.
    for (let at = from + 1; at + V1_HEADER_BYTES < data.length; at++) {
      const length = data.readUInt32LE(at);
      const end = at + V1_HEADER_BYTES + length;
      if (length < 2 || length > MAX_RECORD_BYTES || end > data.length) continue;
      if (data[at + V1_HEADER_BYTES] !== OPEN_BRACE || data[end - 1] !== CLOSE_BRACE) continue;
      if (V1_FORMAT.decode(data, at).kind === 'record') return at;
    }
    return data.length;
  },
};

export const FORMATS: readonly RecordFormat[] = [CURRENT_FORMAT, V1_FORMAT];

export function encodeRecord(entry: PutEventsRequestEntry, claimCheck?: boolean, idempotencyKey?: string): Buffer {
  const { Time: time, ...rest } = entry;
  const stored: StoredEntry = time === undefined ? rest : { ...rest, Time: time.toISOString() };
  if (claimCheck !== undefined) stored.ClaimCheck = claimCheck;
  if (idempotencyKey !== undefined) stored.IdempotencyKey = idempotencyKey;
  const json = JSON.stringify(stored);
  const length = Buffer.byteLength(json, 'utf8');
  const record = Buffer.allocUnsafe(V2_HEADER_BYTES + length);
  record.write(json, V2_HEADER_BYTES, 'utf8');
  MARKER.copy(record, 0);
  record.writeUInt32LE(length, 4);
  record.writeUInt32LE(crc32(record.subarray(V2_HEADER_BYTES)), 8);
  record.writeUInt32LE(crc32(record.subarray(0, 12)), 12);
  return record;
}

function v2HeaderChecks(data: Buffer, offset: number): boolean {
  return crc32(data.subarray(offset, offset + 12)) === data.readUInt32LE(offset + 12);
}

function readPayload(data: Buffer, offset: number, headerBytes: number, length: number, checksum: number): DecodedRecord {
  if (length === 0 || length > MAX_RECORD_BYTES) return { kind: 'damaged', reason: `record length ${length} is not plausible` };
  const end = offset + headerBytes + length;
  if (end > data.length) {
    return { kind: 'damaged', reason: `truncated record (${data.length - offset - headerBytes} of ${length} payload bytes)` };
  }
  const payload = data.subarray(offset + headerBytes, end);
  if (crc32(payload) !== checksum) return { kind: 'damaged', reason: 'checksum mismatch' };
  let entry: StoredEntry;
  try {
    entry = JSON.parse(payload.toString('utf8')) as StoredEntry;
  } catch {
    return { kind: 'damaged', reason: 'payload is not JSON despite a matching checksum' };
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || typeof entry.Detail !== 'string') {
    return { kind: 'damaged', reason: 'payload is not an entry despite a matching checksum' };
  }
  return { kind: 'record', entry, end };
}
