import { monitorEventLoopDelay } from 'node:perf_hooks';
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';

jest.setTimeout(120_000);

const queue = useLoopbackQueue();

/** Blocks the event loop for `ms`: the load that makes a timer fire late. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

describe('a consumer at a 2 s visibility timeout under load', () => {
  test('500 messages with handlers of a few hundred ms (some past the timeout) are each handled once', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => `e-${i}`);
    await sendAll(queue.sqs, queue.queueUrl, ids.map((id, i) => envelope(id, { i })));
    const calls = new Map<string, number>();
    const consumer = new QueueConsumer(queue.sqs, { queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 2, waitTimeSeconds: 1, concurrency: 40 });
    consumer.on<{ i: number }>('OrderPlaced', async (event) => {
      calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
      // Most a few hundred ms; every 25th runs past the visibility timeout and needs extensions.
      const ms = event.detail.i % 25 === 0 ? 2_600 : 150 + (event.detail.i % 7) * 50;
      busy(15); // some work on the event loop itself, 40 handlers at once
      await new Promise((r) => setTimeout(r, ms));
    });
    // The loop's longest stall decides whether an extension can still come in time (below).
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    consumer.start();
    // Load beside the consumer: the event loop is blocked 120 ms out of every 300.
    const load = setInterval(() => busy(120), 300);
    try {
      await eventually(() => calls.size === 500 && consumer.handlersInFlight === 0, 90_000);
      // Give any message that would reappear the time to do so (two visibility timeouts).
      await new Promise((r) => setTimeout(r, 4_500));
    } finally {
      clearInterval(load);
      loopDelay.disable();
    }
    await consumer.stop();

    const repeats = [...calls.values()].filter((c) => c > 1).length;
    expect(calls.size).toBe(500);
    expect(consumer.stats().extensions).toBeGreaterThanOrEqual(20); // the long ones were extended
    // A message is first extended one heartbeat interval (667 ms) after its receive, with 1,333 ms
    // of its 2 s visibility to spare. The loopback SQS runs on this event loop too, so a refusal
    // takes stalls that eat that spare time: the receive's answer read late plus the heartbeat's
    // timer fired late, two stalls of at least 1,333 ms together. Under a machine that lets the
    // loop run, none is refused; when one is, the loop must have stalled for over 600 ms.
    // A repeat (no idempotency here) needs the same: a message whose extension came after its
    // visibility ended. So with no stall over 600 ms there is none; a machine that starves the
    // whole process (other work on its 2 cores) can stall it past that, and then a repeat is
    // at-least-once delivery doing its job, not a late heartbeat.
    const longestStallMs = loopDelay.max / 1e6;
    if (consumer.stats().extensionsRefused > 0 || repeats > 0) expect(longestStallMs).toBeGreaterThan(600);
    expect(queue.endpoint.depth(queue.name)).toEqual({ visible: 0, inFlight: 0 });
  });
});
