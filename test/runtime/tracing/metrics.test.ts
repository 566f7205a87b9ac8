// stats() through the OpenTelemetry meter: the conventions' messaging metrics per request and per
// delivery, and every counter and gauge of stats() observed under its METRIC_NAMES name.
import { collect, Otel, startOtel } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient, createReceiver } from '../../../src/runtime';
import { API_KEY, delivery } from '../receiver/support';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

describe('metrics through the meter', () => {
  let endpoint: EventBridgeEndpoint;
  let otel: Otel;
  let client: ConnectorClient;

  afterEach(async () => {
    client?.destroy();
    await endpoint?.stop();
    await otel?.shutdown();
  });

  test('PutEvents requests and entries, as the conventions name them and as stats() counts them', async () => {
    otel = startOtel({ tracing: false });
    endpoint = await startEventBridgeEndpoint({ faults: { failEntry: 0.3 }, seed: 3 });
    client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: endpoint.endpoint, putEvents: { maxAttempts: 1 } });
    const result = await client.putEvents(Array.from({ length: 30 }, () => ENTRY));
    const stats = client.stats();
    expect(result.failedEntryCount).toBeGreaterThan(0);

    const durations = await collect(otel, 'messaging.client.operation.duration');
    expect(durations.map((p) => (p.value as { count: number }).count).reduce((a, b) => a + b, 0)).toBe(endpoint.requests);
    expect(durations[0].attributes).toMatchObject({ 'messaging.system': 'aws.eventbridge', 'messaging.operation.name': 'send' });
    const sent = await collect(otel, 'messaging.client.sent.messages');
    expect(sent.find((p) => p.attributes['error.type'] === undefined)?.value).toBe(stats.sent);
    expect(sent.find((p) => p.attributes['error.type'] === 'entry_error')?.value).toBe(result.failedEntryCount);

    expect(await collect(otel, 'eventbridge.put_events.requests')).toEqual([{ value: stats.requests, attributes: {} }]);
    expect(await collect(otel, 'eventbridge.put_events.entries.sent')).toEqual([{ value: stats.sent, attributes: {} }]);
    expect(await collect(otel, 'eventbridge.put_events.entries.failed')).toEqual([{ value: result.failedEntryCount, attributes: { 'error.type': 'InternalFailure' } }]);
    expect(await collect(otel, 'eventbridge.put_events.retry_budget.tokens')).toEqual([{ value: stats.retryTokens, attributes: {} }]);
    // No spans without a tracer provider.
    expect(otel.spans.getFinishedSpans()).toEqual([]);
  });

  test('deliveries: messaging.process.duration and messaging.client.consumed.messages, failures by error.type', async () => {
    otel = startOtel({ tracing: false });
    const receiver = createReceiver({ apiKey: API_KEY });
    receiver.on('OrderPlaced', (event) => {
      if ((event.detail as { fail?: boolean }).fail) throw new TypeError('bad order');
    });
    const receive = (detail: unknown) => receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: { kind: 'parsed', value: delivery('OrderPlaced', detail) } });
    expect((await receive({ n: 1 })).status).toBe(200);
    expect((await receive({ n: 2 })).status).toBe(200);
    expect((await receive({ fail: true })).status).toBe(500);
    const durations = await collect(otel, 'messaging.process.duration');
    const counts = Object.fromEntries(durations.map((p) => [String(p.attributes['error.type'] ?? 'ok'), (p.value as { count: number }).count]));
    expect(counts).toEqual({ ok: 2, TypeError: 1 });
    expect(await collect(otel, 'messaging.client.consumed.messages')).toEqual([{ value: 3, attributes: { 'messaging.system': 'aws.eventbridge', 'messaging.operation.name': 'process', 'messaging.operation.type': 'process' } }]);
  });
});
