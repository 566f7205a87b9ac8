/**
 * The receiving side's spans: one CONSUMER span per delivered event (`process <detail-type>`),
 * a child of the creation context the event carried (or of the active context when it carried
 * none), with the ambient span (an HTTP server span) and, for the queue consumer, the receive
 * span of the ReceiveMessage call that brought it linked. Handlers run inside it; a repeat
 * dropped by idempotency is a span event on it, not a trace of its own. Also times the delivery
 * for `messaging.process.duration` when only a meter provider is registered. A tracing set-up
 * that throws costs its span only ({@link guarded}): the handlers run, once, as without it.
 */
import type { Context, Link } from '@opentelemetry/api';
import { carrierOf } from './carrier';
import { guarded, runWithin } from './guard';
import { recordProcess } from './metrics';
import { ATTR, EVENT, MESSAGING_SYSTEM } from './names';
import { metricsApi, OtelApi, tracer, tracingApi } from './otel';
import { linkCreation } from './receive-spans';
import type { ProcessSource, ProcessTrace, ReceiveTrace } from './types';
import { definedOnly } from '../../contract/defined-only';
import type { ReceivedEvent } from '../routing/types';

/** What a delivery came to, as the routing and idempotency tell it. */
export interface ProcessOutcome {
  readonly kind: string;
  readonly error?: unknown;
}

/**
 * Starts the process span (and the clock); `undefined`, at the cost of two reads, without an SDK.
 * `receive`: the receive span of the ReceiveMessage call that brought the event (queue consumer),
 * linked from the process span and linked to the event's creation context.
 */
export function startProcess(event: ReceivedEvent, source: ProcessSource, receive?: ReceiveTrace): ProcessTrace | undefined {
  const otel = tracingApi();
  if (!otel) return metricsApi() ? { startedAt: performance.now(), source } : undefined;
  return guarded(() => startSpan(otel, event, source, receive), { startedAt: performance.now(), source });
}

function startSpan(otel: OtelApi, event: ReceivedEvent, source: ProcessSource, receive: ReceiveTrace | undefined): ProcessTrace {
  const active = otel.context.active();
  const carrier = carrierOf(event);
  let parent = active;
  const links: Link[] = [];
  if (carrier) {
    const extracted = otel.propagation.extract(active, carrier);
    const created = otel.trace.getSpanContext(extracted);
    if (created && otel.trace.isSpanContextValid(created)) {
      parent = extracted;
      linkCreation(receive, event, created);
      const ambient = otel.trace.getSpanContext(active);
      if (ambient && otel.trace.isSpanContextValid(ambient)) links.push({ context: ambient });
    }
  }
  if (receive) links.push({ context: receive.link });
  const queue = source.queueUrl === undefined ? undefined : source.queueUrl.slice(source.queueUrl.lastIndexOf('/') + 1);
  const span = tracer(otel).startSpan(`process ${event.detailType}`, {
    kind: otel.SpanKind.CONSUMER,
    links: links.length > 0 ? links : undefined,
    // definedOnly: the SDK's span drops an undefined attribute, but a sampler sees the object as given.
    attributes: definedOnly({
      [ATTR.system]: MESSAGING_SYSTEM,
      [ATTR.operationName]: 'process',
      [ATTR.operationType]: 'process',
      [ATTR.messageId]: event.id,
      [ATTR.detailType]: event.detailType,
      [ATTR.destination]: queue,
      [ATTR.queueUrl]: source.queueUrl,
    }),
  }, parent);
  return { span, context: otel.trace.setSpan(parent, span), startedAt: performance.now(), source };
}

/** Runs `handlers` inside the process span, so that the spans they start are its children. */
export function within<T>(trace: ProcessTrace | undefined, handlers: () => T): T {
  if (!trace?.context) return handlers();
  const otel = tracingApi();
  return otel ? runWithin((work) => otel.context.with(trace.context as Context, work), handlers) : handlers();
}

/** Ends the process span with the delivery's outcome, and returns the outcome (for a `.then`). */
export function endProcess<T extends ProcessOutcome>(trace: ProcessTrace | undefined, outcome: T): T {
  if (!trace) return outcome;
  const span = trace.span;
  const failed = outcome.kind === 'failed';
  if (span) guarded(() => endSpan(span, outcome), undefined);
  guarded(() => recordProcess(trace, failed ? (outcome.error instanceof Error ? outcome.error.name : '_OTHER') : undefined), undefined);
  return outcome;
}

function endSpan(span: NonNullable<ProcessTrace['span']>, outcome: ProcessOutcome): void {
  if (outcome.kind === 'repeat') {
    span.addEvent(EVENT.repeat);
  } else if (outcome.kind === 'in-flight') {
    span.addEvent(EVENT.inFlight);
  } else if (outcome.kind === 'failed') {
    const otel = tracingApi();
    const error = outcome.error;
    span.setAttribute(ATTR.errorType, error instanceof Error ? error.name : '_OTHER');
    if (error instanceof Error) span.recordException(error);
    if (otel) span.setStatus({ code: otel.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
