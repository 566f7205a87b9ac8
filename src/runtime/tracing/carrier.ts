/**
 * The trace context inside an event: the propagator's fields (W3C `traceparent` and `tracestate`,
 * or B3's, or X-Ray's) as one object under {@link TRACE_CARRIER_KEY} in `detail`, the one part of
 * an event that reaches every target (API destinations and SQS alike) unchanged. Spliced into the
 * detail's JSON text when sent, taken out of `detail` when received, whether tracing is on or not,
 * so handlers see `detail` exactly as it was sent. Nothing here loads OpenTelemetry.
 */

/**
 * The key of `detail` that carries the trace context, e.g.
 * `"_trace": { "traceparent": "00-4bf9...-00f0...-01" }`. A rule's event pattern that does not
 * name it is unaffected (patterns match only the fields they name); an input transformer that
 * rebuilds `detail` drops it, and the handler's span then starts a new trace.
 */
export const TRACE_CARRIER_KEY = '_trace';

const QUOTED_KEY = `"${TRACE_CARRIER_KEY}"`;

/** Fields a propagator wrote, as the carrier object. */
export type TraceCarrier = Record<string, string>;

/**
 * `detail` (a JSON object's text) with the carrier as its first member, or `undefined` when the
 * detail already names the key (the caller's own field is never shadowed or duplicated).
 */
export function spliceCarrier(detail: string, carrierJson: string): string | undefined {
  if (hasCarrierKey(detail)) return undefined;
  // The first `{` opens the object: only whitespace may come before it.
  const open = detail.indexOf('{');
  const rest = detail.slice(open + 1);
  const empty = rest.trimStart().startsWith('}');
  return `${detail.slice(0, open + 1)}${QUOTED_KEY}:${carrierJson}${empty ? '' : ','}${rest}`;
}

/**
 * Whether a detail's JSON text names the key anywhere (a nested field too: then it is left alone,
 * to be safe), spelt as is or with escapes (`"\u005ftrace"` is the same key: spliced beside it,
 * the detail had the key twice). JSON.stringify writes `\u` escapes only for control characters
 * and lone surrogates, so the parse runs for few details.
 */
export function hasCarrierKey(detail: string): boolean {
  if (detail.includes(QUOTED_KEY)) return true;
  if (!detail.includes('\\u')) return false;
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed !== 'object' || parsed === null || Object.prototype.hasOwnProperty.call(parsed, TRACE_CARRIER_KEY);
  } catch {
    return true;
  }
}

/**
 * Bytes the carrier adds to a detail (its JSON, plus the key, colon and comma), in UTF-8 as
 * EventBridge counts them: W3C fields are ASCII, but another propagator's may not be, and
 * counting characters let an entry that fits only without the carrier go out with it and fail.
 */
export function carrierBytes(carrierJson: string): number {
  return QUOTED_KEY.length + 2 + Buffer.byteLength(carrierJson, 'utf8');
}

/** Carriers taken out of received events, for the process span; weak, so an event takes its carrier with it. */
const carriers = new WeakMap<object, TraceCarrier>();

/**
 * A received `detail` without the carrier (a copy; the delivered object is left as it was), and
 * the carrier remembered for `owner` (the received event, once made) through {@link carrierOf}.
 * An object under the key that is not a carrier (a string, an array) is the sender's own field, left in place.
 */
export function takeCarrier(detail: Record<string, unknown>): { detail: Record<string, unknown>; carrier?: TraceCarrier } {
  if (!Object.prototype.hasOwnProperty.call(detail, TRACE_CARRIER_KEY)) return { detail };
  const value = detail[TRACE_CARRIER_KEY];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { detail };
  const carrier: TraceCarrier = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (typeof field === 'string') carrier[key] = field;
  }
  const { [TRACE_CARRIER_KEY]: _carrier, ...rest } = detail;
  return { detail: rest, carrier };
}

export function rememberCarrier(owner: object, carrier: TraceCarrier): void {
  carriers.set(owner, carrier);
}

/** The carrier that arrived with a received event, if any. */
export function carrierOf(owner: object): TraceCarrier | undefined {
  return carriers.get(owner);
}

/** The carrier inside a detail's JSON text (an outbox record's), without parsing it when the key is absent. */
export function carrierInJson(detail: string): TraceCarrier | undefined {
  if (!detail.includes(QUOTED_KEY)) return undefined;
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return takeCarrier(parsed).carrier;
  } catch {
    return undefined;
  }
}
