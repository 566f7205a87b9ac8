import { sdkPutEvents } from './sdk';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { EventEntry, EventSender, PutEventsFailure } from '../../../src/runtime/put-events';

const valid = (n: number): EventEntry => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });
const ORDER = { source: 'com.example.orders', detailType: 'OrderPlaced' };
const DETAIL_EXPECTED = 'expected a JSON object or a string holding one';
const BUS_EXPECTED =
  'expected a bus name of letters, digits and . - _ / (1 to 256 characters) or an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/name';
const TIME_EXPECTED = 'expected a valid Date or an RFC 3339 string such as 2024-05-01T12:00:00Z';
const big = { pad: 'x'.repeat(1_100_000) };

/** Each bad entry and what the caller is told about it; `@` stands for the entry's index. */
const BAD: Array<[string, unknown, string | RegExp]> = [
  ['not an object', null, '@: got null: expected an object with source, detailType and detail'],
  ['no source', { detailType: 'OrderPlaced', detail: {} }, '@: source is missing: expected a string of 1 to 256 characters'],
  ['empty source', { ...ORDER, source: '', detail: {} }, '@: source has 0 characters: expected 1 to 256'],
  ['source too long', { ...ORDER, source: 's'.repeat(257), detail: {} }, '@: source has 257 characters: expected 1 to 256'],
  ['source posing as AWS', { ...ORDER, source: 'aws.s3', detail: {} }, "@: source 'aws.s3' starts with 'aws.', which only AWS services may use: expected your own prefix such as com.example"],
  ['detailType too long', { ...ORDER, detailType: 'd'.repeat(129), detail: {} }, '@: detailType has 129 characters: expected 1 to 128'],
  ['detailType not a string', { ...ORDER, detailType: 7, detail: {} }, '@: detailType is a number: expected a string of 1 to 128 characters'],
  ['no detail', { ...ORDER }, `@: detail is missing: ${DETAIL_EXPECTED}`],
  ['detail an array', { ...ORDER, detail: [1, 2] }, `@: detail is an array: ${DETAIL_EXPECTED}`],
  ['detail null', { ...ORDER, detail: null }, `@: detail is null: ${DETAIL_EXPECTED}`],
  ['detail a number', { ...ORDER, detail: 42 }, `@: detail is a number: ${DETAIL_EXPECTED}`],
  ['detail string of invalid JSON', { ...ORDER, detail: '{"order": ' }, new RegExp(`^@: detail '\\{"order": ' is not valid JSON \\(.+\\): ${DETAIL_EXPECTED}$`)],
  ['detail string holding an array', { ...ORDER, detail: '[1,2]' }, "@: detail '[1,2]' holds an array: expected a JSON object"],
  ['detail that cannot be serialized', { ...ORDER, detail: { n: BigInt(1) } }, new RegExp(`^@: detail cannot be serialized to JSON \\(.+\\): ${DETAIL_EXPECTED}$`)],
  ['detail that serializes to a string', { ...ORDER, detail: new Date('2024-05-01T00:00:00Z') }, "@: detail's toJSON() gave a string: expected a plain object"],
  ['detail a Map (it would arrive as {})', { ...ORDER, detail: new Map([['orderId', 'o-1']]) }, `@: detail is a Map: ${DETAIL_EXPECTED}`],
  ['detail whose nested toJSON throws a long message with ESC, quoted bounded', { ...ORDER, detail: { a: { toJSON: () => { throw new Error(`\x1b[2J${'x'.repeat(5000)}`); } } } },
    `@: detail cannot be serialized to JSON ('\\x1b[2J${'x'.repeat(156)}...' (5004 characters)): ${DETAIL_EXPECTED}`],
  ['circular detail, the cycle message escaped', { ...ORDER, detail: (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })() },
    new RegExp(`^@: detail cannot be serialized to JSON \\('Converting circular structure to JSON\\\\n[^\\n]*'\\): ${DETAIL_EXPECTED}$`)],
  ['detail with a nested Map', { ...ORDER, detail: { items: new Map([['a', 1]]), tags: new Set(['x']) } }, '@: detail.items is a Map: expected JSON values only (JSON would send a Map or Set as {} and NaN or Infinity as null)'],
  ['detail with a nested Set in an array', { ...ORDER, detail: { lines: [{ ok: 1 }, { tags: new Set(['x']) }] } }, /^@: detail\.lines\[1\]\.tags is a Set: expected JSON values only/],
  ['detail with a WeakMap under an odd key', { ...ORDER, detail: { 'a b': new WeakMap() } }, /^@: detail\['a b'\] is a WeakMap: /],
  ['detail with a WeakSet', { ...ORDER, detail: { w: new WeakSet() } }, /^@: detail\.w is a WeakSet: /],
  ['detail with NaN', { ...ORDER, detail: { n: NaN } }, /^@: detail\.n is NaN: /],
  ['detail with -Infinity deep down', { ...ORDER, detail: { a: { b: [1, -Infinity] } } }, /^@: detail\.a\.b\[1\] is -Infinity: /],
  ['detail a Set', { ...ORDER, detail: new Set(['o-1']) }, `@: detail is a Set: ${DETAIL_EXPECTED}`],
  ['detail a class instance', { ...ORDER, detail: new (class Order { public id = 'o-1'; })() }, `@: detail is a Order: ${DETAIL_EXPECTED}`],
  ['detail whose toJSON gives an array', { ...ORDER, detail: { toJSON: () => [1] } }, "@: detail's toJSON() gave an array: expected a plain object"],
  ['time on a day that does not exist', { ...ORDER, detail: {}, time: '2024-02-30T00:00:00Z' },
    `@: time '2024-02-30T00:00:00Z' is not a date that exists (it would be read as 2024-03-01T00:00:00.000Z): ${TIME_EXPECTED}`],
  ['time at an hour that does not exist', { ...ORDER, detail: {}, time: '2024-05-01T24:30:00Z' }, new RegExp(`^@: time '2024-05-01T24:30:00Z' is not (a valid date|a date that exists .*): ${TIME_EXPECTED}$`)],
  ['time with a 61st second', { ...ORDER, detail: {}, time: '2024-05-01T12:00:61Z' }, new RegExp(`^@: time '2024-05-01T12:00:61Z' is not (a valid date|a date that exists .*): ${TIME_EXPECTED}$`)],
  ['eventBusName too long and with a newline, quoted bounded', { ...ORDER, detail: {}, eventBusName: `bus\n${'b'.repeat(300)}` },
    `@: eventBusName 'bus\\n${'b'.repeat(156)}...' (304 characters) is not valid: ${BUS_EXPECTED}`],
  ['time not a date', { ...ORDER, detail: {}, time: 'yesterday' }, `@: time 'yesterday' is not a valid date: ${TIME_EXPECTED}`],
  ['time an invalid Date', { ...ORDER, detail: {}, time: new Date('nope') }, `@: time is an invalid Date: ${TIME_EXPECTED}`],
  ['resources not an array', { ...ORDER, detail: {}, resources: 'arn:aws:s3:::bucket' }, '@: resources is a string: expected an array of ARNs'],
  ['resource not an ARN', { ...ORDER, detail: {}, resources: ['arn:aws:s3:::bucket', 'bucket'] }, "@: resources[1] 'bucket' is not an ARN: expected one such as arn:aws:s3:::my-bucket"],
  ['eventBusName with a space', { ...ORDER, detail: {}, eventBusName: 'my bus' }, `@: eventBusName 'my bus' is not valid: ${BUS_EXPECTED}`],
  ['eventBusName an ARN of something else', { ...ORDER, detail: {}, eventBusName: 'arn:aws:sqs:us-east-1:123456789012:q' }, `@: eventBusName 'arn:aws:sqs:us-east-1:123456789012:q' is not valid: ${BUS_EXPECTED}`],
  ['empty traceHeader', { ...ORDER, detail: {}, traceHeader: '' }, '@: traceHeader has 0 characters: expected 1 to 500'],
  [
    'entry over the request limit by itself',
    { ...ORDER, detail: big },
    // 18 (source) + 11 (detailType) + 300,010 ({"pad":"x...x"})
    `@: ${18 + 11 + 1_100_010} bytes as EventBridge counts them: expected at most 1048576 (maxRequestBytes), the most one request may carry`,
  ],
];

/** Valid entries that use every field, around the bad ones. */
const GOOD: EventEntry[] = [
  valid(0),
  {
    source: 'com.example.orders',
    detailType: '🚀'.repeat(128), // 128 characters, 256 UTF-16 code units
    detail: '{"n":1}',
    time: '2024-05-01T12:00:00Z',
    resources: ['arn:aws:s3:::bucket'],
    eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
    traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
  },
  { ...valid(2), time: new Date('2024-05-01T12:00:01Z'), eventBusName: 'orders' },
];

const entries: EventEntry[] = [...GOOD.slice(0, 2), ...BAD.map(([, entry]) => entry as EventEntry), GOOD[2]];
const badIndex = (i: number) => 2 + i;
const goodIndexes = [0, 1, entries.length - 1];

describe('entry validation', () => {
  let endpoint: EventBridgeEndpoint;
  beforeEach(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterEach(() => endpoint.stop());

  describe("with invalidEntries 'send-valid' (the default)", () => {
    let result: Awaited<ReturnType<EventSender['send']>>;
    beforeEach(async () => {
      result = await new EventSender(sdkPutEvents(endpoint.endpoint).putEvents).send(entries);
    });

    test.each(BAD.map(([name, , message], i) => [name, i, message] as const))('%s is refused with its reason', (_name, i, message) => {
      const index = badIndex(i);
      const outcome = result.entries[index] as PutEventsFailure;
      expect(outcome.errorCode).toBe('InvalidEntry');
      expect(outcome.attempts).toBe(0);
      if (typeof message === 'string') {
        expect(outcome.errorMessage).toBe(message.replace('@', `entry ${index}`));
      } else {
        expect(outcome.errorMessage).toMatch(new RegExp(message.source.replace('@', `entry ${index}`)));
      }
    });

    test('the valid entries of the same call are sent, with every field as given', () => {
      expect(result.failedEntryCount).toBe(BAD.length);
      expect(endpoint.acceptedCount).toBe(GOOD.length);
      const [plain, full, timed] = goodIndexes.map((i) => endpoint.accepted.get(result.entries[i].eventId!));
      expect(plain).toEqual({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: '{"n":0}' });
      expect(full).toEqual({
        source: 'com.example.orders',
        detailType: '🚀'.repeat(128),
        detail: '{"n":1}',
        time: new Date('2024-05-01T12:00:00Z'),
        resources: ['arn:aws:s3:::bucket'],
        eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
        traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
      });
      expect(timed).toEqual({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: '{"n":2}', time: new Date('2024-05-01T12:00:01Z'), eventBusName: 'orders' });
    });
  });

  test("with invalidEntries 'reject-all' nothing is sent and the valid entries say why", async () => {
    const sender = new EventSender(sdkPutEvents(endpoint.endpoint).putEvents, { invalidEntries: 'reject-all' });
    const result = await sender.send(entries);

    expect(endpoint.requests).toBe(0);
    expect(result.failedEntryCount).toBe(entries.length);
    expect(result.entries[badIndex(0)]).toEqual({ errorCode: 'InvalidEntry', errorMessage: `entry ${badIndex(0)}: got null: expected an object with source, detailType and detail`, attempts: 0 });
    for (const i of goodIndexes) {
      expect(result.entries[i]).toEqual({
        errorCode: 'NotSent',
        errorMessage: `not sent: ${BAD.length} of ${entries.length} entries are invalid (first: entry 2: got null: expected an object with source, detailType and detail) and invalidEntries is 'reject-all'`,
        attempts: 0,
      });
    }
  });

  test("with invalidEntries 'reject-all' a call of valid entries is sent whole", async () => {
    const sender = new EventSender(sdkPutEvents(endpoint.endpoint).putEvents, { invalidEntries: 'reject-all' });
    const result = await sender.send(GOOD);
    expect(result.failedEntryCount).toBe(0);
    expect(result.entries.map((e) => endpoint.accepted.get(e.eventId!)?.detail)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
  });

  test('the sender default eventBusName goes to entries that name no bus', async () => {
    const sender = new EventSender(sdkPutEvents(endpoint.endpoint).putEvents, { eventBusName: 'orders' });
    const result = await sender.send([valid(0), { ...valid(1), eventBusName: 'payments' }]);
    expect(result.entries.map((e) => endpoint.accepted.get(e.eventId!)?.eventBusName)).toEqual(['orders', 'payments']);
  });
});
