/**
 * Turns caller entries into PutEvents request entries, refusing before sending what EventBridge
 * would refuse, and sizes them as EventBridge does.
 */
import type { EventEntry, PutEventsRequestEntry } from './types';
import { checkArn, parseArn } from '../../contract/arn';
import { EVENT_BUS_NAME } from '../names';

/** An entry ready to send: where it came from, what goes on the wire, and what it weighs. */
export interface PreparedEntry {
  /** Position in the caller's array. */
  readonly index: number;
  readonly request: PutEventsRequestEntry;
  /** Bytes as EventBridge counts them for the request-size limit. */
  readonly size: number;
}

export interface PrepareOptions {
  readonly maxRequestBytes: number;
  readonly eventBusName?: string;
}

/**
 * Size of an entry as EventBridge counts it against the request limit ("Calculating PutEvents
 * event entry size" in the EventBridge user guide): 14 bytes for `Time` when set, plus the UTF-8
 * bytes of `Source`, `DetailType`, `Detail` and each `Resources` item. `EventBusName` and
 * `TraceHeader` do not count.
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  size += Buffer.byteLength(entry.Source, 'utf8');
  size += Buffer.byteLength(entry.DetailType, 'utf8');
  if (entry.Detail !== undefined) size += Buffer.byteLength(entry.Detail, 'utf8');
  if (entry.Resources) {
    for (const resource of entry.Resources) size += Buffer.byteLength(resource, 'utf8');
  }
  return size;
}

/** Bounds EventBridge sets (API reference and the service's own checks). */
const MAX_SOURCE_CHARS = 256;
const MAX_DETAIL_TYPE_CHARS = 128;
const MAX_RESOURCE_CHARS = 2048;
const MAX_TRACE_HEADER_CHARS = 500;
const MAX_BUS_NAME_OR_ARN_CHARS = 1600;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DETAIL_EXPECTED = 'expected a JSON object or a string holding one';

/**
 * Validates one caller entry and converts it, or returns the message saying what is wrong
 * (`entry 3: detailType has 129 characters: expected 1 to 128`).
 */
export function prepareEntry(entry: EventEntry, index: number, options: PrepareOptions): PreparedEntry | string {
  const at = `entry ${index}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return `${at}: got ${describe(entry)}: expected an object with source, detailType and detail`;
  }
  const problem =
    checkSource(entry.source) ??
    checkText('detailType', entry.detailType, MAX_DETAIL_TYPE_CHARS) ??
    checkResources(entry.resources) ??
    checkTraceHeader(entry.traceHeader) ??
    checkEventBusName(entry.eventBusName);
  if (problem) return `${at}: ${problem}`;

  const detail = serializeDetail(entry.detail);
  if (detail.problem !== undefined) return `${at}: ${detail.problem}`;
  const time = toDate(entry.time);
  if (typeof time === 'string') return `${at}: ${time}`;

  const request: PutEventsRequestEntry = { Source: entry.source, DetailType: entry.detailType, Detail: detail.json };
  const eventBusName = entry.eventBusName ?? options.eventBusName;
  if (eventBusName !== undefined) request.EventBusName = eventBusName;
  if (time !== undefined) request.Time = time;
  if (entry.resources !== undefined) request.Resources = [...entry.resources];
  if (entry.traceHeader !== undefined) request.TraceHeader = entry.traceHeader;

  const size = putEventsEntrySize(request);
  if (size > options.maxRequestBytes) {
    return `${at}: ${size} bytes as EventBridge counts them: expected at most ${options.maxRequestBytes} (maxRequestBytes), the most one request may carry`;
  }
  return { index, request, size };
}

/** Checks a bus name or ARN given as an option, for the same message as an entry's. */
export function checkEventBusName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const expected =
    'expected a bus name of letters, digits and . - _ / (1 to 256 characters) or an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/name';
  if (typeof value !== 'string') return `eventBusName is ${describe(value)}: ${expected}`;
  if (value.length > MAX_BUS_NAME_OR_ARN_CHARS) return `eventBusName has ${value.length} characters: ${expected}`;
  const valid = value.startsWith('arn:') ? checkArn('event-bus', value) === undefined : EVENT_BUS_NAME.test(value);
  return valid ? undefined : `eventBusName '${clip(value)}' is not valid: ${expected}`;
}

function checkSource(value: unknown): string | undefined {
  const problem = checkText('source', value, MAX_SOURCE_CHARS);
  if (problem) return problem;
  // EventBridge refuses custom events that pose as AWS services.
  if ((value as string).startsWith('aws.')) {
    return `source '${clip(value as string)}' starts with 'aws.', which only AWS services may use: expected your own prefix such as com.example`;
  }
  return undefined;
}

function checkText(name: string, value: unknown, max: number): string | undefined {
  if (value === undefined) return `${name} is missing: expected a string of 1 to ${max} characters`;
  if (typeof value !== 'string') return `${name} is ${describe(value)}: expected a string of 1 to ${max} characters`;
  const chars = characters(value, max);
  if (chars === 0 || chars > max) return `${name} has ${chars} characters: expected 1 to ${max}`;
  return undefined;
}

function checkResources(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `resources is ${describe(value)}: expected an array of ARNs`;
  for (let i = 0; i < value.length; i++) {
    const resource: unknown = value[i];
    if (typeof resource !== 'string') return `resources[${i}] is ${describe(resource)}: expected an ARN`;
    if (resource.length > MAX_RESOURCE_CHARS) {
      return `resources[${i}] has ${resource.length} characters: expected an ARN of at most ${MAX_RESOURCE_CHARS}`;
    }
    if (!parseArn(resource)) {
      return `resources[${i}] '${clip(resource)}' is not an ARN: expected one such as arn:aws:s3:::my-bucket`;
    }
  }
  return undefined;
}

function checkTraceHeader(value: unknown): string | undefined {
  return value === undefined ? undefined : checkText('traceHeader', value, MAX_TRACE_HEADER_CHARS);
}

type SerializedDetail = { json: string; problem?: undefined } | { json?: undefined; problem: string };

function serializeDetail(detail: unknown): SerializedDetail {
  if (detail === undefined) return { problem: `detail is missing: ${DETAIL_EXPECTED}` };
  if (typeof detail === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(detail);
    } catch (e) {
      return { problem: `detail '${clip(detail)}' is not valid JSON (${(e as Error).message}): ${DETAIL_EXPECTED}` };
    }
    if (!isPlainObject(parsed)) return { problem: `detail '${clip(detail)}' holds ${describe(parsed)}: expected a JSON object` };
    return { json: detail };
  }
  if (!isPlainObject(detail)) return { problem: `detail is ${describe(detail)}: ${DETAIL_EXPECTED}` };
  let json: string | undefined;
  try {
    json = JSON.stringify(detail);
  } catch (e) {
    return { problem: `detail cannot be serialized to JSON (${(e as Error).message}): ${DETAIL_EXPECTED}` };
  }
  // A toJSON() may turn an object into something else (a Date becomes a string).
  if (json === undefined || json.charCodeAt(0) !== 0x7b /* { */) {
    return { problem: `detail serializes to ${json === undefined ? 'nothing' : `'${clip(json)}'`}: expected a JSON object` };
  }
  return { json };
}

function toDate(time: unknown): Date | undefined | string {
  if (time === undefined) return undefined;
  const expected = 'expected a valid Date or an RFC 3339 string such as 2024-05-01T12:00:00Z';
  if (time instanceof Date) return Number.isNaN(time.getTime()) ? `time is an invalid Date: ${expected}` : time;
  if (typeof time !== 'string') return `time is ${describe(time)}: ${expected}`;
  const date = new Date(time);
  if (!RFC3339.test(time) || Number.isNaN(date.getTime())) return `time '${clip(time)}' is not a valid date: ${expected}`;
  return date;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as a person counts them (code points); only counted exactly when near the limit. */
function characters(value: string, max: number): number {
  return value.length <= max ? value.length : [...value].length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'undefined') return 'undefined';
  return type === 'object' ? 'an object' : `a ${type}`;
}

function clip(value: string): string {
  return value.length <= 40 ? value : `${value.slice(0, 37)}...`;
}
