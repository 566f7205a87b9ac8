// The HTTP receiver and the producer's idempotency key, over loopback HTTP: the key is taken out
// of detail (handlers see detail as sent) and exposed as event.idempotencyKey; with idempotency on,
// the same event under two ids (a global endpoint's replica) runs once; keyOf derives a key for
// other producers, and whatever it does wrong fails the delivery rather than fall back to the id.
import { API_KEY, delivery, post, serve, TestServer } from './support';
import { createReceiver, IDEMPOTENCY_KEY_FIELD, ReceivedEvent, ReceiverOptions } from '../../../src/runtime';

const KEY = '5f0c1e2a-3b4c-4d5e-8f60-718293a4b5c6';
const ID_PRIMARY = '6a7e8feb-b491-4cf7-a9f1-bf3703467718';
const ID_REPLICA = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A receiver on loopback whose one handler records what it saw; its error log too. */
async function receiving(options: Partial<ReceiverOptions> = {}): Promise<{ seen: ReceivedEvent<any>[]; errors: string[] }> {
  const seen: ReceivedEvent<any>[] = [];
  const errors: string[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, logger: { warn: () => undefined, error: (m: string) => errors.push(m) }, ...options });
  receiver.on('OrderPlaced', (event) => {
    seen.push(event);
  });
  server = await serve(receiver.handle);
  return { seen, errors };
}

const twice = async (first: object, second: object) => [await post(server!.url, first), await post(server!.url, second)];

test('the same event under two ids, carrying one key, runs its handler once; the handler sees detail as sent', async () => {
  const { seen } = await receiving({ idempotency: true });
  const detail = { orderId: 'o-1', lines: [{ sku: 'a' }] };
  const [first, second] = await twice(
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, ...detail }, { id: ID_PRIMARY, region: 'us-east-1' }),
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, ...detail }, { id: ID_REPLICA, region: 'us-west-2' }),
  );
  expect(first).toEqual({ status: 200, body: { status: 'handled', id: ID_PRIMARY, detailType: 'OrderPlaced' } });
  expect(second).toEqual({ status: 200, body: { status: 'repeat', id: ID_REPLICA, detailType: 'OrderPlaced' } });
  expect(seen).toHaveLength(1);
  expect(seen[0].detail).toEqual(detail);
  expect(seen[0].idempotencyKey).toBe(KEY);
  expect(IDEMPOTENCY_KEY_FIELD in (seen[0].raw.detail as object)).toBe(false);
});

test('without idempotency the key is still taken out of detail and handed over; every delivery runs', async () => {
  const { seen } = await receiving();
  await twice(
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-1' }, { id: ID_PRIMARY }),
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-1' }, { id: ID_REPLICA }),
  );
  expect(seen.map((e) => [e.id, e.idempotencyKey, e.detail])).toEqual([[ID_PRIMARY, KEY, { orderId: 'o-1' }], [ID_REPLICA, KEY, { orderId: 'o-1' }]]);
});

test('events without a key are deduplicated on their id, as before; a nested _idempotencyKey is the sender\'s data', async () => {
  const { seen } = await receiving({ idempotency: true });
  const nested = { inner: { [IDEMPOTENCY_KEY_FIELD]: KEY } };
  await twice(delivery('OrderPlaced', nested, { id: ID_PRIMARY }), delivery('OrderPlaced', nested, { id: ID_PRIMARY }));
  await post(server!.url, delivery('OrderPlaced', nested, { id: ID_REPLICA }));
  expect(seen.map((e) => e.id)).toEqual([ID_PRIMARY, ID_REPLICA]);
  expect(seen[0].detail).toEqual(nested);
  expect(seen[0].idempotencyKey).toBeUndefined();
});

test('keyOf derives the key of producers that give none; given, it decides over the stamped key', async () => {
  const { seen } = await receiving({ idempotency: { keyOf: (e: ReceivedEvent<any>) => `order:${e.detail.orderId}` } });
  await twice(delivery('OrderPlaced', { orderId: 'o-1' }, { id: ID_PRIMARY }), delivery('OrderPlaced', { orderId: 'o-1' }, { id: ID_REPLICA }));
  // One stamped key, two orders: keyOf says they differ.
  await twice(
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-2' }, { id: 'id-3' }),
    delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: KEY, orderId: 'o-3' }, { id: 'id-4' }),
  );
  expect(seen.map((e) => e.detail.orderId)).toEqual(['o-1', 'o-2', 'o-3']);
});

describe('a keyOf that fails, or a key field receivers cannot use, fails the delivery (500, retried), never falls back to the id', () => {
  const EXPECTED = 'expected a string of 1 to 256 printable characters';
  const CASES: Array<[string, (e: ReceivedEvent<any>) => unknown, string]> = [
    ['throws, its message bounded and escaped', () => { throw new Error(`db\n${'x'.repeat(400)}`); },
      `idempotency keyOf threw on event '${ID_PRIMARY}': 'db\\n${'x'.repeat(157)}...' (403 characters): expected it to answer the event's key`],
    ['throws a non-Error', () => { throw Object.create(null); }, `idempotency keyOf threw on event '${ID_PRIMARY}': 'a thrown value that cannot be shown as text': expected it to answer the event's key`],
    ['reads a field that is not there', (e) => e.detail.missing.orderId, `idempotency keyOf threw on event '${ID_PRIMARY}': 'Cannot read properties of undefined (reading \\'orderId\\')': expected it to answer the event's key`],
    ['answers a number', (e) => e.detail.n, `keyOf on event '${ID_PRIMARY}': invalid idempotency key '7' (a number): ${EXPECTED}`],
    ['answers undefined', (e) => e.detail.orderId, `keyOf on event '${ID_PRIMARY}': invalid idempotency key undefined: ${EXPECTED}`],
    ['answers an empty string', () => '', `keyOf on event '${ID_PRIMARY}': invalid idempotency key '': ${EXPECTED}, got 0`],
    ['answers 300 characters', () => 'k'.repeat(300), `keyOf on event '${ID_PRIMARY}': invalid idempotency key '${'k'.repeat(160)}...' (300 characters): ${EXPECTED}, got 300`],
    ['answers a control character', () => 'o-1\r\n', `keyOf on event '${ID_PRIMARY}': invalid idempotency key 'o-1\\r\\n': ${EXPECTED} (U+000d at character 3 is not one)`],
    ['answers a promise', async () => 'o-1', `idempotency keyOf answered a promise on event '${ID_PRIMARY}': expected the key itself, a string (keyOf runs before the claim, synchronously)`],
  ];
  test.each(CASES)('keyOf %s', async (_name, keyOf, message) => {
    const { seen, errors } = await receiving({ idempotency: { keyOf: keyOf as (e: ReceivedEvent) => string } });
    const answer = await post(server!.url, delivery('OrderPlaced', { n: 7 }, { id: ID_PRIMARY }));
    expect(answer).toEqual({ status: 500, body: { error: 'InvalidIdempotencyKey', message } });
    expect(seen).toHaveLength(0);
    expect(errors).toEqual([`idempotency key of event ${ID_PRIMARY} (detail-type 'OrderPlaced'): ${message}`]);
  });

  const FIELDS: Array<[string, unknown, string]> = [
    ['a number', 42, `invalid detail._idempotencyKey '42' (a number): ${EXPECTED}`],
    ['an empty string', '', `invalid detail._idempotencyKey '': ${EXPECTED}, got 0`],
    ['an object', { key: KEY }, `invalid detail._idempotencyKey an object: ${EXPECTED}`],
    ['null', null, `invalid detail._idempotencyKey null: ${EXPECTED}`],
  ];
  test.each(FIELDS)('a _idempotencyKey field holding %s', async (_name, value, problem) => {
    const { seen } = await receiving({ idempotency: true });
    const answer = await post(server!.url, delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: value, orderId: 'o-1' }, { id: ID_PRIMARY }));
    expect(answer).toEqual({ status: 500, body: { error: 'InvalidIdempotencyKey', message: `event '${ID_PRIMARY}': ${problem}` } });
    expect(seen).toHaveLength(0);
  });

  test('the same field without idempotency is taken out of detail (the name is reserved) and the handler runs', async () => {
    const { seen } = await receiving();
    await post(server!.url, delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: 42, orderId: 'o-1' }));
    expect(seen.map((e) => [e.detail, e.idempotencyKey])).toEqual([[{ orderId: 'o-1' }, undefined]]);
  });

  test('a keyOf given decides, so a bad field beside it does not fail the delivery', async () => {
    const { seen } = await receiving({ idempotency: { keyOf: (e: ReceivedEvent<any>) => e.detail.orderId } });
    expect((await post(server!.url, delivery('OrderPlaced', { [IDEMPOTENCY_KEY_FIELD]: 42, orderId: 'o-1' }))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});

test('keyOf is checked when the receiver is made: not a function, or misspelt', () => {
  expect(() => createReceiver({ apiKey: API_KEY, idempotency: { keyOf: 'orderId' as never } })).toThrow("invalid idempotency keyOf 'string': expected a function (event) => string");
  expect(() => createReceiver({ apiKey: API_KEY, idempotency: { keyof: () => 'k' } as never })).toThrow("unknown receiver option 'idempotency.keyof' (did you mean 'idempotency.keyOf'?)");
});
