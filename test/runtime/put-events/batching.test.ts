import { sdkPutEvents } from './sdk';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { seededRandom } from '../../../src/local/eventbridge-faults';
import { entrySize } from '../../../src/local/eventbridge-protocol';
import { EventEntry, EventSender, PutEventsFunction, PutEventsRequestEntry } from '../../../src/runtime/put-events';
import { batches } from '../../../src/runtime/put-events/batcher';

const items = (sizes: number[]) => sizes.map((size, id) => ({ id, size }));
const ids = (groups: Array<Array<{ id: number }>>) => groups.map((g) => g.map((i) => i.id));

describe('batches', () => {
  test('hold at most 10 entries', () => {
    const groups = [...batches(items(new Array(25).fill(1)))];
    expect(groups.map((g) => g.length)).toEqual([10, 10, 5]);
  });

  test('hold at most maxBytes, counting each entry once', () => {
    const groups = [...batches(items([100, 100, 100, 50, 300, 1]), { maxBytes: 300 })];
    expect(ids(groups)).toEqual([[0, 1, 2], [3], [4], [5]]);
  });

  test('an entry exactly at the limit fills a batch on its own', () => {
    expect(ids([...batches(items([1, 300, 1]), { maxBytes: 300 })])).toEqual([[0], [1], [2]]);
  });

  test('over many random sizes: never over either limit, never needlessly small, order kept', () => {
    const random = seededRandom(7);
    const sizes = Array.from({ length: 2000 }, () => 1 + Math.floor(random() * (random() < 0.1 ? 120_000 : 3_000)));
    const maxBytes = 256 * 1024;
    const groups = [...batches(items(sizes), { maxBytes })];

    expect(groups.flat().map((i) => i.id)).toEqual(sizes.map((_, id) => id));
    groups.forEach((group, g) => {
      const bytes = group.reduce((sum, i) => sum + i.size, 0);
      expect(group.length).toBeLessThanOrEqual(10);
      expect(bytes).toBeLessThanOrEqual(maxBytes);
      const next = groups[g + 1]?.[0];
      if (next) expect(group.length === 10 || bytes + next.size > maxBytes).toBe(true);
    });
  });
});

describe('the sender batches real requests', () => {
  let endpoint: EventBridgeEndpoint;
  afterEach(() => endpoint.stop());

  /** Wraps the SDK call to see each request as the endpoint will size it. */
  function observed(putEvents: PutEventsFunction) {
    const requests: PutEventsRequestEntry[][] = [];
    const send: PutEventsFunction = (entries) => {
      requests.push(entries);
      return putEvents(entries);
    };
    return { requests, send };
  }

  test('95 small events go out as 9 requests of 10 and one of 5, in order', async () => {
    endpoint = await startEventBridgeEndpoint();
    const { requests, send } = observed(sdkPutEvents(endpoint.endpoint).putEvents);
    const events: EventEntry[] = Array.from({ length: 95 }, (_, n) => ({ source: 'com.example', detailType: 'Tick', detail: { n } }));

    const result = await new EventSender(send, { concurrency: 1 }).send(events);

    expect(requests.map((r) => r.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(requests.flat().map((e) => JSON.parse(e.Detail).n)).toEqual(events.map((_, n) => n));
    expect(result.failedEntryCount).toBe(0);
    expect(endpoint.requests).toBe(10);
  });

  test('events of mixed sizes never make a request over maxRequestBytes, and the endpoint with the same limit takes them all', async () => {
    const maxRequestBytes = 4_000;
    endpoint = await startEventBridgeEndpoint({ maxRequestBytes });
    const { requests, send } = observed(sdkPutEvents(endpoint.endpoint).putEvents);
    const random = seededRandom(3);
    const events: EventEntry[] = Array.from({ length: 300 }, (_, n) => ({
      source: 'com.example',
      detailType: 'Sized',
      detail: { n, pad: 'é'.repeat(Math.floor(random() * 1_500)) },
      ...(n % 3 === 0 ? { time: new Date() } : {}),
    }));

    const result = await new EventSender(send, { maxRequestBytes }).send(events);

    for (const request of requests) {
      expect(request.length).toBeLessThanOrEqual(10);
      expect(request.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(maxRequestBytes);
    }
    expect(requests.length).toBeGreaterThan(30); // bytes, not count, decided most batches
    expect(endpoint.validationErrors).toBe(0);
    expect(result.failedEntryCount).toBe(0);
  });
});
