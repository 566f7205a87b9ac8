// A detail given as JSON text whose own `_idempotencyKey` is spelt with escapes
// (`"\u005fidempotencyKey"`, the same key once parsed). The docs promise that a detail with its own
// top-level `_idempotencyKey` is refused beside an entry key, refused when it holds no valid key,
// and otherwise sent as given. The check looked for the plain spelling only: the stamped (or given)
// key went in beside the escaped one, every parser kept the last (the sender's own field), so the
// receiver deduplicated on a key the sender never fixed, and a field holding no valid key went out
// and failed every delivery with `InvalidIdempotencyKey` (retried, then dead-lettered). The escaped
// spelling is now read as the plain one.
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, IDEMPOTENCY_KEY_FIELD } from '../../src/runtime';

let endpoint: EventBridgeEndpoint;
let client: ConnectorClient;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    endpoint: endpoint.endpoint,
    putEvents: { stampIdempotencyKey: true },
  });
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.stop();
});

const entry = (detail: string, idempotencyKey?: string) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });

test.each([
  ['a number', '{"\\u005fidempotencyKey":5,"orderId":"o-1"}', 'invalid detail._idempotencyKey \'5\' (a number)'],
  ['an empty string', '{"orderId":"o-1","_\\u0069dempotencyKey":""}', 'invalid detail._idempotencyKey \'\''],
  ['257 characters', `{"\\u005fidempotencyKey":"${'k'.repeat(257)}"}`, 'got 257'],
])('an escaped _idempotencyKey holding %s is refused before sending, as the plain spelling is', async (_what, detail, named) => {
  expect(JSON.parse(detail)).toHaveProperty(IDEMPOTENCY_KEY_FIELD);
  const before = endpoint.accepted.size;
  await expect(client.putEvent(entry(detail))).rejects.toMatchObject({ errorCode: 'InvalidEntry', message: expect.stringContaining(named) });
  const result = await client.putEvents([entry(detail), entry('{"orderId":"o-2"}')]);
  expect(result.failedEntryCount).toBe(1);
  expect(result.entries[0]).toMatchObject({ errorCode: 'InvalidEntry', attempts: 0 });
  expect(endpoint.accepted.size).toBe(before + 1);
});

test('an escaped _idempotencyKey beside an entry key is refused: which one would be meant?', async () => {
  await expect(client.putEvent(entry('{"\\u005fidempotencyKey":"mine"}', 'order-o-1'))).rejects.toMatchObject({
    errorCode: 'InvalidEntry', message: expect.stringContaining('idempotencyKey \'order-o-1\' given and detail has a top-level \'_idempotencyKey\' field'),
  });
});

test('an escaped _idempotencyKey holding a valid key is that key: the detail goes out as given, not stamped beside it', async () => {
  const detail = '{"\\u005fidempotencyKey":"mine","orderId":"o-1"}';
  const eventId = await client.putEvent(entry(detail));
  expect(endpoint.accepted.get(eventId)!.detail).toBe(detail);
});

test('an escape elsewhere, or the escaped name nested, leaves the stamped key first and the detail as given', async () => {
  for (const detail of ['{"note":"tab\\u0009here"}', '{"nested":{"\\u005fidempotencyKey":1}}']) {
    const wire = JSON.parse(endpoint.accepted.get(await client.putEvent(entry(detail)))!.detail) as Record<string, unknown>;
    expect(Object.keys(wire)[0]).toBe(IDEMPOTENCY_KEY_FIELD);
    const { [IDEMPOTENCY_KEY_FIELD]: key, ...rest } = wire;
    expect(key).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(rest).toEqual(JSON.parse(detail));
  }
});
