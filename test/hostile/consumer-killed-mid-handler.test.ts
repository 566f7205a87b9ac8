import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { MemoryIdempotencyStore } from '../../src/runtime/routing/idempotency';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';
import { bundleChildScript, removeChildScript } from '../support/child-script';

jest.setTimeout(90_000);

const queue = useLoopbackQueue();
let script: string;
beforeAll(() => {
  script = bundleChildScript(join(__dirname, 'consumer-killed-child.ts'));
});
afterAll(() => removeChildScript(script));

/** Answers the child's store calls from `store`, counting them by operation. */
function serveStore(child: ChildProcess, store: MemoryIdempotencyStore, ops: Record<string, number>): void {
  child.on('message', (request: { n: number; op: 'claim' | 'complete' | 'release' | 'renew'; args: [string, number] }) => {
    ops[request.op] = (ops[request.op] ?? 0) + 1;
    const value = (store[request.op] as (id: string, ms: number) => unknown).apply(store, request.args);
    child.send({ n: request.n, value });
  });
}

describe('a consumer killed with SIGKILL in the middle of a handler', () => {
  test('its message is handled again on its first redelivery, although its claim was renewed', async () => {
    const store = new MemoryIdempotencyStore();
    const ops: Record<string, number> = {};
    await sendAll(queue.sqs, queue.queueUrl, [envelope('order-1', {})]);
    const child = spawn(process.execPath, [script, queue.endpoint.endpoint, queue.queueUrl], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    serveStore(child, store, ops);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await eventually(() => output.includes('started order-1'));
      // Two renewals (the heartbeat is every 666 ms): the claim is held past its first lease.
      await eventually(() => (ops.renew ?? 0) >= 2);
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    expect(store.claim('order-1', 1)).toBe('in-flight'); // the dead process's claim stands, for now

    const debug: string[] = [];
    const seen: number[] = [];
    const consumer = new QueueConsumer(queue.sqs, {
      queueUrl: queue.queueUrl,
      visibilityTimeoutSeconds: 2,
      waitTimeSeconds: 1,
      idempotency: { store },
      logger: { warn: () => undefined, error: () => undefined, debug: (m: string) => debug.push(m) },
    });
    consumer.onAny(() => {
      seen.push(consumer.stats().received);
    });
    consumer.start();
    await eventually(() => seen.length === 1, 20_000);
    await consumer.stop();
    // The first receive after the crash ran the handler: no delivery found the claim standing.
    expect(seen).toEqual([1]);
    expect(debug.filter((m) => m.includes('being handled by another delivery'))).toEqual([]);
    expect(queue.endpoint.depth(queue.name)).toEqual({ visible: 0, inFlight: 0 });
  });

  test('a handler longer than the lease never runs beside a repeat of its event', async () => {
    const store = new MemoryIdempotencyStore();
    let running = 0;
    let most = 0;
    let runs = 0;
    const options = { queueUrl: queue.queueUrl, visibilityTimeoutSeconds: 2, waitTimeSeconds: 1, concurrency: 1, idempotency: { store } };
    const make = () => new QueueConsumer(queue.sqs, options).onAny(async () => {
      runs++;
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 4_000)); // the lease is 1.83 s: renewed twice at least
      running--;
    });
    const first = make().start();
    const second = make().start();
    // The same event twice (a repeat from the bus), and the second consumer free to take it.
    await sendAll(queue.sqs, queue.queueUrl, [envelope('order-2', {}), envelope('order-2', {})]);
    const empty = () => queue.endpoint.depth(queue.name).inFlight === 0 && queue.endpoint.depth(queue.name).visible === 0;
    await eventually(() => runs === 1 && running === 0 && empty(), 30_000);
    await Promise.all([first.stop(), second.stop()]);
    expect(most).toBe(1);
    expect(runs).toBe(1);
    expect(first.stats().claimsRenewed + second.stats().claimsRenewed).toBeGreaterThanOrEqual(2);
  });
});
