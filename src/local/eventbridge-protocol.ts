/**
 * EventBridge's PutEvents on the wire (AWS JSON 1.1): what a request must look like and how the
 * service answers, for the loopback endpoint. Kept apart from the runtime's own entry checks on
 * purpose: the endpoint is the oracle the runtime is tested against, so it must not share the
 * code under test.
 */

export const JSON_11 = 'application/x-amz-json-1.1';
export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';

/** An entry as it arrives; nothing is trusted. */
export interface WireEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly EventBusName?: unknown;
  /** Epoch seconds, as the SDKs send timestamps in JSON 1.1. */
  readonly Time?: unknown;
  readonly Resources?: unknown;
  readonly TraceHeader?: unknown;
}

/** An error answer: HTTP status, `__type` and `message`, as the SDKs parse them into exceptions. */
export interface WireError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export interface EntryError {
  readonly code: string;
  readonly message: string;
}

export function errorBody(type: string, message: string): string {
  return JSON.stringify({ __type: type, message });
}

/**
 * Checks the request as a whole, as the service does before it looks at any entry: 1 to 10
 * entries, and their total size (the user guide's "Calculating PutEvents event entry size") at
 * most `maxRequestBytes`.
 */
export function checkRequest(body: unknown, maxRequestBytes: number): WireEntry[] | WireError {
  const entries = (body as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) {
    return validation("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length < 1 || entries.length > 10) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
    return validation(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`);
  }
  let total = 0;
  for (const entry of entries) total += entrySize(entry as WireEntry);
  if (total > maxRequestBytes) return validation('Total size of the entries in the request is over the limit.');
  return entries as WireEntry[];
}

/** Size of one entry: Time 14 bytes when set, plus UTF-8 bytes of Source, DetailType, Detail, Resources. */
export function entrySize(entry: WireEntry): number {
  if (typeof entry !== 'object' || entry === null) return 0;
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0;
  if (typeof entry.Source === 'string') size += Buffer.byteLength(entry.Source);
  if (typeof entry.DetailType === 'string') size += Buffer.byteLength(entry.DetailType);
  if (typeof entry.Detail === 'string') size += Buffer.byteLength(entry.Detail);
  if (Array.isArray(entry.Resources)) {
    for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  }
  return size;
}

/** The service's per-entry refusals (wording of this stand-in; codes as EventBridge documents them). */
export function checkEntry(entry: WireEntry): EntryError | undefined {
  if (typeof entry !== 'object' || entry === null) return { code: 'InvalidArgument', message: 'Entry is not an object.' };
  for (const name of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[name];
    if (typeof value !== 'string' || value.length === 0) {
      return { code: 'InvalidArgument', message: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` };
    }
  }
  const detailType = entry.DetailType as string;
  if (detailType.length > 128 && [...detailType].length > 128) {
    return { code: 'InvalidArgument', message: 'Parameter DetailType is not valid. Reason: DetailType exceeds 128 characters.' };
  }
  if (!isJsonObject(entry.Detail as string)) return { code: 'MalformedDetail', message: 'Detail is malformed.' };
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function validation(message: string): WireError {
  return { status: 400, type: 'ValidationException', message };
}
