/**
 * The outbox's on-disk record: `[length u32 LE][crc32 u32 LE][payload]`, the payload being the
 * PutEvents request entry as JSON. The CRC-32 (the zlib/PNG polynomial) covers the payload, so a
 * record torn by a crash or damaged on disk is detected and never sent half.
 */
import * as zlib from 'node:zlib';
import type { PutEventsRequestEntry } from '../put-events/types';

export const RECORD_HEADER_BYTES = 8;
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

/** A stored entry: the request fields, `Time` as an ISO string. */
export interface StoredEntry extends Omit<PutEventsRequestEntry, 'Time'> {
  Time?: string;
}

export function encodeRecord(entry: PutEventsRequestEntry): Buffer {
  const { Time: time, ...rest } = entry;
  const stored: StoredEntry = time === undefined ? rest : { ...rest, Time: time.toISOString() };
  const json = JSON.stringify(stored);
  const length = Buffer.byteLength(json, 'utf8');
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  record.write(json, RECORD_HEADER_BYTES, 'utf8');
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER_BYTES)), 4);
  return record;
}

export type DecodedRecord =
  | { readonly kind: 'record'; readonly entry: StoredEntry; readonly end: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'damaged'; readonly reason: string };

/** Reads the record at `offset` of `data`: a record, the clean end of the data, or damage. */
export function decodeRecord(data: Buffer, offset: number): DecodedRecord {
  if (offset === data.length) return { kind: 'end' };
  if (offset + RECORD_HEADER_BYTES > data.length) {
    return { kind: 'damaged', reason: `truncated record header (${data.length - offset} of ${RECORD_HEADER_BYTES} bytes)` };
  }
  const length = data.readUInt32LE(offset);
  if (length === 0 || length > MAX_RECORD_BYTES) return { kind: 'damaged', reason: `record length ${length} is not plausible` };
  const end = offset + RECORD_HEADER_BYTES + length;
  if (end > data.length) {
    return { kind: 'damaged', reason: `truncated record (${data.length - offset - RECORD_HEADER_BYTES} of ${length} payload bytes)` };
  }
  const payload = data.subarray(offset + RECORD_HEADER_BYTES, end);
  if (crc32(payload) !== data.readUInt32LE(offset + 4)) return { kind: 'damaged', reason: 'checksum mismatch' };
  let entry: StoredEntry;
  try {
    entry = JSON.parse(payload.toString('utf8')) as StoredEntry;
  } catch {
    return { kind: 'damaged', reason: 'payload is not JSON despite a matching checksum' };
  }
  return { kind: 'record', entry, end };
}
