// A detail given as JSON text whose own `_trace` key is spelt with escapes (`"\u005ftrace"`,
// the same key once parsed): the docs promise a detail that already has the key is sent as given.
// The check looked for the plain spelling only, so the carrier went in beside it and the detail on
// the wire named the key twice (which one a reader keeps is up to its parser). It is sent as given,
// with the `key-in-use` span event, as with the plain spelling.
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, TRACE_CARRIER_KEY } from '../../src/runtime';
import { Otel, startOtel } from '../runtime/tracing/support';

let endpoint: EventBridgeEndpoint;
let otel: Otel;
let client: ConnectorClient;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  otel = startOtel();
  client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
});
afterAll(async () => {
  client?.destroy();
  await otel?.shutdown();
  await endpoint?.stop();
});

async function send(detail: string): Promise<{ wire: string; dropped?: unknown }> {
  const eventId = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail });
  const span = otel.named('create orders').find((s) => s.attributes['messaging.message.id'] === eventId)!;
  return { wire: endpoint.accepted.get(eventId)!.detail, dropped: span.events.find((e) => e.name === 'aws.eventbridge.trace_carrier.dropped')?.attributes };
}

test.each([
  '{"\\u005ftrace":"mine","orderId":"o-1"}',
  '{"orderId":"o-1","_\\u0074\\u0072ace":{"mine":true}}',
])('%s is sent as given', async (detail) => {
  expect(JSON.parse(detail)).toHaveProperty(TRACE_CARRIER_KEY);
  expect(await send(detail)).toEqual({ wire: detail, dropped: { reason: 'key-in-use' } });
});

test('a detail with escapes elsewhere, or the key escaped in a nested object, still carries the trace', async () => {
  for (const detail of ['{"note":"tab\\u0009here"}', '{"nested":{"\\u005ftrace":1}}']) {
    const { wire, dropped } = await send(detail);
    expect(dropped).toBeUndefined();
    expect(Object.keys(JSON.parse(wire))[0]).toBe(TRACE_CARRIER_KEY);
    expect({ ...JSON.parse(wire), [TRACE_CARRIER_KEY]: undefined }).toEqual({ ...JSON.parse(detail), [TRACE_CARRIER_KEY]: undefined });
  }
});
