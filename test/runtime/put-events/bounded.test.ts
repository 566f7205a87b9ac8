import { putEventsOver, TRANSPORTS } from './sdk';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { EventBridgeFaults } from '../../../src/local/eventbridge-faults';
import { EventEntry, EventSender, PutEventsFailure, PutEventsTransport } from '../../../src/runtime/put-events';

const event = (n: number): EventEntry => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });

async function sendWith(transport: PutEventsTransport, faults: EventBridgeFaults, options: { requestTimeoutMs: number; maxAttempts: number }) {
  const endpoint = await startEventBridgeEndpoint({ faults, dripIntervalMs: 100 });
  const over = putEventsOver(transport, endpoint.endpoint, { requestTimeoutMs: options.requestTimeoutMs });
  try {
    const sender = new EventSender(over.putEvents, { maxAttempts: options.maxAttempts, baseDelayMs: 1, maxDelayMs: 5 });
    const start = Date.now();
    const result = await sender.send([event(1), event(2)]);
    return { result, elapsedMs: Date.now() - start, endpoint };
  } finally {
    over.destroy();
    await endpoint.stop();
  }
}

describe.each(TRANSPORTS)('every wait is bounded, and every error keeps its cause (%s transport)', (transport) => {
  test.each(['stallResponse', 'dripResponse'] as const)(
    'an answer that %s settles within its attempts\' budget as a retried TimeoutError',
    async (fault) => {
      const { result, elapsedMs, endpoint } = await sendWith(transport, { [fault]: 1 }, { requestTimeoutMs: 500, maxAttempts: 3 });
      expect(endpoint.injected[fault]).toBe(3);
      for (const entry of result.entries as PutEventsFailure[]) {
        expect(entry.errorCode).toBe('TimeoutError');
        expect(entry.errorMessage).toBe('PutEvents request got no complete response within requestTimeoutMs (500 ms) (gave up after 3 attempts)');
        expect(entry.attempts).toBe(3);
      }
      // 3 attempts of 500 ms and two backoffs of at most 5 ms, plus scheduling slack.
      expect(elapsedMs).toBeGreaterThanOrEqual(1_500);
      expect(elapsedMs).toBeLessThan(3_500);
    },
  );

  test.each([
    ['emptyBody403', 403, 'AccessDeniedException', 1],
    ['emptyBody413', 413, 'RequestEntityTooLargeException', 1],
    ['emptyBody429', 429, 'ThrottlingException', 3],
  ] as const)('an empty-bodied answer (%s) keeps its status, and its code is derived from it', async (fault, status, code, attempts) => {
    const { result } = await sendWith(transport, { [fault]: 1 }, { requestTimeoutMs: 2_000, maxAttempts: 3 });
    const message = `HTTP ${status} with no error code in the response (${code} derived from the status)`;
    expect(result.entries).toEqual(new Array(2).fill({
      errorCode: code,
      errorMessage: attempts > 1 ? `${message} (gave up after ${attempts} attempts)` : message,
      attempts,
      httpStatusCode: status,
    }));
  });
});

describe('input is read once, when putEvents is called', () => {
  let endpoint: EventBridgeEndpoint;
  beforeEach(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterEach(() => endpoint.stop());

  test.each(TRANSPORTS)('changing the array or its entries after the call changes nothing sent or answered (%s)', async (transport) => {
    const over = putEventsOver(transport, endpoint.endpoint);
    const entries = Array.from({ length: 30 }, (_, n) => ({ ...event(n), detail: { n }, time: new Date('2024-05-01T00:00:00Z'), resources: ['arn:aws:s3:::a'] }));
    const pending = new EventSender(over.putEvents, { concurrency: 1 }).send(entries);
    entries.push({ ...entries[0], detail: { n: 99 } });
    entries[25].detail.n = -1;
    entries[26].time.setTime(0);
    entries[27].resources.push('arn:aws:s3:::b');
    entries.length = 28;
    const result = await pending;
    over.destroy();
    expect(result.entries).toHaveLength(30);
    expect(result.failedEntryCount).toBe(0);
    const sent = result.entries.map((e) => endpoint.accepted.get(e.eventId!)!);
    expect(sent.map((e) => JSON.parse(e.detail).n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(sent[26].time).toEqual(new Date('2024-05-01T00:00:00Z'));
    expect(sent[27].resources).toEqual(['arn:aws:s3:::a']);
  });

  test('an entry that throws when read is that entry\'s InvalidEntry; the others are sent', async () => {
    const over = putEventsOver('lean', endpoint.endpoint);
    const hostile = new Proxy({}, { get: () => { throw new TypeError('no\nway'); } }) as EventEntry;
    const entries = Array.from({ length: 200 }, (_, n) => (n === 150 ? hostile : event(n)));
    const result = await new EventSender(over.putEvents).send(entries);
    over.destroy();
    expect(result.failedEntryCount).toBe(1);
    expect(result.entries[150]).toEqual({
      errorCode: 'InvalidEntry',
      errorMessage: "entry 150: reading it threw 'TypeError: no\\nway': expected an entry whose fields can be read",
      attempts: 0,
    });
    expect(endpoint.acceptedCount).toBe(199);
  });
});
