// A propagator that writes into the carrier what is not text: a number, an object, a BigInt (which
// JSON cannot write), or a `toJSON` function on the carrier itself. The carrier is string fields
// (the receiving side reads only those). A `toJSON` made it text that is not an object, spliced
// into `detail` as `"_trace":"..."`, and the handler saw it (the receiving side leaves a `_trace`
// that is not an object, as the sender's own field); a BigInt cost the whole carrier. The string
// fields go, the rest does not, and the handler sees `detail` as sent.
import { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, createReceiver, ReceivedEvent, TRACE_CARRIER_KEY } from '../../src/runtime';
import { API_KEY, delivery } from '../runtime/receiver/support';
import { Otel, startOtel } from '../runtime/tracing/support';

/** W3C's fields, and whatever `extra` writes straight into the carrier. */
class WritesExtra implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();
  constructor(private readonly extra: (carrier: Record<string, unknown>) => void) {}
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.w3c.inject(context, carrier, setter);
    this.extra(carrier as Record<string, unknown>);
  }
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.w3c.extract(context, carrier, getter);
  }
  fields(): string[] {
    return this.w3c.fields();
  }
}

const EXTRAS: Record<string, (carrier: Record<string, unknown>) => void> = {
  'a toJSON function that returns text': (carrier) => {
    carrier.toJSON = () => 'not an object';
  },
  'a toJSON function that returns nothing': (carrier) => {
    carrier.toJSON = () => undefined;
  },
  'a BigInt': (carrier) => {
    carrier.sequence = 10n;
  },
  'a number, an object and null': (carrier) => {
    carrier.sampled = 1;
    carrier.baggage = { tenant: 'a' };
    carrier.empty = null;
  },
};

let endpoint: EventBridgeEndpoint;
let otel: Otel | undefined;
let client: ConnectorClient | undefined;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
});
afterEach(async () => {
  client?.destroy();
  await otel?.shutdown();
  otel = undefined;
});
afterAll(() => endpoint?.stop());

test.each(Object.entries(EXTRAS))('%s: the carrier holds the string fields, and the handler sees detail as sent', async (_name, extra) => {
  otel = startOtel({ propagator: new WritesExtra(extra) });
  client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
  const eventId = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } });
  const wire = JSON.parse(endpoint.accepted.get(eventId)!.detail) as Record<string, unknown>;
  expect(wire).toEqual({ [TRACE_CARRIER_KEY]: { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) }, orderId: 'o-1' });

  const seen: ReceivedEvent[] = [];
  const receiver = createReceiver({ apiKey: API_KEY });
  receiver.on('OrderPlaced', (event) => {
    seen.push(event);
  });
  const answer = await receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: { kind: 'parsed', value: delivery('OrderPlaced', wire) } });
  expect(answer.status).toBe(200);
  expect(seen.map((e) => e.detail)).toEqual([{ orderId: 'o-1' }]);
});
