import { sdkPutEvents } from './sdk';
import { EventBridgeEndpoint, EventBridgeEndpointOptions, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { InputError } from '../../../src/runtime/errors';
import { EventEntry, EventSender, PutEventsFunction, PutEventsOptions } from '../../../src/runtime/put-events';

const events = (count: number, from = 0): EventEntry[] =>
  Array.from({ length: count }, (_, i) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: from + i } }));

/** Backoffs are recorded, not waited out, so retry tests run at network speed. */
function instantSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('EventSender', () => {
  let endpoint: EventBridgeEndpoint;
  const start = async (options?: EventBridgeEndpointOptions) => {
    endpoint = await startEventBridgeEndpoint(options);
    return sdkPutEvents(endpoint.endpoint).putEvents;
  };
  afterEach(() => endpoint?.stop());

  test('every event is acknowledged with the EventId the endpoint issued for it', async () => {
    const putEvents = await start();
    const input = events(57);
    const result = await new EventSender(putEvents).send(input);

    expect(result.failedEntryCount).toBe(0);
    expect(result.entries).toHaveLength(57);
    result.entries.forEach((entry, i) => {
      expect(endpoint.accepted.get(entry.eventId!)?.detail).toBe(JSON.stringify(input[i].detail));
    });
  });

  test('an empty call sends nothing', async () => {
    const putEvents = await start();
    await expect(new EventSender(putEvents).send([])).resolves.toEqual({ failedEntryCount: 0, entries: [] });
    expect(endpoint.requests).toBe(0);
  });

  test('no more than `concurrency` requests are in flight at once, and that many are used', async () => {
    const putEvents = await start();
    let inFlight = 0;
    let most = 0;
    const counting: PutEventsFunction = async (entries) => {
      most = Math.max(most, ++inFlight);
      try {
        return await putEvents(entries);
      } finally {
        inFlight--;
      }
    };
    const result = await new EventSender(counting, { concurrency: 3 }).send(events(200));
    expect(result.failedEntryCount).toBe(0);
    expect(most).toBe(3);
  });

  test('only the throttled entries of a batch are sent again, and each event arrives once', async () => {
    const putEvents = await start({ faults: { throttleEntry: 0.3 }, seed: 11 });
    const sent: number[] = [];
    const watching: PutEventsFunction = (entries) => {
      sent.push(entries.length);
      return putEvents(entries);
    };
    const { sleep } = instantSleep();
    const result = await new EventSender(watching, { sleep, maxAttempts: 20 }).send(events(100));

    expect(result.failedEntryCount).toBe(0);
    expect(endpoint.injected.throttleEntry).toBeGreaterThan(0);
    // Each throttled entry was carried once more; nothing that had been accepted was resent.
    expect(sent.reduce((a, b) => a + b, 0)).toBe(100 + endpoint.injected.throttleEntry);
    expect(endpoint.acceptedCount).toBe(100);
  });

  test('retries back off exponentially with full jitter up to maxDelayMs, then give up naming the last error', async () => {
    const putEvents = await start({ faults: { throttleRequest: 1 } });
    const { delays, sleep } = instantSleep();
    const sender = new EventSender(putEvents, { sleep, random: () => 0.5, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, concurrency: 1 });

    const result = await sender.send(events(3));

    // half (random 0.5) of min(250, 100 * 2^(n-1)) before retries 1, 2, 3
    expect(delays).toEqual([50, 100, 125]);
    expect(endpoint.requests).toBe(4);
    expect(result.entries).toEqual(
      new Array(3).fill({ errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded (gave up after 4 attempts)', attempts: 4, httpStatusCode: 400 }),
    );
  });

  test.each([
    ['500 InternalFailure', { internalFailure: 1 }, { errorCode: 'InternalFailure' }],
    ['503 ServiceUnavailable', { serviceUnavailable: 1 }, { errorCode: 'ServiceUnavailable' }],
    // Node reports ECONNRESET; the SDK renames it TimeoutError, and under Jest keeps only the text.
    ['a dropped connection', { dropBeforeRecording: 1 }, { errorMessage: 'socket hang up (gave up after 2 attempts)' }],
  ])('%s is retried', async (_name, faults, failure) => {
    const putEvents = await start({ faults });
    const result = await new EventSender(putEvents, { sleep: instantSleep().sleep, maxAttempts: 2 }).send(events(1));
    expect(endpoint.requests).toBe(2);
    expect(result.entries[0]).toMatchObject({ ...failure, attempts: 2 });
    expect(endpoint.acceptedCount).toBe(0);
  });

  test('a request the service refuses as invalid fails its whole batch at once, without retries', async () => {
    // The endpoint takes less than the sender was told, as a service with a lower limit would.
    const putEvents = await start({ maxRequestBytes: 500 });
    const big = events(4).map((e) => ({ ...e, detail: { pad: 'x'.repeat(300) } }));
    const result = await new EventSender(putEvents, { maxRequestBytes: 2_000, sleep: instantSleep().sleep }).send(big);

    expect(endpoint.requests).toBe(1);
    expect(result.entries).toEqual(
      new Array(4).fill({ errorCode: 'ValidationException', errorMessage: 'Total size of the entries in the request is over the limit.', attempts: 1, httpStatusCode: 400 }),
    );
  });

  test('an entry the service refuses is final and does not hold back the rest of its batch', async () => {
    const putEvents = await start();
    // One entry is spoiled on its way out, so the endpoint refuses it as the service would.
    const refused: PutEventsFunction = (entries) => putEvents(entries.map((e, i) => (i === 1 ? { ...e, DetailType: 'd'.repeat(129) } : e)));
    const result = await new EventSender(refused, { sleep: instantSleep().sleep }).send(events(3));

    expect(result.entries[1]).toEqual({
      errorCode: 'InvalidArgument',
      errorMessage: 'Parameter DetailType is not valid. Reason: DetailType exceeds 128 characters.',
      attempts: 1,
    });
    expect(endpoint.accepted.get(result.entries[0].eventId!)?.detail).toBe('{"n":0}');
    expect(endpoint.accepted.get(result.entries[2].eventId!)?.detail).toBe('{"n":2}');
    expect(endpoint.requests).toBe(1);
  });

  test('a response with fewer entries than the request acknowledges none of them, though they arrived', async () => {
    const putEvents = await start();
    const truncating: PutEventsFunction = async (entries) => {
      const response = await putEvents(entries);
      return { ...response, Entries: response.Entries?.slice(1) };
    };
    const result = await new EventSender(truncating).send(events(10));

    expect(endpoint.acceptedCount).toBe(10);
    expect(result.failedEntryCount).toBe(10);
    for (const entry of result.entries) {
      expect(entry).toEqual({
        errorCode: 'InvalidResponse',
        errorMessage: 'response has 9 entries for a request of 10: expected one per request entry, so none is acknowledged',
        attempts: 1,
      });
    }
  });

  test('an answer after a dropped connection is never invented: lost answers are retried, duplicates are possible, losses are not', async () => {
    const putEvents = await start({ faults: { dropAfterRecording: 0.5 }, seed: 5 });
    const input = events(200);
    const result = await new EventSender(putEvents, { sleep: instantSleep().sleep, maxAttempts: 30 }).send(input);

    expect(endpoint.injected.dropAfterRecording).toBeGreaterThan(0);
    expect(result.failedEntryCount).toBe(0);
    result.entries.forEach((entry, i) => expect(endpoint.accepted.get(entry.eventId!)?.detail).toBe(JSON.stringify(input[i].detail)));
    expect(endpoint.acceptedCount).toBeGreaterThan(200);
  });

  test('entries must be an array', async () => {
    const putEvents = await start();
    await expect(new EventSender(putEvents).send(null as unknown as EventEntry[])).rejects.toThrow(
      new InputError('entries is null: expected an array of events'),
    );
  });

  test.each<[PutEventsOptions, string]>([
    [{ concurrency: 0 }, 'concurrency 0 is not valid: expected a whole number, 1 or more'],
    [{ maxAttempts: 1.5 }, 'maxAttempts 1.5 is not valid: expected a whole number, 1 or more'],
    [{ maxRequestBytes: -1 }, "maxRequestBytes -1 is not valid: expected a whole number of bytes from 1024 to 1048576 (PutEvents' request limit)"],
    [{ maxRequestBytes: 10 }, 'maxRequestBytes 10 is not valid: expected a whole number of bytes from 1024 to 1048576'],
    [{ maxRequestBytes: 1e12 }, 'maxRequestBytes 1000000000000 is not valid: expected a whole number of bytes from 1024 to 1048576'],
    [{ baseDelayMs: -5 }, 'baseDelayMs -5 is not valid: expected a number of milliseconds, 0 or more'],
    [{ baseDelayMs: 100, maxDelayMs: 50 }, 'maxDelayMs 50 is not valid: expected a number of milliseconds, at least baseDelayMs (100)'],
    [{ invalidEntries: 'skip' as 'send-valid' }, "invalidEntries 'skip' is not valid: expected 'send-valid' or 'reject-all'"],
    [{ eventBusName: 'no spaces' }, "option eventBusName 'no spaces' is not valid: expected a bus name"],
  ])('option %j is refused when the sender is made', (options, message) => {
    const construct = () => new EventSender(async () => ({}), options);
    expect(construct).toThrow(InputError);
    expect(construct).toThrow(message);
  });
});
