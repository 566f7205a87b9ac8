// One trace from putEvent to the HTTP receiver's handler, through moto's bus and rule and the API
// destination stand-in (src/local/api-destination-delivery.ts), with the real OpenTelemetry SDK.
import { CreateApiDestinationCommand, CreateConnectionCommand, CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { eventually, inSpan, Otel, parentOf, startOtel } from './support';
import { ApiDestinationDelivery, startApiDestinationDelivery } from '../../../src/local/api-destination-delivery';
import { MotoServer, startMoto } from '../../../src/local/moto';
import { ConnectorClient, createReceiver, ReceivedEvent, TRACE_CARRIER_KEY } from '../../../src/runtime';
import { API_KEY, serve, TestServer } from '../receiver/support';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('a trace from putEvent through an API destination to the receiver', () => {
  let moto: MotoServer;
  let otel: Otel;
  let app: TestServer;
  let delivery: ApiDestinationDelivery;
  let client: ConnectorClient;
  const seen: { event: ReceivedEvent; traceId?: string; spanId?: string }[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    otel = startOtel();
    const receiver = createReceiver({ apiKey: API_KEY, idempotency: true });
    receiver.on('OrderPlaced', async (event) => {
      // The handler's own span, started where a user's would be: inside the process span.
      const span = trace.getTracer('app').startSpan('save order');
      seen.push({ event, traceId: trace.getActiveSpan()?.spanContext().traceId, spanId: trace.getActiveSpan()?.spanContext().spanId });
      await new Promise((r) => setImmediate(r));
      span.end();
    });
    app = await serve(receiver.handle);
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS };
    const events = new EventBridgeClient(config);
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const connection = await events.send(new CreateConnectionCommand({
      Name: 'orders-app', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: API_KEY } },
    }));
    const destination = await events.send(new CreateApiDestinationCommand({
      Name: 'orders-app', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: app.url, HttpMethod: 'POST',
    }));
    await events.send(new PutRuleCommand({ Name: 'orders-app-rule', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'orders-app-rule', EventBusName: 'orders', Targets: [{ Id: 'app', Arn: destination.ApiDestinationArn }] }));
    events.destroy();
    delivery = await startApiDestinationDelivery({ endpoint: moto.endpoint, eventBusName: 'orders', ruleName: 'orders-app-rule', retryDelayMs: 1 });
    client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: moto.endpoint });
  });
  afterAll(async () => {
    client?.destroy();
    await delivery?.stop();
    await app?.close();
    await otel?.shutdown();
    await moto?.stop();
  });

  test('putEvent inside a span: create -> process -> the handler\'s span, one trace; the handler sees detail as sent', async () => {
    const detail = { orderId: 'o-1', lines: [{ sku: 'a', qty: 2 }] };
    const request = await inSpan('POST /orders', () => client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail }));
    await eventually(() => seen.some((s) => (s.event.detail as { orderId?: string }).orderId === 'o-1'));
    const handled = seen.find((s) => (s.event.detail as { orderId?: string }).orderId === 'o-1')!;
    const eventId = request.result;

    // The handler sees exactly what was sent: no carrier in detail, nor in the raw body's detail.
    expect(handled.event.detail).toEqual(detail);
    expect(TRACE_CARRIER_KEY in (handled.event.raw.detail as object)).toBe(false);

    await eventually(() => otel.named('save order').length >= 1);
    const [create] = otel.named('create orders').filter((s) => s.attributes['messaging.message.id'] === eventId);
    expect(create).toBeDefined();
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(create)).toBe(request.spanId);
    expect(create.attributes).toMatchObject({
      'messaging.system': 'aws.eventbridge',
      'messaging.operation.type': 'create',
      'messaging.destination.name': 'orders',
    });

    // The PutEvents request: a CLIENT span linked to the entry's creation context.
    const send = otel.named('send orders').find((s) => s.links.some((l) => l.context.spanId === create.spanContext().spanId))!;
    expect(send.kind).toBe(SpanKind.CLIENT);
    expect(send.attributes['messaging.operation.type']).toBe('send');
    expect(send.status.code).not.toBe(SpanStatusCode.ERROR);

    // The receiver's process span: a child of the create span, in the same trace.
    const process = otel.named('process OrderPlaced').find((s) => s.attributes['messaging.message.id'] === eventId)!;
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(process)).toBe(create.spanContext().spanId);
    expect(handled.spanId).toBe(process.spanContext().spanId);
    const save = otel.named('save order').find((s) => s.spanContext().traceId === request.traceId)!;
    expect(parentOf(save)).toBe(process.spanContext().spanId);
  });

  test('putEvents of several entries: one create span per entry, one request span linked to all, each entry its own process span', async () => {
    const entries = ['o-2', 'o-3', 'o-4'].map((orderId) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId } }));
    const { result, traceId } = await inSpan('batch', () => client.putEvents(entries));
    expect(result.failedEntryCount).toBe(0);
    const ids = result.entries.map((e) => e.eventId!);
    await eventually(() => ids.every((id) => otel.named('process OrderPlaced').some((s) => s.attributes['messaging.message.id'] === id)));
    const creates = otel.named('create orders').filter((s) => ids.includes(s.attributes['messaging.message.id'] as string));
    expect(creates).toHaveLength(3);
    expect(new Set(creates.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    const send = otel.named('send orders').find((s) => s.links.length === 3 && s.spanContext().traceId === traceId)!;
    expect(send.attributes['messaging.batch.message_count']).toBe(3);
    expect(send.links.map((l) => l.context.spanId).sort()).toEqual(creates.map((s) => s.spanContext().spanId).sort());
    for (const create of creates) {
      const process = otel.named('process OrderPlaced').find((s) => s.attributes['messaging.message.id'] === create.attributes['messaging.message.id'])!;
      expect(parentOf(process)).toBe(create.spanContext().spanId);
    }
    for (const orderId of ['o-2', 'o-3', 'o-4']) expect(seen.find((s) => (s.event.detail as { orderId: string }).orderId === orderId)!.event.detail).toEqual({ orderId });
  });

  test('a repeated delivery is a span event on its process span, in the same trace, without calling the handler', async () => {
    const { result: eventId, traceId } = await inSpan('repeat', () => client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-5' } }));
    await eventually(() => seen.some((s) => s.event.id === eventId));
    const handledBefore = seen.filter((s) => s.event.id === eventId).length;
    // EventBridge delivers at least once: the same body again, as a retried delivery would be.
    const again = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify(lastDelivered(eventId)),
    });
    expect(((await again.json()) as { status: string }).status).toBe('repeat');
    await eventually(() => otel.named('process OrderPlaced').filter((s) => s.attributes['messaging.message.id'] === eventId).length === 2);
    const [first, repeat] = otel.named('process OrderPlaced').filter((s) => s.attributes['messaging.message.id'] === eventId);
    expect(first.events.map((e) => e.name)).not.toContain('aws.eventbridge.idempotency.repeat');
    expect(repeat.events.map((e) => e.name)).toContain('aws.eventbridge.idempotency.repeat');
    expect(repeat.spanContext().traceId).toBe(traceId);
    expect(parentOf(repeat)).toBe(parentOf(first));
    expect(seen.filter((s) => s.event.id === eventId)).toHaveLength(handledBefore);
  });

  /** The body the stand-in delivered for `eventId`, carrier included (as EventBridge would send it again). */
  function lastDelivered(eventId: string): Record<string, unknown> {
    const handled = seen.find((s) => s.event.id === eventId)!;
    const create = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === eventId)!;
    const { traceId, spanId } = create.spanContext();
    return { ...handled.event.raw, detail: { ...(handled.event.detail as object), [TRACE_CARRIER_KEY]: { traceparent: `00-${traceId}-${spanId}-01` } } };
  }
});
