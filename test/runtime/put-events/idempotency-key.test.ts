// The producer's idempotency key on the sending side, on the loopback EventBridge endpoint: off,
// nothing changes; on (`stampIdempotencyKey`), every entry carries one key in its detail, the same
// on every retry, counted in its size exactly as EventBridge counts the detail; a given
// `idempotencyKey` is checked and sent as given.
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient, ConnectorClientSettings, EventEntry, IDEMPOTENCY_KEY_FIELD, PutEventsFailure } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SOURCE = 'com.example.orders';
const DETAIL_TYPE = 'OrderPlaced';
const order = (n: number, extra: Partial<EventEntry> = {}): EventEntry => ({ source: SOURCE, detailType: DETAIL_TYPE, detail: { n }, ...extra });

let endpoint: EventBridgeEndpoint;
let clients: ConnectorClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await endpoint?.stop();
});

type EndpointOptions = Parameters<typeof startEventBridgeEndpoint>[0];

async function clientOn(settings: ConnectorClientSettings = {}, endpointOptions: EndpointOptions = {}): Promise<ConnectorClient> {
  endpoint = await startEventBridgeEndpoint(endpointOptions);
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: endpoint.endpoint, ...settings });
  clients.push(client);
  return client;
}

/** What arrived, as JSON objects, in the order the endpoint accepted them. */
const details = () => [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail) as Record<string, unknown>);

test('off (the default): the detail goes out byte for byte as given, with no key', async () => {
  const client = await clientOn();
  const detail = '{ "n": 1,\n  "note": "as written" }';
  expect((await client.putEvents([{ source: SOURCE, detailType: DETAIL_TYPE, detail }])).failedEntryCount).toBe(0);
  expect(await client.putEvent(order(2))).toEqual(expect.any(String));
  const sent = [...endpoint.accepted.values()].map((e) => e.detail);
  expect(sent).toEqual([detail, '{"n":2}']);
});

test('on: each entry gets its own random UUID as the first member of its detail, the rest as given', async () => {
  const client = await clientOn({ putEvents: { stampIdempotencyKey: true } });
  const result = await client.putEvents([order(1), order(2), { source: SOURCE, detailType: DETAIL_TYPE, detail: '{}' }]);
  expect(result.failedEntryCount).toBe(0);
  await client.putEvent(order(3));
  const sent = [...endpoint.accepted.values()].map((e) => e.detail);
  const keys = details().map((d) => d[IDEMPOTENCY_KEY_FIELD] as string);
  for (const key of keys) expect(key).toMatch(UUID);
  expect(new Set(keys).size).toBe(4);
  expect(sent[0]).toBe(`{"_idempotencyKey":"${keys[0]}","n":1}`);
  expect(sent[2]).toBe(`{"_idempotencyKey":"${keys[2]}"}`);
  expect(details().map(({ [IDEMPOTENCY_KEY_FIELD]: _key, ...rest }) => rest)).toEqual([{ n: 1 }, { n: 2 }, {}, { n: 3 }]);
});

test('a given key is sent as given (quotes, backslashes and non-ASCII survive JSON), stamping or not', async () => {
  const client = await clientOn({ putEvents: { stampIdempotencyKey: true } });
  const keys = ['order-o-1', 'a"b\\c', 'ключ-🔑', 'k'.repeat(256), '🔑'.repeat(256)];
  expect((await client.putEvents(keys.map((idempotencyKey, n) => order(n, { idempotencyKey })))).failedEntryCount).toBe(0);
  expect(details().map((d) => d[IDEMPOTENCY_KEY_FIELD])).toEqual(keys);
});

test('retries send the same key: entries recorded twice (the answer lost on the way) carry one key', async () => {
  // Half of the requests are recorded and then lose their answer: the sender retries them.
  const putEvents = { stampIdempotencyKey: true, baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 10 };
  const client = await clientOn({ putEvents }, { faults: { dropAfterRecording: 0.5 }, seed: 7 });
  const entries = Array.from({ length: 40 }, (_, n) => order(n));
  const result = await client.putEvents(entries);
  expect(result.failedEntryCount).toBe(0);
  const single = await Promise.all(Array.from({ length: 20 }, (_, n) => client.putEvent(order(100 + n))));
  expect(single).toHaveLength(20);
  expect(endpoint.injected.dropAfterRecording).toBeGreaterThan(0);
  const keysByN = new Map<number, Set<string>>();
  for (const d of details()) {
    const keys = keysByN.get(d.n as number) ?? new Set<string>();
    keys.add(d[IDEMPOTENCY_KEY_FIELD] as string);
    keysByN.set(d.n as number, keys);
  }
  // Every entry arrived, some more than once, and every copy of one entry carries one key.
  expect(keysByN.size).toBe(60);
  expect(endpoint.acceptedCount).toBeGreaterThan(60);
  for (const keys of keysByN.values()) expect(keys.size).toBe(1);
  const all = [...keysByN.values()].map((k) => [...k][0]);
  expect(new Set(all).size).toBe(60);
});

describe('the key counts in the entry size, as the bytes it adds to detail', () => {
  // The smallest request limit the client takes, on an endpoint refusing what is over it as EventBridge does.
  const LIMIT = 1024;
  const KEY_BYTES = `"${IDEMPOTENCY_KEY_FIELD}":"00000000-0000-4000-8000-000000000000",`.length;
  /** An entry of exactly `bytes` as EventBridge counts them, without a key. */
  const sized = (bytes: number): EventEntry => {
    const empty = JSON.stringify({ pad: '' });
    return { source: SOURCE, detailType: DETAIL_TYPE, detail: { pad: 'x'.repeat(bytes - SOURCE.length - DETAIL_TYPE.length - empty.length) } };
  };

  test('an entry that reaches the limit exactly with its key is sent and accepted; one byte more is refused, naming the key', async () => {
    expect(KEY_BYTES).toBe(57);
    const client = await clientOn({ putEvents: { stampIdempotencyKey: true, maxRequestBytes: LIMIT } }, { maxRequestBytes: LIMIT });
    const result = await client.putEvents([sized(LIMIT - KEY_BYTES), sized(LIMIT - KEY_BYTES + 1)]);
    expect(result.entries[0].eventId).toEqual(expect.any(String));
    expect(endpoint.validationErrors).toBe(0);
    const [accepted] = [...endpoint.accepted.values()];
    expect(SOURCE.length + DETAIL_TYPE.length + Buffer.byteLength(accepted.detail)).toBe(LIMIT);
    const refused = result.entries[1] as PutEventsFailure;
    expect(refused.errorCode).toBe('InvalidEntry');
    expect(refused.errorMessage).toBe(`entry 1: ${LIMIT + 1} bytes as EventBridge counts them: expected at most ${LIMIT} (maxRequestBytes), the most one request may carry (${KEY_BYTES} of them the idempotency key in detail)`);
    await expect(client.putEvent(sized(LIMIT))).rejects.toMatchObject({ errorCode: 'InvalidEntry', message: expect.stringContaining(`(${KEY_BYTES} of them the idempotency key in detail)`) });
  });

  test('the same entry at the limit without stamping is sent: the key alone made it too large', async () => {
    const client = await clientOn({ putEvents: { maxRequestBytes: LIMIT } }, { maxRequestBytes: LIMIT });
    expect((await client.putEvents([sized(LIMIT)])).failedEntryCount).toBe(0);
  });

  test('ten keyed entries of a full request are batched by their size with the key: no request is over the limit', async () => {
    const client = await clientOn({ putEvents: { stampIdempotencyKey: true, maxRequestBytes: LIMIT * 4 } }, { maxRequestBytes: LIMIT * 4 });
    const result = await client.putEvents(Array.from({ length: 10 }, () => sized(LIMIT - KEY_BYTES)));
    expect(result.failedEntryCount).toBe(0);
    expect(endpoint.validationErrors).toBe(0);
    // Four entries of exactly LIMIT bytes each fill a request: 10 entries take 3 requests.
    expect(endpoint.requests).toBe(3);
  });
});

describe('hostile keys are refused per entry, naming the value', () => {
  const EXPECTED = 'expected a string of 1 to 256 printable characters';
  const BAD: Array<[string, unknown, string]> = [
    ['empty', '', `invalid idempotencyKey '': ${EXPECTED}, got 0`],
    ['257 characters', 'k'.repeat(257), `invalid idempotencyKey '${'k'.repeat(160)}...' (257 characters): ${EXPECTED}, got 257`],
    ['257 emoji (code points, not UTF-16 units)', '🔑'.repeat(257), `invalid idempotencyKey '${'🔑'.repeat(160)}...' (257 characters): ${EXPECTED}, got 257`],
    ['a new line', 'a\nb', `invalid idempotencyKey 'a\\nb': ${EXPECTED} (U+000a at character 1 is not one)`],
    ['a NUL', 'a\u0000', `invalid idempotencyKey 'a\\x00': ${EXPECTED} (U+0000 at character 1 is not one)`],
    ['a C1 control', 'a\u0085b', `invalid idempotencyKey 'a\\x85b': ${EXPECTED} (U+0085 at character 1 is not one)`],
    ['a lone surrogate', 'a\ud800', `invalid idempotencyKey 'a\\ud800': ${EXPECTED} (U+d800 at character 1 is not one)`],
    ['a number', 42, `invalid idempotencyKey '42' (a number): ${EXPECTED}`],
    ['null', null, `invalid idempotencyKey null: ${EXPECTED}`],
    ['an object', { toString: () => 'k' }, `invalid idempotencyKey an object: ${EXPECTED}`],
  ];
  test.each(BAD)('%s', async (_name, idempotencyKey, message) => {
    const client = await clientOn({ putEvents: { stampIdempotencyKey: true } });
    const result = await client.putEvents([order(0), order(1, { idempotencyKey } as Partial<EventEntry>)]);
    expect(result.entries[0].eventId).toEqual(expect.any(String));
    expect(result.entries[1]).toMatchObject({ errorCode: 'InvalidEntry', attempts: 0 });
    expect((result.entries[1] as PutEventsFailure).errorMessage).toBe(`entry 1: ${message}`);
    await expect(client.putEvent(order(2, { idempotencyKey } as Partial<EventEntry>))).rejects.toMatchObject({ errorCode: 'InvalidEntry', message: `invalid entry: ${message}` });
    expect(endpoint.acceptedCount).toBe(1);
  });

  test('a key getter that throws makes only its entry invalid', async () => {
    const client = await clientOn();
    const entry = { ...order(1), get idempotencyKey(): string { throw new Error('no key'); } };
    const result = await client.putEvents([order(0), entry]);
    expect(result.entries[0].eventId).toEqual(expect.any(String));
    expect((result.entries[1] as PutEventsFailure).errorMessage).toBe("entry 1: reading it threw 'Error: no key': expected an entry whose fields can be read");
  });

  test('a key given for a detail with a top-level _idempotencyKey of its own is refused; a nested one is the sender\'s data', async () => {
    const client = await clientOn();
    const result = await client.putEvents([
      { source: SOURCE, detailType: DETAIL_TYPE, detail: { [IDEMPOTENCY_KEY_FIELD]: 'own' }, idempotencyKey: 'given' },
      { source: SOURCE, detailType: DETAIL_TYPE, detail: { inner: { [IDEMPOTENCY_KEY_FIELD]: 'data' } }, idempotencyKey: 'given' },
    ]);
    expect((result.entries[0] as PutEventsFailure).errorMessage)
      .toBe("entry 0: idempotencyKey 'given' given and detail has a top-level '_idempotencyKey' field: expected one of them (receivers read that field as the key)");
    expect(result.entries[1].eventId).toEqual(expect.any(String));
    expect(details()).toEqual([{ [IDEMPOTENCY_KEY_FIELD]: 'given', inner: { [IDEMPOTENCY_KEY_FIELD]: 'data' } }]);
  });

  test('stamping leaves a detail\'s own valid top-level key be, and refuses one receivers could not use', async () => {
    const client = await clientOn({ putEvents: { stampIdempotencyKey: true } });
    const result = await client.putEvents([
      { source: SOURCE, detailType: DETAIL_TYPE, detail: { [IDEMPOTENCY_KEY_FIELD]: 'made-by-hand', n: 1 } },
      { source: SOURCE, detailType: DETAIL_TYPE, detail: { [IDEMPOTENCY_KEY_FIELD]: 7 } },
    ]);
    expect(result.entries[0].eventId).toEqual(expect.any(String));
    expect((result.entries[1] as PutEventsFailure).errorMessage)
      .toBe("entry 1: invalid detail._idempotencyKey '7' (a number): expected a string of 1 to 256 printable characters (receivers read that field as the idempotency key; give the entry's data another name)");
    expect(details()).toEqual([{ [IDEMPOTENCY_KEY_FIELD]: 'made-by-hand', n: 1 }]);
  });

  test('the option is checked: a misspelt name or a non-boolean value is refused when the client is made', () => {
    const make = (putEvents: object) => new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:9', putEvents });
    expect(() => make({ stampIdempotencyKeys: true })).toThrow("unknown option 'putEvents.stampIdempotencyKeys' (did you mean 'putEvents.stampIdempotencyKey'?)");
    expect(() => make({ stampIdempotencyKey: 'yes' })).toThrow("invalid stampIdempotencyKey 'yes': expected true or false");
  });
});
