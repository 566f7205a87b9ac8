/**
 * PutEvents entry size as EventBridge counts it, and the request limits it is counted against:
 * the one place the formula and the limits live (the sender, the outbox and the claim check use
 * them; see docs/claim-check.md).
 *
 * The formula is AWS's, "Calculating Amazon EventBridge PutEvents event entry size" in the
 * EventBridge user guide: `Time` counts 14 bytes when set; `Source` and `DetailType` the bytes of
 * their UTF-8 forms; `Detail`, when set, the bytes of its UTF-8 form; each `Resources` item the
 * bytes of its UTF-8 form. `EventBusName`, `TraceHeader` and `EndpointId` do not count. The sizes
 * of the entries of one request add up against the request limit.
 */

/**
 * The request limit since 2026-01-29, when AWS raised the payload limit of EventBridge event buses
 * (with SQS and asynchronous Lambda invocations) from 256 KB to 1 MB ("More room to build:
 * serverless services now support payloads up to 1 MB", AWS Compute Blog). AWS's KB and MB here
 * are binary: the old limit was 262,144 bytes, the new one 1,048,576.
 */
export const PUT_EVENTS_REQUEST_LIMIT_BYTES = 1024 * 1024;

/**
 * The request limit before 2026-01-29, for accounts and targets that still assume it (a
 * consumer whose own queue or function caps messages at 256 KiB, or another region's copy of
 * the event through a path that has not moved).
 */
export const LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES = 256 * 1024;

/** What the claim check defaults to: the current service limit. */
export const DEFAULT_REQUEST_LIMIT_BYTES = PUT_EVENTS_REQUEST_LIMIT_BYTES;

/** The fields of a PutEvents request entry that count (the wire names of the API). */
export interface SizedEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail?: string;
  readonly Time?: Date | number | string;
  readonly Resources?: readonly string[];
}

/** Bytes of `entry` as EventBridge counts them against the request limit (AWS's formula above). */
export function putEventsEntrySize(entry: SizedEntry): number {
  return entrySizeWithoutDetail(entry) + (entry.Detail === undefined ? 0 : Buffer.byteLength(entry.Detail, 'utf8'));
}

/** The bytes of everything but `Detail`: what an entry weighs whatever its detail becomes. */
export function entrySizeWithoutDetail(entry: Omit<SizedEntry, 'Detail'>): number {
  let size = entry.Time !== undefined ? 14 : 0;
  size += Buffer.byteLength(entry.Source, 'utf8');
  size += Buffer.byteLength(entry.DetailType, 'utf8');
  if (entry.Resources) {
    for (const resource of entry.Resources) size += Buffer.byteLength(resource, 'utf8');
  }
  return size;
}

/**
 * Whether an entry's detail goes through the claim check: when the entry alone would exceed
 * `limitBytes` (a request of that one entry would be refused). `limitBytes` is the request limit
 * in use, {@link DEFAULT_REQUEST_LIMIT_BYTES} unless the caller chose the 256 KiB one.
 */
export function exceedsRequestLimit(entry: SizedEntry, limitBytes: number = DEFAULT_REQUEST_LIMIT_BYTES): boolean {
  return putEventsEntrySize(entry) > limitBytes;
}
