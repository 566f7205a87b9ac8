// A delivered event whose `detail._trace` was not written by us: a non-object, a huge or garbage
// value, a traceparent W3C trace-context parsing refuses (bad hex, version ff, all-zero ids), a
// tracestate over W3C's limits (32 members, 512 characters). The receiver must answer as it does
// without a carrier, the handler sees what docs/tracing.md promises (an object under `_trace` is
// taken out, anything else is the sender's own field), and the process span trusts only what the
// W3C propagator accepts: otherwise it starts a trace of its own.
import { SpanStatusCode } from '@opentelemetry/api';
import { createReceiver, ReceivedEvent, TRACE_CARRIER_KEY } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';
import { Otel, parentOf, startOtel } from '../runtime/tracing/support';

const TYPE = 'OrderPlaced';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('a forged or malformed trace carrier on receipt', () => {
  let otel: Otel;
  beforeEach(() => {
    otel = startOtel();
  });
  afterEach(() => otel.shutdown());

  async function deliver(detail: Record<string, unknown>, handler?: (event: ReceivedEvent) => void) {
    const seen: ReceivedEvent[] = [];
    const receiver = createReceiver({ apiKey: API_KEY });
    receiver.on(TYPE, (event) => {
      seen.push(event);
      handler?.(event);
    });
    const response = await receiver.receive({
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: { kind: 'parsed', value: JSON.parse(JSON.stringify(delivery(TYPE, detail))) },
    });
    const spans = otel.named(`process ${TYPE}`);
    return { status: response.status, seen, span: spans[spans.length - 1] };
  }

  test.each([
    ['a string', 'forged'],
    ['a number', 42],
    ['null', null],
    ['an array', [VALID]],
    ['a huge string', 'x'.repeat(200_000)],
  ])('_trace as %s is the sender\'s own field: delivered in detail, and the process span starts its own trace', async (_name, value) => {
    const { status, seen, span } = await deliver({ orderId: 'o-1', [TRACE_CARRIER_KEY]: value });
    expect(status).toBe(200);
    expect(seen[0].detail).toEqual({ orderId: 'o-1', [TRACE_CARRIER_KEY]: value });
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(parentOf(span)).toBeUndefined();
  });

  test.each([
    ['invalid hex', `00-${'g'.repeat(32)}-${SPAN_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID.toUpperCase()}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a huge garbage value', `00-${TRACE_ID}-${SPAN_ID}-01${'-x'.repeat(100_000)}`],
    ['a non-string', 12345],
  ])('a traceparent with %s is not trusted: the carrier is taken out, the process span has no parent', async (_name, traceparent) => {
    const { status, seen, span } = await deliver({ [TRACE_CARRIER_KEY]: { traceparent, junk: { deep: [1, 2] } }, orderId: 'o-2' });
    expect(status).toBe(200);
    expect(seen[0].detail).toEqual({ orderId: 'o-2' });
    expect(seen[0].raw.detail).toEqual({ orderId: 'o-2' });
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(parentOf(span)).toBeUndefined();
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  test('a carrier with thousands of garbage members is taken out; only its valid traceparent is used', async () => {
    const carrier: Record<string, unknown> = { traceparent: VALID };
    for (let i = 0; i < 5_000; i++) carrier[`k${i}`] = i % 2 === 0 ? 'v'.repeat(20) : { nested: i };
    const { status, seen, span } = await deliver({ orderId: 'o-3', [TRACE_CARRIER_KEY]: carrier });
    expect(status).toBe(200);
    expect(seen[0].detail).toEqual({ orderId: 'o-3' });
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(span)).toBe(SPAN_ID);
  });

  test('a tracestate over W3C\'s limits (33 members; 600 characters) does not pass on beyond them', async () => {
    const members = Array.from({ length: 33 }, (_, i) => `k${i}=v${i}`).join(',');
    const many = await deliver({ [TRACE_CARRIER_KEY]: { traceparent: VALID, tracestate: members } });
    expect(many.status).toBe(200);
    expect(many.span.spanContext().traceId).toBe(TRACE_ID);
    const kept = many.span.spanContext().traceState?.serialize() ?? '';
    expect(kept.split(',').filter((m) => m !== '').length).toBeLessThanOrEqual(32);

    const long = await deliver({ [TRACE_CARRIER_KEY]: { traceparent: VALID, tracestate: `k=${'v'.repeat(598)}` } });
    expect(long.status).toBe(200);
    expect(long.span.spanContext().traceId).toBe(TRACE_ID);
    expect((long.span.spanContext().traceState?.serialize() ?? '').length).toBeLessThanOrEqual(512);
    expect(long.seen[0].detail).toEqual({});
  });

  test('a handler that throws inside the process span: status ERROR with its message, and the delivery refused for redelivery as without tracing', async () => {
    const { status, span } = await deliver({ [TRACE_CARRIER_KEY]: { traceparent: VALID }, orderId: 'o-4' }, () => {
      throw new Error('warehouse down');
    });
    await otel.shutdown();
    const untraced = createReceiver({ apiKey: API_KEY });
    untraced.on(TYPE, () => {
      throw new Error('warehouse down');
    });
    const plain = await untraced.receive({
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: { kind: 'parsed', value: delivery(TYPE, { orderId: 'o-4' }) },
    });
    otel = startOtel(); // for afterEach
    expect(status).toBeGreaterThanOrEqual(500);
    expect(status).toBe(plain.status);
    expect(span.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'warehouse down' });
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.events.map((e) => e.name)).toContain('exception');
  });
});
