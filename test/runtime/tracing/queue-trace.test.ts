// One trace from putEvent to the queue consumer's handler: moto's bus, a rule with an SQS target,
// and the consumer, with the real OpenTelemetry SDK; a failing handler shows on its process span;
// each ReceiveMessage that brought messages is a receive span, linked both ways.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { eventually, inSpan, Otel, parentOf, startOtel } from './support';
import { MotoServer, startMoto } from '../../../src/local/moto';
import type { ReceivedEvent } from '../../../src/runtime';
import { QueueWiring, wireQueue } from '../consumer/support';

const hrMs = ([seconds, nanos]: [number, number]): number => seconds * 1e3 + nanos / 1e6;

const quick = { waitTimeSeconds: 1, visibilityTimeoutSeconds: 1, stopTimeoutMs: 2_000 } as const;

describe('a trace from putEvent through a rule and an SQS queue to the consumer', () => {
  let moto: MotoServer;
  let otel: Otel;
  let wiring: QueueWiring;

  beforeAll(async () => {
    moto = await startMoto();
    otel = startOtel();
    wiring = await wireQueue(moto, 'traced', { maxReceiveCount: 1 });
  });
  afterAll(async () => {
    wiring?.client.destroy();
    wiring?.sqs.destroy();
    await otel?.shutdown();
    await moto?.stop();
  });

  test('create -> process (child, same trace) -> the handler\'s span; detail as sent; a failing handler is an error on its span', async () => {
    const { client, queueUrl } = wiring;
    const seen: { event: ReceivedEvent; spanId?: string }[] = [];
    const consumer = client.consumer({ ...quick, queueUrl });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      seen.push({ event, spanId: trace.getActiveSpan()?.spanContext().spanId });
      trace.getTracer('app').startSpan('ship order').end();
      if (event.detail.orderId === 'bad') throw new Error('no such warehouse');
    });
    consumer.start();
    try {
      const good = await inSpan('POST /orders', () => client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'good' } }));
      const bad = await inSpan('POST /orders', () => client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'bad' } }));
      await eventually(() => otel.named('process OrderPlaced').length >= 2);

      const handled = seen.find((s) => s.event.id === good.result)!;
      expect(handled.event.detail).toEqual({ orderId: 'good' });
      const create = otel.named('create traced').find((s) => s.attributes['messaging.message.id'] === good.result)!;
      const process = otel.named('process OrderPlaced').find((s) => s.attributes['messaging.message.id'] === good.result)!;
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.spanContext().traceId).toBe(good.traceId);
      expect(parentOf(create)).toBe(good.spanId);
      expect(parentOf(process)).toBe(create.spanContext().spanId);
      expect(process.attributes).toMatchObject({ 'messaging.destination.name': 'traced', 'aws.sqs.queue.url': queueUrl, 'messaging.operation.type': 'process' });
      expect(handled.spanId).toBe(process.spanContext().spanId);
      const ship = otel.named('ship order').find((s) => parentOf(s) === process.spanContext().spanId);
      expect(ship).toBeDefined();

      const failed = otel.named('process OrderPlaced').find((s) => s.attributes['messaging.message.id'] === bad.result)!;
      expect(failed.spanContext().traceId).toBe(bad.traceId);
      expect(failed.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'no such warehouse' });
      expect(failed.attributes['error.type']).toBe('Error');
      expect(failed.events.map((e) => e.name)).toContain('exception');
    } finally {
      await consumer.stop();
    }
  });

  test('each ReceiveMessage that brought messages is a CLIENT receive span linked to their creation contexts; each process span links it and stays the child of its create span', async () => {
    const { client, queueUrl } = wiring;
    otel.spans.reset();
    const consumer = client.consumer({ ...quick, queueUrl });
    consumer.on('OrderPacked', () => undefined);
    consumer.start();
    try {
      // Three handled events, and one of a detail-type without a handler (deleted, no process span).
      const sent = await inSpan('POST /orders/batch', () => client.putEvents([
        ...[1, 2, 3].map((n) => ({ source: 'com.example.orders', detailType: 'OrderPacked', detail: { n } })),
        { source: 'com.example.orders', detailType: 'OrderAudited', detail: {} },
      ]));
      const all = sent.result.entries.map((r) => r.eventId!);
      expect(all.every((id) => typeof id === 'string')).toBe(true);
      const ids = all.slice(0, 3);
      const creates = () => otel.named('create traced').filter((s) => all.includes(s.attributes['messaging.message.id'] as string));
      await eventually(() => ids.every((id) => otel.named('process OrderPacked').some((s) => s.attributes['messaging.message.id'] === id))
        && creates().every((c) => otel.named('receive traced').some((r) => r.links.some((l) => l.context.spanId === c.spanContext().spanId))));
      expect(creates()).toHaveLength(4);
      const receives = otel.named('receive traced');
      for (const id of ids) {
        const process = otel.named('process OrderPacked').find((s) => s.attributes['messaging.message.id'] === id)!;
        const create = otel.named('create traced').find((s) => s.attributes['messaging.message.id'] === id)!;
        expect(parentOf(process)).toBe(create.spanContext().spanId);
        const linked = receives.filter((r) => process.links.some((l) => l.context.spanId === r.spanContext().spanId));
        expect(linked).toHaveLength(1);
        const [receive] = linked;
        expect(receive.kind).toBe(SpanKind.CLIENT);
        expect(receive.attributes).toEqual({
          'messaging.system': 'aws_sqs',
          'messaging.operation.name': 'receive',
          'messaging.operation.type': 'receive',
          'messaging.destination.name': 'traced',
          'aws.sqs.queue.url': queueUrl,
          'messaging.batch.message_count': expect.any(Number),
        });
        expect(receive.links.map((l) => l.context.spanId)).toContain(create.spanContext().spanId);
        // The receive ends with the ReceiveMessage answer, before the handlers of what it brought
        // start (give or take 1 ms: the SDK anchors each span on Date.now(), whole milliseconds).
        expect(hrMs(receive.startTime)).toBeLessThanOrEqual(hrMs(receive.endTime));
        expect(hrMs(receive.endTime)).toBeLessThanOrEqual(hrMs(process.startTime) + 1);
      }
      // One span per ReceiveMessage that brought messages, none for an empty poll: the counts add up.
      const counted = receives.reduce((sum, r) => sum + (r.attributes['messaging.batch.message_count'] as number), 0);
      expect(receives.every((r) => (r.attributes['messaging.batch.message_count'] as number) >= 1)).toBe(true);
      await consumer.stop();
      expect(counted).toBe(consumer.stats().received);
      // Every message brought carried a creation context (all were sent traced): one link each.
      for (const r of receives) expect(r.links).toHaveLength(r.attributes['messaging.batch.message_count'] as number);
    } finally {
      await consumer.stop();
    }
  });
});
