/**
 * Turns caller entries into PutEvents request entries, refusing before sending what EventBridge
 * would refuse, and sizes them as EventBridge does.
 */
import { randomUUID } from 'node:crypto';
import type { EventEntry, PutEventsRequestEntry } from './types';
import { checkArn, parseArn } from '../../contract/arn';
import { quote } from '../../contract/quote';
import { putEventsEntrySize } from '../claim-check/entry-size';
import { IDEMPOTENCY_KEY_FIELD, idempotencyKeyBytes, idempotencyKeyProblem, ownKeyField, spliceIdempotencyKey } from '../idempotency-key';
import { knownKeys, unknownKeyProblem } from '../known-keys';
import { EVENT_BUS_NAME } from '../names';
import type { EntryTrace } from '../tracing/types';

/** An entry ready to send: where it came from, what goes on the wire, and what it weighs. */
export interface PreparedEntry {
  /** Position in the caller's array. */
  readonly index: number;
  readonly request: PutEventsRequestEntry;
  /** Bytes as EventBridge counts them for the request-size limit (the idempotency key and the trace carrier included). */
  readonly size: number;
  /**
   * The entry's idempotency key (its own, or stamped): counted in `size`, but not yet in
   * `request.Detail`, which the sender splices it into ({@link withIdempotencyKey}) so that the
   * claim check and the outbox still see the detail as given.
   */
  readonly idempotencyKey?: string;
  /** Its OpenTelemetry creation context, when an SDK is registered (src/runtime/tracing). */
  readonly trace?: EntryTrace;
}

export interface PrepareOptions {
  readonly maxRequestBytes: number;
  readonly eventBusName?: string;
  /** Whether a traced entry carries its trace context in `detail` (see PutEventsOptions.traceCarrier). @default true */
  readonly traceCarrier?: boolean;
  /** Whether an entry without `idempotencyKey` gets a random UUID as its key (see PutEventsOptions.stampIdempotencyKey). @default false */
  readonly stampIdempotencyKey?: boolean;
}

/**
 * Size of an entry as EventBridge counts it against the request limit: the formula's one place is
 * claim-check/entry-size.ts (the claim check and the outbox use it too). The idempotency key and
 * the trace carrier count as the bytes they add to `Detail`.
 */
export { putEventsEntrySize };

/** Bounds EventBridge sets (API reference and the service's own checks). */
const MAX_SOURCE_CHARS = 256;
const MAX_DETAIL_TYPE_CHARS = 128;
const MAX_RESOURCE_CHARS = 2048;
const MAX_TRACE_HEADER_CHARS = 500;
const MAX_BUS_NAME_OR_ARN_CHARS = 1600;
const DETAIL_EXPECTED = 'expected a JSON object or a string holding one';

/** The fields of {@link EventEntry}: any other (a typo, the SDK's `DetailType`) makes the entry invalid. */
const ENTRY_FIELDS = knownKeys<EventEntry>({
  source: true,
  detailType: true,
  detail: true,
  eventBusName: true,
  time: true,
  resources: true,
  traceHeader: true,
  claimCheck: true,
  idempotencyKey: true,
});

/**
 * Validates one caller entry and converts it, or returns the message saying what is wrong
 * (`entry 3: detailType has 129 characters: expected 1 to 128`).
 */
export function prepareEntry(entry: EventEntry, index: number, options: PrepareOptions): PreparedEntry | string {
  const at = `entry ${index}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return `${at}: got ${describe(entry)}: expected an object with source, detailType and detail`;
  }
  // Each field is read exactly once, here, so a getter or a later mutation cannot make what is
  // checked differ from what is sent; a getter that throws makes this entry invalid, not the call.
  let source: unknown, detailType: unknown, detailValue: unknown, ownBus: unknown, timeValue: unknown, resources: unknown, traceHeader: unknown;
  let claimCheck: unknown, idempotencyKey: unknown;
  try {
    const unknownField = unknownKeyProblem(entry, ENTRY_FIELDS, 'field');
    if (unknownField !== undefined) return `${at}: ${unknownField}`;
    source = entry.source;
    detailType = entry.detailType;
    detailValue = entry.detail;
    ownBus = entry.eventBusName;
    timeValue = entry.time;
    resources = entry.resources;
    // copied: a later push onto the caller's array changes nothing sent
    if (Array.isArray(resources)) resources = Array.from(resources as unknown[]);
    traceHeader = entry.traceHeader;
    claimCheck = entry.claimCheck;
    idempotencyKey = entry.idempotencyKey;
  } catch (error) {
    return `${at}: reading it threw ${quote(error instanceof Error ? `${error.name}: ${error.message}` : error)}: expected an entry whose fields can be read`;
  }
  const problem =
    (source === lastValid.source ? undefined : checkSource(source)) ??
    (detailType === lastValid.detailType ? undefined : checkText('detailType', detailType, MAX_DETAIL_TYPE_CHARS)) ??
    checkResources(resources) ??
    checkTraceHeader(traceHeader) ??
    checkEventBusName(ownBus) ??
    checkClaimCheckFlag(claimCheck) ??
    (idempotencyKey === undefined ? undefined : idempotencyKeyProblem(idempotencyKey));
  if (problem) return `${at}: ${problem}`;
  lastValid.source = source as string;
  lastValid.detailType = detailType as string;

  const detail = serializeDetail(detailValue);
  if (detail.problem !== undefined) return `${at}: ${detail.problem}`;
  const time = toDate(timeValue);
  if (typeof time === 'string') return `${at}: ${time}`;

  const request: PutEventsRequestEntry = { Source: source as string, DetailType: detailType as string, Detail: detail.json };
  const eventBusName = (ownBus as string | undefined) ?? options.eventBusName;
  if (eventBusName !== undefined) request.EventBusName = eventBusName;
  if (time !== undefined) request.Time = time;
  if (resources !== undefined) request.Resources = resources as string[];
  if (traceHeader !== undefined) request.TraceHeader = traceHeader as string;

  let size = putEventsEntrySize(request);
  // Off and not given (the usual case): no work per entry beyond the read above.
  if (idempotencyKey === undefined && !options.stampIdempotencyKey) {
    if (size > options.maxRequestBytes) return `${at}: ${tooLarge(size, options.maxRequestBytes)}`;
    return { index, request, size };
  }
  const key = keyOf(detail.json, idempotencyKey as string | undefined);
  if (key.problem !== undefined) return `${at}: ${key.problem}`;
  if (key.key === undefined) {
    if (size > options.maxRequestBytes) return `${at}: ${tooLarge(size, options.maxRequestBytes)}`;
    return { index, request, size };
  }
  // The key is part of the entry: one that fits only without it is refused (or, with a claim
  // check, sent through S3), never sent without its key.
  const keyBytes = idempotencyKeyBytes(detail.json, key.key);
  size += keyBytes;
  if (size > options.maxRequestBytes) return `${at}: ${tooLarge(size, options.maxRequestBytes)} (${keyBytes} of them the idempotency key in detail)`;
  return { index, request, size, idempotencyKey: key.key };
}

function tooLarge(size: number, max: number): string {
  return `${size} bytes as EventBridge counts them: expected at most ${max} (maxRequestBytes), the most one request may carry`;
}

/**
 * The key an entry travels with: its own, else a new random UUID (stamping on). A detail with a
 * top-level `_idempotencyKey` of its own already carries a key: with an entry key too it is
 * refused (which one would be meant?); stamping leaves it be when it is a valid key.
 */
function keyOf(detail: string, given: string | undefined): { key?: string; problem?: string } {
  const own = ownKeyField(detail);
  if (own === undefined) return { key: given ?? randomUUID() };
  if (given !== undefined) {
    return { problem: `idempotencyKey ${quote(given)} given and detail has a top-level ${quote(IDEMPOTENCY_KEY_FIELD)} field: expected one of them (receivers read that field as the key)` };
  }
  const problem = idempotencyKeyProblem(own.value, `detail.${IDEMPOTENCY_KEY_FIELD}`);
  return problem === undefined ? {} : { problem: `${problem} (receivers read that field as the idempotency key; give the entry's data another name)` };
}

/** The entry as it goes on the wire: its idempotency key spliced into `Detail` (already counted in `size`). */
export function withIdempotencyKey(prepared: PreparedEntry): PreparedEntry {
  if (prepared.idempotencyKey === undefined) return prepared;
  return { ...prepared, request: { ...prepared.request, Detail: spliceIdempotencyKey(prepared.request.Detail, prepared.idempotencyKey) } };
}

/** The last source and detail type found valid: most entries repeat them, and a check of a string is its value's. */
const lastValid: { source?: string; detailType?: string } = {};

/** Checks a bus name or ARN given as an option, for the same message as an entry's. */
export function checkEventBusName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const expected =
    'expected a bus name of letters, digits and . - _ / (1 to 256 characters) or an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/name';
  if (typeof value !== 'string') return `eventBusName is ${describe(value)}: ${expected}`;
  if (value.length > MAX_BUS_NAME_OR_ARN_CHARS) return `eventBusName has ${value.length} characters: ${expected}`;
  const valid = value.startsWith('arn:') ? checkArn('event-bus', value) === undefined : EVENT_BUS_NAME.test(value);
  return valid ? undefined : `eventBusName ${quote(value)} is not valid: ${expected}`;
}

function checkSource(value: unknown): string | undefined {
  const problem = checkText('source', value, MAX_SOURCE_CHARS);
  if (problem) return problem;
  // EventBridge refuses custom events that pose as AWS services.
  if ((value as string).startsWith('aws.')) {
    return `source ${quote(value)} starts with 'aws.', which only AWS services may use: expected your own prefix such as com.example`;
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
      return `resources[${i}] ${quote(resource)} is not an ARN: expected one such as arn:aws:s3:::my-bucket`;
    }
  }
  return undefined;
}

/**
 * An entry's `claimCheck` reaches here only without a claim-check store: the claim check takes
 * it off every entry it passes on (src/runtime/claim-check/offload.ts).
 */
function checkClaimCheckFlag(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return 'claimCheck is true: expected a client with a claim-check store (the claimCheck option, or fromParameters with a contract that has ClaimCheckBucketName)';
  return `claimCheck is ${describe(value)}: expected true, false or left out`;
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
      return { problem: `detail ${quote(detail)} is not valid JSON (${quote(errorText(e))}): ${DETAIL_EXPECTED}` };
    }
    if (!isJsonObject(parsed)) return { problem: `detail ${quote(detail)} holds ${describe(parsed)}: expected a JSON object` };
    return { json: detail };
  }
  // A Map, a Set or a class instance would serialize to `{}` or to whatever its fields happen to
  // be: refuse it rather than send something the caller did not write.
  const hasToJson = typeof (detail as { toJSON?: unknown } | null)?.toJSON === 'function';
  if (!isPlainObject(detail) && !hasToJson) return { problem: `detail is ${describe(detail)}: ${DETAIL_EXPECTED}` };
  if (!hasToJson) {
    const reshaped = findReshaped(detail as object, []);
    if (reshaped !== undefined) return { problem: `detail${reshaped}: ${NESTED_EXPECTED}` };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(detail);
  } catch (e) {
    return { problem: `detail cannot be serialized to JSON (${quote(errorText(e))}): ${DETAIL_EXPECTED}` };
  }
  if (hasToJson) {
    // A toJSON() may turn an object into anything (a Date becomes a string): only a plain object counts.
    let produced: unknown;
    try {
      produced = (detail as { toJSON: () => unknown }).toJSON();
    } catch (e) {
      return { problem: `detail's toJSON() threw (${quote(errorText(e))}): ${DETAIL_EXPECTED}` };
    }
    if (!isPlainObject(produced)) return { problem: `detail's toJSON() gave ${describe(produced)}: expected a plain object` };
  }
  if (json === undefined || json.charCodeAt(0) !== 0x7b /* { */) {
    return { problem: `detail serializes to ${json === undefined ? 'nothing' : quote(json)}: expected a JSON object` };
  }
  return { json };
}

/** Plain time parts of an RFC 3339 string, checked for range (no 2024-02-30, no 25:00). */
const RFC3339_PARTS = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function toDate(time: unknown): Date | undefined | string {
  if (time === undefined) return undefined;
  const expected = 'expected a valid Date or an RFC 3339 string such as 2024-05-01T12:00:00Z';
  if (time instanceof Date) {
    const ms = time.getTime();
    // Copied, so a later setTime() on the caller's Date changes nothing sent.
    return Number.isNaN(ms) ? `time is an invalid Date: ${expected}` : new Date(ms);
  }
  if (typeof time !== 'string') return `time is ${describe(time)}: ${expected}`;
  const parts = RFC3339_PARTS.exec(time);
  const date = new Date(time);
  if (!parts || Number.isNaN(date.getTime())) return `time ${quote(time)} is not a valid date: ${expected}`;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = parts.slice(1).map((p) => (p === undefined ? 0 : Number(p)));
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return `time ${quote(time)} is not a date that exists (it would be read as ${date.toISOString()}): ${expected}`;
  }
  return date;
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object made by `{}`, `Object.create(null)` or JSON.parse: nothing a serializer would reshape. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
  if (type !== 'object') return `a ${type}`;
  if (isPlainObject(value)) return 'an object';
  // Name the type, so `detail is a Map` says what to change.
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${quote(name, 40).slice(1, -1)}` : 'an object of a class';
}

/** What a thrown value says, for a message (a getter of `message` may itself throw). */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

const NESTED_EXPECTED = 'expected JSON values only (JSON would send a Map or Set as {} and NaN or Infinity as null)';

/**
 * The path and kind of the first value inside `value` that JSON.stringify would reshape without
 * a word: a Map, Set, WeakMap or WeakSet (sent as `{}`) or a non-finite number (sent as `null`);
 * e.g. `.items is a Map`. Objects with a toJSON() are not entered (what they give is theirs to
 * decide); a cycle stops the walk (JSON.stringify then reports it). A walk rather than a
 * JSON.stringify replacer: on a 265-byte detail it added ~490 ns to the ~2,200 ns of stringify,
 * the replacer ~1,700 ns (Node 20, medians of alternated rounds).
 */
function findReshaped(value: object, ancestors: object[]): string | undefined {
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = reshapedAt(value[i], ancestors);
        if (found !== undefined) return `[${i}]${found}`;
      }
      return undefined;
    }
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const found = reshapedAt((value as Record<string, unknown>)[key], ancestors);
      if (found !== undefined) return `${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${quote(key, 40)}]`}${found}`;
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}

function reshapedAt(value: unknown, ancestors: object[]): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : ` is ${value}`;
  if (typeof value !== 'object' || value === null) return undefined;
  if (value instanceof Map) return ' is a Map';
  if (value instanceof Set) return ' is a Set';
  if (value instanceof WeakMap) return ' is a WeakMap';
  if (value instanceof WeakSet) return ' is a WeakSet';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || ancestors.includes(value)) return undefined;
  return findReshaped(value, ancestors);
}
