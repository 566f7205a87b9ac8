// A propagator whose fields are not ASCII (a vendor's, or baggage written without percent-
// encoding): the carrier weighs its UTF-8 bytes, as EventBridge counts them. Counted in characters
// it weighed less than it does on the wire, so an entry that fits only without the carrier went out
// with it, and the bus refused the whole request ("Total size of the entries in the request is over
// the limit"): tracing made a valid entry fail. It goes without the carrier instead, and its span
// says why.
import { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, TRACE_CARRIER_KEY } from '../../src/runtime';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../src/runtime/put-events/batcher';
import { Otel, startOtel } from '../runtime/tracing/support';

const SOURCE = 'com.example.orders';
const TYPE = 'OrderPlaced';
const LIMIT = DEFAULT_MAX_REQUEST_BYTES;
/** 40,000 characters, 80,000 bytes in UTF-8. */
const NOTE = 'é'.repeat(40_000);

/** W3C's traceparent, and a field of two bytes per character. */
class NonAsciiPropagator implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.w3c.inject(context, carrier, setter);
    setter.set(carrier, 'vendor-note', NOTE);
  }
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.w3c.extract(context, carrier, getter);
  }
  fields(): string[] {
    return [...this.w3c.fields(), 'vendor-note'];
  }
}

/** A detail of exactly `bytes` bytes as EventBridge counts the entry (source, detail-type, detail). */
function detailOfEntrySize(bytes: number): { pad: string } {
  const overhead = SOURCE.length + TYPE.length + JSON.stringify({ pad: '' }).length;
  return { pad: 'x'.repeat(bytes - overhead) };
}

let endpoint: EventBridgeEndpoint;
let otel: Otel;
let client: ConnectorClient;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  otel = startOtel({ propagator: new NonAsciiPropagator() });
  client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
});
afterAll(async () => {
  client?.destroy();
  await otel?.shutdown();
  await endpoint?.stop();
});

test('an entry with room for the carrier\'s characters but not its bytes is sent without it', async () => {
  // Room for 60,000 more bytes: the carrier's 40,000-odd characters, not its 80,000-odd bytes.
  const detail = detailOfEntrySize(LIMIT - 60_000);
  const result = await client.putEvents([{ source: SOURCE, detailType: TYPE, detail }]);
  expect(result).toEqual({ failedEntryCount: 0, entries: [{ eventId: expect.any(String) }] });
  expect(endpoint.accepted.get(result.entries[0].eventId!)!.detail).toBe(JSON.stringify(detail));
  const span = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === result.entries[0].eventId)!;
  expect(span.events.find((e) => e.name === 'aws.eventbridge.trace_carrier.dropped')?.attributes).toMatchObject({ reason: 'size', maxRequestBytes: LIMIT });
});

test('putEvent as well, and an entry with room for the bytes carries the field as given', async () => {
  const eventId = await client.putEvent({ source: SOURCE, detailType: TYPE, detail: detailOfEntrySize(LIMIT - 60_000) });
  expect(JSON.parse(endpoint.accepted.get(eventId)!.detail)[TRACE_CARRIER_KEY]).toBeUndefined();
  const roomy = await client.putEvent({ source: SOURCE, detailType: TYPE, detail: detailOfEntrySize(LIMIT - 90_000) });
  expect(JSON.parse(endpoint.accepted.get(roomy)!.detail)[TRACE_CARRIER_KEY]).toMatchObject({ 'vendor-note': NOTE });
});

test('two entries whose carriers fit together by characters but not by bytes go in two requests', async () => {
  const before = endpoint.requests;
  const half = detailOfEntrySize(LIMIT / 2 - 60_000);
  const pair = await client.putEvents([{ source: SOURCE, detailType: TYPE, detail: half }, { source: SOURCE, detailType: TYPE, detail: half }]);
  expect(pair.failedEntryCount).toBe(0);
  expect(endpoint.requests - before).toBe(2);
  for (const { eventId } of pair.entries) expect(JSON.parse(endpoint.accepted.get(eventId!)!.detail)[TRACE_CARRIER_KEY]).toMatchObject({ 'vendor-note': NOTE });
});
