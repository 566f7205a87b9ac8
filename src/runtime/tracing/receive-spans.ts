/**
 * The queue consumer's receive spans: one CLIENT span (`receive <queue>`, the kind the messaging
 * conventions give a pull-based receive) per SQS ReceiveMessage that returned messages, from the
 * call to its answer. It links to the creation context of each message it brought; each process
 * span links back to it (and stays the child of its producer's context). An empty long poll makes
 * no span: it is made after the answer, with the call's start as its start time.
 */
import { carrierOf } from './carrier';
import { guarded } from './guard';
import { ATTR, SQS_MESSAGING_SYSTEM } from './names';
import { OtelApi, tracer, tracingApi } from './otel';
import type { LinkedContext, ReceiveTrace } from './types';
import type { ReceivedEvent } from '../routing/types';

/**
 * The time a ReceiveMessage call starts, when tracing is on; one check otherwise. A
 * `performance.now()` reading: the SDK takes it as a time input and anchors it on the wall clock
 * as it does its own span times.
 */
export function receiveStarted(): number | undefined {
  return tracingApi() ? performance.now() : undefined;
}

/**
 * Starts the receive span of a ReceiveMessage call that began at `startedAt` and returned `count`
 * messages; `undefined` when tracing was off at the call or it returned none.
 */
export function startReceive(startedAt: number | undefined, queueUrl: string, count: number): ReceiveTrace | undefined {
  if (startedAt === undefined || count === 0) return undefined;
  const otel = tracingApi();
  if (!otel) return undefined;
  return guarded(() => startSpan(otel, startedAt, queueUrl, count), undefined);
}

function startSpan(otel: OtelApi, startedAt: number, queueUrl: string, count: number): ReceiveTrace {
  const answeredAt = performance.now();
  const queue = queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
  const span = tracer(otel).startSpan(`receive ${queue}`, {
    kind: otel.SpanKind.CLIENT,
    startTime: startedAt,
    attributes: {
      [ATTR.system]: SQS_MESSAGING_SYSTEM,
      [ATTR.operationName]: 'receive',
      [ATTR.operationType]: 'receive',
      [ATTR.destination]: queue,
      [ATTR.queueUrl]: queueUrl,
      [ATTR.batchCount]: count,
    },
  });
  return { span, link: span.spanContext(), answeredAt };
}

/**
 * Links the receive span to the creation context `event` carried, if it carried a valid one.
 * Done as the messages are read, after the span started: `addLink` (API 1.9) is skipped on an
 * SDK whose spans lack it.
 */
export function linkCreation(trace: ReceiveTrace | undefined, event: ReceivedEvent, created?: LinkedContext): void {
  if (typeof trace?.span.addLink !== 'function') return;
  guarded(() => {
    const context = created ?? creationOf(event);
    if (context) trace.span.addLink!({ context });
  }, undefined);
}

/** Ends the receive span at the time the ReceiveMessage answer arrived. */
export function endReceive(trace: ReceiveTrace | undefined): void {
  if (trace) guarded(() => trace.span.end(trace.answeredAt), undefined);
}

function creationOf(event: ReceivedEvent): LinkedContext | undefined {
  const carrier = carrierOf(event);
  const otel = carrier && tracingApi();
  if (!otel || !carrier) return undefined;
  const created = otel.trace.getSpanContext(otel.propagation.extract(otel.context.active(), carrier));
  return created && otel.trace.isSpanContextValid(created) ? created : undefined;
}
