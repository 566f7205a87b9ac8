// The trace carrier in `detail`: what goes on the wire, what it weighs, when it is left out, the
// off switch, PutEvents' TraceHeader from an X-Ray propagator, and what handlers see.
import { Context, propagation, TextMapGetter, TextMapPropagator, TextMapSetter, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { inSpan, Otel, startOtel } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient, ConnectorClientSettings, createReceiver, InputError, ReceivedEvent, TRACE_CARRIER_KEY } from '../../../src/runtime';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../../src/runtime/put-events/batcher';
import { API_KEY, delivery } from '../receiver/support';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SOURCE = 'com.example.orders';
const TYPE = 'OrderPlaced';
const LIMIT = DEFAULT_MAX_REQUEST_BYTES; // the default request limit (PutEvents' 1 MiB)

/** A detail of exactly `bytes` bytes as EventBridge counts the entry (source, detail-type, detail). */
function detailOfEntrySize(bytes: number): { pad: string } {
  const overhead = SOURCE.length + TYPE.length + JSON.stringify({ pad: '' }).length;
  return { pad: 'x'.repeat(bytes - overhead) };
}

/** Stands in for AWSXRayPropagator (@opentelemetry/propagator-aws-xray): the header PutEvents' TraceHeader takes. */
class XRayLikePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(context);
    if (!span) return;
    setter.set(carrier, 'x-amzn-trace-id', `Root=1-${span.traceId.slice(0, 8)}-${span.traceId.slice(8)};Parent=${span.spanId};Sampled=1`);
  }
  extract(context: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return context;
  }
  fields(): string[] {
    return ['x-amzn-trace-id'];
  }
}

describe('the trace carrier', () => {
  let endpoint: EventBridgeEndpoint;
  let otel: Otel | undefined;
  const clients: ConnectorClient[] = [];
  const clientFor = (settings: ConnectorClientSettings = {}) => {
    const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: endpoint.endpoint, ...settings });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await otel?.shutdown();
    otel = undefined;
  });
  afterAll(() => endpoint.stop());

  test('goes first in detail with the create span\'s traceparent; the rest of detail is as given', async () => {
    otel = startOtel();
    const client = clientFor();
    const { result } = await inSpan('request', () => client.putEvents([{ source: SOURCE, detailType: TYPE, detail: { orderId: 'o-1' } }, { source: SOURCE, detailType: TYPE, detail: '  {}  ' }]));
    const [withFields, empty] = result.entries.map((e) => endpoint.accepted.get(e.eventId!)!);
    const create = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === result.entries[0].eventId)!;
    const traceparent = `00-${create.spanContext().traceId}-${create.spanContext().spanId}-01`;
    expect(withFields.detail).toBe(`{"${TRACE_CARRIER_KEY}":{"traceparent":"${traceparent}"},"orderId":"o-1"}`);
    expect(JSON.parse(empty.detail)).toEqual({ [TRACE_CARRIER_KEY]: { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) } });
    expect(withFields.traceHeader).toBeUndefined(); // W3C only: no X-Ray header to give
  });

  test('an entry at the byte limit is sent without the carrier, and its span says why; one that fits with it carries it', async () => {
    otel = startOtel();
    const client = clientFor();
    const atLimit = detailOfEntrySize(LIMIT);
    const roomForCarrier = detailOfEntrySize(LIMIT - 200);
    const result = await client.putEvents([
      { source: SOURCE, detailType: TYPE, detail: atLimit },
      { source: SOURCE, detailType: TYPE, detail: roomForCarrier },
    ]);
    expect(result.failedEntryCount).toBe(0);
    const [sentAtLimit, sentWithRoom] = result.entries.map((e) => endpoint.accepted.get(e.eventId!)!);
    expect(sentAtLimit.detail).toBe(JSON.stringify(atLimit));
    expect(JSON.parse(sentWithRoom.detail)[TRACE_CARRIER_KEY]).toBeDefined();
    const span = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === result.entries[0].eventId)!;
    expect(span.events.find((e) => e.name === 'aws.eventbridge.trace_carrier.dropped')?.attributes).toMatchObject({ reason: 'size', maxRequestBytes: LIMIT });

    // putEvent as well: the producer sizes the entry with its carrier, and drops it the same way.
    const eventId = await client.putEvent({ source: SOURCE, detailType: TYPE, detail: atLimit });
    expect(endpoint.accepted.get(eventId)!.detail).toBe(JSON.stringify(atLimit));
    // The two entries that fit together without carriers would not with them: they went in two requests.
    const before = endpoint.requests;
    const half = detailOfEntrySize(LIMIT / 2 - 20);
    const pair = await client.putEvents([{ source: SOURCE, detailType: TYPE, detail: half }, { source: SOURCE, detailType: TYPE, detail: half }]);
    expect(pair.failedEntryCount).toBe(0);
    expect(endpoint.requests - before).toBe(2);
  });

  test('a detail that already has the key is sent as given', async () => {
    otel = startOtel();
    const client = clientFor();
    const detail = { [TRACE_CARRIER_KEY]: 'mine', orderId: 'o-2' };
    const eventId = await client.putEvent({ source: SOURCE, detailType: TYPE, detail });
    expect(endpoint.accepted.get(eventId)!.detail).toBe(JSON.stringify(detail));
    const span = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === eventId)!;
    expect(span.events.find((e) => e.name === 'aws.eventbridge.trace_carrier.dropped')?.attributes).toEqual({ reason: 'key-in-use' });
  });

  test('traceCarrier: false keeps the spans and sends detail as given; a misspelt or non-boolean option is refused', async () => {
    otel = startOtel();
    const client = clientFor({ putEvents: { traceCarrier: false } });
    const detail = { orderId: 'o-3' };
    const eventId = await client.putEvent({ source: SOURCE, detailType: TYPE, detail });
    expect(endpoint.accepted.get(eventId)!.detail).toBe(JSON.stringify(detail));
    expect(otel.named('create orders').some((s) => s.attributes['messaging.message.id'] === eventId)).toBe(true);

    expect(() => clientFor({ putEvents: { traceCarier: false } as never })).toThrow(InputError);
    expect(() => clientFor({ putEvents: { traceCarier: false } as never })).toThrow("unknown option 'putEvents.traceCarier' (did you mean 'putEvents.traceCarrier'?)");
    expect(() => clientFor({ putEvents: { traceCarrier: 'no' as never } })).toThrow("invalid traceCarrier 'no': expected true or false");
  });

  test('TraceHeader is set when the registered propagator gives an X-Ray header, and a given one is kept', async () => {
    otel = startOtel({ propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new XRayLikePropagator()] }) });
    const client = clientFor();
    const result = await client.putEvents([
      { source: SOURCE, detailType: TYPE, detail: {} },
      { source: SOURCE, detailType: TYPE, detail: {}, traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' },
    ]);
    const [derived, given] = result.entries.map((e) => endpoint.accepted.get(e.eventId!)!);
    const create = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === result.entries[0].eventId)!;
    expect(derived.traceHeader).toBe(`Root=1-${create.spanContext().traceId.slice(0, 8)}-${create.spanContext().traceId.slice(8)};Parent=${create.spanContext().spanId};Sampled=1`);
    expect(JSON.parse(derived.detail)[TRACE_CARRIER_KEY]['x-amzn-trace-id']).toBe(derived.traceHeader);
    expect(given.traceHeader).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  });

  test('without an SDK registered nothing is added, and handlers never see a carrier that arrives', async () => {
    const client = clientFor();
    const detail = { orderId: 'o-4' };
    const eventId = await client.putEvent({ source: SOURCE, detailType: TYPE, detail });
    expect(endpoint.accepted.get(eventId)!.detail).toBe(JSON.stringify(detail));
    expect(propagation.fields()).toEqual([]);

    const seen: ReceivedEvent[] = [];
    const receiver = createReceiver({ apiKey: API_KEY });
    receiver.on(TYPE, (event) => {
      seen.push(event);
    });
    const body = delivery(TYPE, { orderId: 'o-5', [TRACE_CARRIER_KEY]: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const response = await receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: { kind: 'parsed', value: body } });
    expect(response.status).toBe(200);
    expect(seen[0].detail).toEqual({ orderId: 'o-5' });
    expect(seen[0].raw.detail).toEqual({ orderId: 'o-5' });
    // The delivered object itself is left as it was (it may be a framework's req.body).
    expect((body.detail as Record<string, unknown>)[TRACE_CARRIER_KEY]).toBeDefined();
  });
});
