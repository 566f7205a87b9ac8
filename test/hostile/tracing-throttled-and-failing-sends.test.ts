// Faults on the way out, as the spans show them: throttled and failed entries, throttled and
// dropped requests, each retry an event on the entry's create span, the final error its status.
import { SpanStatusCode } from '@opentelemetry/api';
import { EventBridgeEndpoint, EventBridgeFaults, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, PutEventError } from '../../src/runtime';
import { Otel, startOtel } from '../runtime/tracing/support';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

describe('spans of sends that fail', () => {
  let otel: Otel;
  let endpoint: EventBridgeEndpoint | undefined;
  let client: ConnectorClient | undefined;

  beforeEach(() => {
    otel = startOtel();
  });
  afterEach(async () => {
    client?.destroy();
    await endpoint?.stop();
    await otel.shutdown();
  });

  async function send(faults: EventBridgeFaults): Promise<PutEventError> {
    endpoint = await startEventBridgeEndpoint({ faults });
    client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoint: endpoint.endpoint,
      putEvents: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    return client.putEvent(ENTRY).then(() => {
      throw new Error('expected the entry to fail');
    }, (error: PutEventError) => error);
  }

  test('an entry throttled on every attempt: three request spans with the entry error, two retries and the final error on its create span', async () => {
    const error = await send({ throttleEntry: 1 });
    expect(error.errorCode).toBe('ThrottlingException');
    const [create] = otel.named('create orders');
    expect(create.status.code).toBe(SpanStatusCode.ERROR);
    expect(create.attributes['error.type']).toBe('ThrottlingException');
    expect(create.events.filter((e) => e.name === 'aws.eventbridge.put_events.entry_error').map((e) => e.attributes?.['aws.eventbridge.put_events.attempt'])).toEqual([1, 2, 3]);
    expect(create.events.filter((e) => e.name === 'aws.eventbridge.put_events.retry').map((e) => e.attributes?.['aws.eventbridge.put_events.attempt'])).toEqual([2, 3]);
    const sends = otel.named('send orders');
    expect(sends.map((s) => s.attributes['aws.eventbridge.put_events.attempt'])).toEqual([1, 2, 3]);
    for (const span of sends) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events.find((e) => e.name === 'aws.eventbridge.put_events.entry_error')?.attributes?.['error.type']).toBe('ThrottlingException');
      expect(span.links.map((l) => l.context.spanId)).toEqual([create.spanContext().spanId]);
    }
  });

  test('a request throttled as a whole (HTTP 400 ThrottlingException): the exception on each request span, the error on the entry\'s', async () => {
    const error = await send({ throttleRequest: 1 });
    expect(error.errorCode).toBe('ThrottlingException');
    const sends = otel.named('send orders');
    expect(sends).toHaveLength(3);
    for (const span of sends) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('ThrottlingException');
    }
    const [create] = otel.named('create orders');
    expect(create.events.filter((e) => e.name === 'aws.eventbridge.put_events.request_error')).toHaveLength(3);
    expect(create.status.code).toBe(SpanStatusCode.ERROR);
  });

  test('a dropped connection, then success: the failed attempt on its span, the entry acknowledged with its EventId', async () => {
    endpoint = await startEventBridgeEndpoint({ faults: { dropBeforeRecording: 0.5 }, seed: 7 });
    client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoint: endpoint.endpoint,
      putEvents: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => client!.putEvent({ ...ENTRY, detail: { orderId: `o-${i}` } })));
    expect(endpoint.injected.dropBeforeRecording).toBeGreaterThan(0);
    const creates = otel.named('create orders');
    expect(creates.map((s) => s.attributes['messaging.message.id']).sort()).toEqual([...ids].sort());
    for (const create of creates) expect(create.status.code).not.toBe(SpanStatusCode.ERROR);
    const failedRequests = otel.named('send orders').filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failedRequests.length).toBe(endpoint.injected.dropBeforeRecording);
    const retried = creates.filter((s) => s.events.some((e) => e.name === 'aws.eventbridge.put_events.retry'));
    expect(retried.length).toBeGreaterThan(0);
    for (const span of retried) expect(span.events.some((e) => e.name === 'aws.eventbridge.put_events.request_error')).toBe(true);
  });
});
