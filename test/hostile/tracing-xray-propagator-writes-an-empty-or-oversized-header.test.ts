// An X-Ray propagator (or one that writes its header) with a header PutEvents' `TraceHeader`
// cannot take: the field is 1 to 500 characters, as the runtime checks an entry's own
// `traceHeader`. An empty header went out as `TraceHeader: ""`, which EventBridge refuses for
// the whole request; a header that does not fit goes in the carrier only, and the entry is
// sent without a `TraceHeader`. An entry's own `traceHeader` always wins.
import { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, TRACE_CARRIER_KEY } from '../../src/runtime';
import { Otel, startOtel } from '../runtime/tracing/support';

const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

/** Writes `x-amzn-trace-id` as given, as AWSXRayPropagator writes its header. */
class HeaderPropagator implements TextMapPropagator {
  constructor(private readonly header: string) {}
  inject(_context: Context, carrier: unknown, setter: TextMapSetter): void {
    setter.set(carrier, 'x-amzn-trace-id', this.header);
  }
  extract(context: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return context;
  }
  fields(): string[] {
    return ['x-amzn-trace-id'];
  }
}

const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

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

async function send(header: string, traceHeader?: string): Promise<{ traceHeader?: string; carried: unknown }> {
  otel = startOtel({ propagator: new HeaderPropagator(header) });
  client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
  const eventId = await client.putEvent({ ...ENTRY, traceHeader });
  const accepted = endpoint.accepted.get(eventId)!;
  return { traceHeader: accepted.traceHeader, carried: JSON.parse(accepted.detail)[TRACE_CARRIER_KEY] };
}

test('an empty header is not sent as TraceHeader', async () => {
  expect(await send('')).toEqual({ traceHeader: undefined, carried: { 'x-amzn-trace-id': '' } });
});

const LONG = `${ROOT};${'a'.repeat(500 - ROOT.length)}`;

test('a header of 501 characters is not sent as TraceHeader', async () => {
  expect(await send(LONG)).toEqual({ traceHeader: undefined, carried: { 'x-amzn-trace-id': LONG } });
});

test('a header of 500 characters is', async () => {
  const fits = LONG.slice(0, 500);
  expect(await send(fits)).toEqual({ traceHeader: fits, carried: { 'x-amzn-trace-id': fits } });
});

test('the entry\'s own traceHeader is sent as given', async () => {
  expect((await send(ROOT, 'Root=1-00000000-000000000000000000000000')).traceHeader).toBe('Root=1-00000000-000000000000000000000000');
});
