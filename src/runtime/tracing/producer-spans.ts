/**
 * The sending side's spans: one PRODUCER span per entry (`create <bus>`, from the call until the
 * entry's EventId or final error), which gives the entry its creation context, carried in the
 * event; and one CLIENT span per PutEvents request (`send <bus>`), linked to the creation context
 * of every entry it carries, with retries, throttles and failures as span events and status.
 * Everything here starts with {@link tracingApi}: without an SDK it returns at once; with one
 * whose parts throw, the step is skipped ({@link guarded}) and the send goes on.
 */
import type { Link, Span } from '@opentelemetry/api';
import { carrierBytes, carrierInJson, hasCarrierKey, spliceCarrier } from './carrier';
import { guarded, runWithin } from './guard';
import { ATTR, EVENT, MESSAGING_SYSTEM } from './names';
import { OtelApi, tracer, tracingApi } from './otel';
import type { EntryTrace } from './types';
import type { PrepareOptions, PreparedEntry } from '../put-events/entries';
import { classifyRequestError } from '../put-events/retry';
import type { PutEventsResponse } from '../put-events/types';

export type { EntryTrace } from './types';

/** The X-Ray propagator's header name (AWSXRayPropagator, @opentelemetry/propagator-aws-xray). */
const XRAY_HEADER = 'x-amzn-trace-id';
/** PutEvents' bound on `TraceHeader`. */
const MAX_TRACE_HEADER_CHARS = 500;

/**
 * Starts the entry's `create` span in the active context and works out its carrier: `undefined`
 * when no SDK is registered. An entry that fits only without the carrier goes without it (a span
 * event says so): tracing never makes a valid entry fail.
 */
export function traceEntry(prepared: PreparedEntry, options: PrepareOptions): EntryTrace | undefined {
  const otel = tracingApi();
  if (!otel) return undefined;
  const started = guarded(() => startCreate(otel, prepared), undefined);
  if (!started) return undefined;
  return guarded(() => withCarrier(otel, prepared, options, started), { ...started, size: prepared.size });
}

function startCreate(otel: OtelApi, prepared: PreparedEntry): Pick<EntryTrace, 'span' | 'link'> {
  const bus = prepared.request.EventBusName ?? 'default';
  const span = tracer(otel).startSpan(`create ${bus}`, {
    kind: otel.SpanKind.PRODUCER,
    attributes: {
      [ATTR.system]: MESSAGING_SYSTEM,
      [ATTR.operationName]: 'create',
      [ATTR.operationType]: 'create',
      [ATTR.destination]: bus,
      [ATTR.detailType]: prepared.request.DetailType,
    },
  });
  return { span, link: span.spanContext() };
}

function withCarrier(otel: OtelApi, prepared: PreparedEntry, options: PrepareOptions, started: Pick<EntryTrace, 'span' | 'link'>): EntryTrace {
  const { span, link } = started;
  if (options.traceCarrier === false) return { span, link, size: prepared.size };
  const fields: Record<string, string> = {};
  otel.propagation.inject(otel.trace.setSpan(otel.context.active(), span as Span), fields);
  const header = fields[XRAY_HEADER];
  // PutEvents takes 1 to 500 characters (an empty one would fail the request): else the carrier alone.
  const fits = typeof header === 'string' && header.length > 0 && header.length <= MAX_TRACE_HEADER_CHARS;
  const traceHeader = prepared.request.TraceHeader === undefined && fits ? header : undefined;
  // The string fields alone, copied, as the receiving side reads them: a value of another type (a
  // BigInt JSON cannot write) or a `toJSON` the propagator put on the carrier (which made it text
  // that is not an object, left in the handler's detail) must not decide what goes in `detail`.
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') strings[key] = value;
  if (Object.keys(strings).length === 0) return { span, link, traceHeader, size: prepared.size };
  const carrier = JSON.stringify(strings);
  const size = prepared.size + carrierBytes(carrier);
  if (size > options.maxRequestBytes) {
    span?.addEvent(EVENT.carrierDropped, { reason: 'size', bytes: size, maxRequestBytes: options.maxRequestBytes });
    return { span, link, traceHeader, size: prepared.size };
  }
  if (hasCarrierKey(prepared.request.Detail ?? '{}')) {
    span?.addEvent(EVENT.carrierDropped, { reason: 'key-in-use' });
    return { span, link, traceHeader, size: prepared.size };
  }
  return { span, link, carrier, traceHeader, size };
}

/** The prepared entry as it goes on the wire: the carrier in `detail`, `TraceHeader`, the size with them. */
export function applyTrace(prepared: PreparedEntry, trace: EntryTrace): PreparedEntry {
  if (trace.carrier === undefined && trace.traceHeader === undefined) return { ...prepared, trace };
  const request = { ...prepared.request };
  let size = prepared.size;
  if (trace.carrier !== undefined && request.Detail !== undefined) {
    const detail = spliceCarrier(request.Detail, trace.carrier);
    if (detail !== undefined) {
      request.Detail = detail;
      size += carrierBytes(trace.carrier);
    }
  }
  if (trace.traceHeader !== undefined && request.TraceHeader === undefined) request.TraceHeader = trace.traceHeader;
  return { ...prepared, request, size, trace };
}

/** Ends an entry's `create` span with its outcome: the EventId, or the error it ended with. */
export function endEntry(trace: EntryTrace, outcome: { eventId?: string; errorCode?: string; errorMessage?: string }): void {
  const span = trace.span;
  if (!span) return;
  guarded(() => {
    const otel = tracingApi();
    if (outcome.eventId !== undefined) {
      span.setAttribute(ATTR.messageId, outcome.eventId);
    } else if (otel) {
      span.setAttribute(ATTR.errorType, outcome.errorCode ?? '_OTHER');
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: outcome.errorMessage ?? outcome.errorCode });
    }
    span.end();
  }, undefined);
}

/** The creation context stored in an outbox record's detail (its carrier), read back as a link. */
export function recordTrace(detail: unknown): EntryTrace | undefined {
  const otel = tracingApi();
  if (!otel || typeof detail !== 'string') return undefined;
  const carrier = carrierInJson(detail);
  if (!carrier) return undefined;
  return guarded(() => {
    const link = otel.trace.getSpanContext(otel.propagation.extract(otel.ROOT_CONTEXT, carrier));
    return link && otel.trace.isSpanContextValid(link) ? { link, size: 0 } : undefined;
  }, undefined);
}

/**
 * Runs one PutEvents request inside a `send <bus>` CLIENT span when any entry it carries is
 * traced; the request's error and each entry's error code go on the span, and on the entries' spans.
 */
export function traceRequest(
  pending: readonly PreparedEntry[], attempt: number, request: () => Promise<PutEventsResponse>,
): Promise<PutEventsResponse> {
  let links: Link[] | undefined;
  for (const p of pending) if (p.trace) (links ??= []).push({ context: p.trace.link });
  const otel = links ? tracingApi() : undefined;
  if (!otel || !links) return request();
  const span = guarded(() => startSend(otel, links, pending, attempt), undefined);
  return span ? tracedRequest(otel, span, pending, attempt, request) : request();
}

function startSend(otel: OtelApi, links: Link[], pending: readonly PreparedEntry[], attempt: number): Span {
  const bus = pending[0].request.EventBusName ?? 'default';
  return tracer(otel).startSpan(`send ${bus}`, {
    kind: otel.SpanKind.CLIENT,
    links,
    attributes: {
      [ATTR.system]: MESSAGING_SYSTEM,
      [ATTR.operationName]: 'send',
      [ATTR.operationType]: 'send',
      [ATTR.destination]: bus,
      [ATTR.attempt]: attempt,
      ...(pending.length > 1 && { [ATTR.batchCount]: pending.length }),
    },
  });
}

async function tracedRequest(
  otel: OtelApi, span: Span, pending: readonly PreparedEntry[], attempt: number, request: () => Promise<PutEventsResponse>,
): Promise<PutEventsResponse> {
  if (attempt > 1) guarded(() => { for (const p of pending) p.trace?.span?.addEvent(EVENT.retry, { [ATTR.attempt]: attempt }); }, undefined);
  const active = guarded(() => otel.trace.setSpan(otel.context.active(), span), undefined);
  let response: PutEventsResponse;
  try {
    response = await (active ? runWithin((work) => otel.context.with(active, work), request) : request());
  } catch (error) {
    guarded(() => failed(otel, span, pending, attempt, error), undefined);
    throw error;
  }
  guarded(() => answered(otel, span, pending, attempt, response), undefined);
  return response;
}

function failed(otel: OtelApi, span: Span, pending: readonly PreparedEntry[], attempt: number, error: unknown): void {
  const { code, message } = classifyRequestError(error);
  span.setAttribute(ATTR.errorType, code);
  span.addEvent(EVENT.requestError, { [ATTR.errorType]: code, message });
  span.setStatus({ code: otel.SpanStatusCode.ERROR, message });
  for (const p of pending) p.trace?.span?.addEvent(EVENT.requestError, { [ATTR.errorType]: code, [ATTR.attempt]: attempt, message });
  span.end();
}

function answered(otel: OtelApi, span: Span, pending: readonly PreparedEntry[], attempt: number, response: PutEventsResponse): void {
  const answers = response?.Entries;
  let errors = 0;
  if (Array.isArray(answers)) {
    for (let i = 0; i < pending.length && i < answers.length; i++) {
      const code = answers[i]?.ErrorCode;
      if (!code) continue;
      errors++;
      const attributes = { [ATTR.errorType]: String(code), [ATTR.attempt]: attempt, message: String(answers[i]?.ErrorMessage ?? '') };
      span.addEvent(EVENT.entryError, attributes);
      pending[i].trace?.span?.addEvent(EVENT.entryError, attributes);
    }
  }
  if (errors > 0) {
    span.setAttribute(ATTR.errorType, errors === pending.length ? 'all_entries_failed' : 'some_entries_failed');
    span.setStatus({ code: otel.SpanStatusCode.ERROR, message: `${errors} of ${pending.length} entries failed` });
  }
  span.end();
}
