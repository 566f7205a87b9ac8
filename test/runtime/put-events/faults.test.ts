import { putEventsOver, TRANSPORTS } from './sdk';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { FAULT_NAMES } from '../../../src/local/eventbridge-faults';
import { EventEntry, EventSender, PutEventsFailure, PutEventsResult } from '../../../src/runtime/put-events';

const EVENTS = 5_000;
const MAX_ATTEMPTS = 4;
/** Every 250th event is too big for the endpoint's limit, though not for the sender's. */
const isBig = (n: number) => n % 250 === 7;
const REQUEST_TIMEOUT_MS = 400;
/** Empty-bodied refusals are final: their code comes from the status, and the message names it. */
const FINAL_EMPTY: Record<string, number> = { AccessDeniedException: 403, RequestEntityTooLargeException: 413 };

describe.each(TRANSPORTS)('5,000 events over the %s transport against an endpoint that injects every fault', (transport) => {
  let endpoint: EventBridgeEndpoint;
  let input: EventEntry[];
  let result: PutEventsResult;
  let destroy: () => void;
  let elapsedMs: number;

  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint({
      seed: 2024,
      // 64 KiB: requests the sender builds up to 256 KiB around a big event are refused whole.
      maxRequestBytes: 64 * 1024,
      faults: {
        throttleRequest: 0.04,
        internalFailure: 0.03,
        serviceUnavailable: 0.03,
        dropBeforeRecording: 0.03,
        dropAfterRecording: 0.03,
        stallResponse: 0.004,
        dripResponse: 0.004,
        emptyBody403: 0.005,
        emptyBody413: 0.005,
        emptyBody429: 0.02,
        throttleEntry: 0.05,
        failEntry: 0.03,
      },
      dripIntervalMs: 50,
    });
    input = Array.from({ length: EVENTS }, (_, n) => ({
      source: `com.example.shop${n % 7}`,
      detailType: n % 2 ? 'OrderPlaced' : 'OrderShipped',
      detail: isBig(n) ? { n, pad: 'x'.repeat(70_000) } : { n, sku: `sku-${n}` },
    }));
    const over = putEventsOver(transport, endpoint.endpoint, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
    destroy = over.destroy;
    const sender = new EventSender(over.putEvents, { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 1, maxDelayMs: 10 });
    const start = Date.now();
    result = await sender.send(input);
    elapsedMs = Date.now() - start;
  }, 120_000);
  afterAll(async () => {
    destroy();
    await endpoint.stop();
  });

  test('stalled and dripping answers time out and are retried, so the call settles', () => {
    expect(endpoint.injected.stallResponse + endpoint.injected.dripResponse).toBeGreaterThan(0);
    // Each stall costs one request timeout; none holds the call for long.
    expect(elapsedMs).toBeLessThan(60_000);
  });

  test('every fault was injected, over-limit requests included', () => {
    for (const fault of FAULT_NAMES) expect(endpoint.injected[fault]).toBeGreaterThan(0);
    expect(endpoint.validationErrors).toBeGreaterThanOrEqual(EVENTS / 250);
  });

  test('there is one result per input, in input order, and the count of failures adds up', () => {
    expect(result.entries).toHaveLength(EVENTS);
    const failed = result.entries.filter((e) => e.errorCode !== undefined).length;
    expect(result.failedEntryCount).toBe(failed);
    expect(failed).toBeLessThan(EVENTS / 10);
  });

  test('every EventId was issued by the endpoint for the very event at that position', () => {
    const acknowledged = result.entries.map((entry, n) => [entry.eventId, n] as const).filter(([id]) => id !== undefined);
    expect(acknowledged.length).toBeGreaterThan(EVENTS * 0.9);
    for (const [eventId, n] of acknowledged) {
      const arrived = endpoint.accepted.get(eventId!);
      expect(arrived).toEqual({ source: input[n].source, detailType: input[n].detailType, detail: JSON.stringify(input[n].detail) });
    }
    expect(new Set(acknowledged.map(([id]) => id)).size).toBe(acknowledged.length);
    // Answers lost after recording were retried: the endpoint holds duplicates, not gaps.
    expect(endpoint.acceptedCount).toBeGreaterThan(acknowledged.length);
  });

  test('an event fails only with a final error or after its retries ran out', () => {
    const bigIndexes = input.map((_, n) => n).filter(isBig);
    result.entries.forEach((entry, n) => {
      if (entry.eventId !== undefined) return;
      const failure = entry as PutEventsFailure;
      if (failure.errorCode in FINAL_EMPTY) {
        // final at once: not retried after the refusal (earlier attempts may have been throttled)
        expect(failure.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
        expect(failure.errorMessage).not.toMatch(/gave up/);
        expect(failure.httpStatusCode).toBe(FINAL_EMPTY[failure.errorCode]);
        expect(failure.errorMessage).toBe(`HTTP ${FINAL_EMPTY[failure.errorCode]} with no error code in the response (${failure.errorCode} derived from the status)`);
      } else if (failure.errorCode === 'ValidationException') {
        // refused whole because it shared a request with a big event
        expect(bigIndexes.some((big) => Math.abs(big - n) < 10)).toBe(true);
        expect(failure.errorMessage).toBe('Total size of the entries in the request is over the limit.');
      } else {
        expect(failure.attempts).toBe(MAX_ATTEMPTS);
        expect(failure.errorMessage).toMatch(/ \(gave up after 4 attempts\)$/);
      }
    });
    for (const big of bigIndexes) expect(result.entries[big].errorCode).toBe('ValidationException');
  });
});
