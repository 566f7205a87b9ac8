// Callers that never await putEvent, against an endpoint that does not keep up: the calls waiting
// for buffer room are bounded in number, not only by maxBufferWaitMs.
import type { PutEventError } from '../../src/runtime';
import { PutEventsPipeline } from '../../src/runtime/producer/pipeline';
import type { PutEventsFunction } from '../../src/runtime/put-events/types';

const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });

test('past maxBufferWaiters, new calls are refused at once with BufferFull, and the count of waiting calls stays at the bound', async () => {
  // An endpoint that holds every request until the test lets it go.
  const held: Array<() => void> = [];
  const putEvents: PutEventsFunction = (entries) => new Promise((resolve) => {
    held.push(() => resolve({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `id-${held.length}-${i}` })) }));
  });
  const pipeline = new PutEventsPipeline(putEvents, {
    putEvents: { concurrency: 2 },
    producer: { maxBufferedEvents: 100, maxBufferWaiters: 500, flushWindowMs: 1 },
  });
  const refused: PutEventError[] = [];
  let acknowledged = 0;
  let highest = 0;
  // 20 rounds of 1,000 calls nobody awaits, far more than 2 requests in flight can take.
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 1000; i++) {
      pipeline.producer.putEvent(order(round * 1000 + i)).then(() => acknowledged++, (e: PutEventError) => refused.push(e));
    }
    await new Promise((resolve) => setImmediate(resolve));
    highest = Math.max(highest, pipeline.stats.snapshot().bufferWaiters);
  }
  const stats = pipeline.stats.snapshot();
  expect(highest).toBe(500);
  expect(stats.bufferWaiters).toBe(500);
  expect(stats.bufferedEvents).toBe(100);
  // 20 in 2 requests in flight, 100 buffered, 500 waiting: the other 19,380 refused at once.
  expect(refused).toHaveLength(20_000 - 20 - 100 - 500);
  expect(stats.refusedWaiters).toBe(refused.length);
  for (const e of refused) {
    expect(e.errorCode).toBe('BufferFull');
    expect(e.attempts).toBe(0);
  }
  expect(refused[0].message).toBe('not sent: the buffer is full (100 of 100 events, 3720 of 16777216 bytes) and 500 calls already wait for room (maxBufferWaiters 500): expected callers to await putEvent, the endpoint to keep up, or a larger buffer');

  // Once the endpoint answers, every call that was let in is acknowledged; nothing is lost.
  const release = setInterval(() => held.splice(0).forEach((answer) => answer()), 1);
  await pipeline.flush();
  clearInterval(release);
  expect(acknowledged).toBe(620);
  expect(pipeline.stats.snapshot().bufferWaiters).toBe(0);
  await pipeline.close({ deadlineMs: 100 });
});
