import { createReceiver, IdempotencyStore, MemoryIdempotencyStore } from '../../../src/runtime';
import { Deduplicator } from '../../../src/runtime/routing/idempotency';
import { API_KEY, delivery, post, serve } from '../receiver/support';

describe('MemoryIdempotencyStore', () => {
  test('claimed, then in flight for its lease, seen for its window once completed, forgotten after', () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now });
    expect(store.claim('e-1', 100)).toBe('claimed');
    expect(store.claim('e-1', 100)).toBe('in-flight');
    store.complete('e-1', 1_000);
    expect(store.claim('e-1', 100)).toBe('seen');
    now = 1_001;
    expect(store.claim('e-1', 100)).toBe('claimed');
  });

  test('a released claim can be claimed again; an expired lease (a crashed handler) too', () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now });
    store.claim('e-1', 100);
    store.release('e-1');
    expect(store.claim('e-1', 100)).toBe('claimed');
    now = 101;
    expect(store.claim('e-1', 100)).toBe('claimed');
  });

  test('renew moves the end of a standing claim only: not a completed id, not a claim that ended', () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now });
    store.claim('e-1', 100);
    now = 90;
    store.renew('e-1', 100);
    now = 180;
    expect(store.claim('e-1', 100)).toBe('in-flight'); // renewed at 90 until 190
    now = 191;
    store.renew('e-1', 100); // ended at 190: a crashed holder's claim is not revived
    expect(store.claim('e-1', 100)).toBe('claimed');
    store.complete('e-1', 1_000);
    store.renew('e-1', 5);
    now = 1_000;
    expect(store.claim('e-1', 100)).toBe('seen');
  });

  test('bounded: beyond maxEntries the oldest ids are forgotten first', () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 1000 });
    for (let i = 0; i < 5000; i++) store.complete(`e-${i}`, 60_000);
    expect(store.size).toBe(1000);
    expect(store.claim('e-4999', 100)).toBe('seen');
    expect(store.claim('e-0', 100)).toBe('claimed');
  });

  test('refuses a bad bound', () => {
    expect(() => new MemoryIdempotencyStore({ maxEntries: 0 })).toThrow("invalid maxEntries '0': expected a positive whole number");
  });
});

describe('Deduplicator', () => {
  const handled = async () => ({ kind: 'handled' as const });

  test('a failed dispatch leaves no mark; a store that throws fails the delivery rather than skip the handler', async () => {
    const dedupe = new Deduplicator();
    expect(await dedupe.run('e-1', async () => ({ kind: 'failed', error: new Error('x') }))).toMatchObject({ kind: 'failed' });
    expect(await dedupe.run('e-1', handled)).toEqual({ kind: 'handled' });
    expect(await dedupe.run('e-1', handled)).toEqual({ kind: 'repeat' });

    const broken: IdempotencyStore = { claim: () => Promise.reject(new Error('db down')), complete: () => undefined, release: () => undefined };
    let ran = false;
    const outcome = await new Deduplicator({ store: broken }).run('e-2', async () => {
      ran = true;
      return { kind: 'handled' };
    });
    expect(outcome).toMatchObject({ kind: 'failed' });
    expect(ran).toBe(false);
  });

  test('renew goes to the store with the lease, and reports whether the store could', async () => {
    const renewed: [string, number][] = [];
    const store: IdempotencyStore = { claim: () => 'claimed', complete: () => undefined, release: () => undefined, renew: (id, ms) => void renewed.push([id, ms]) };
    const deduplicator = new Deduplicator({ store, leaseMs: 1_500 });
    expect(deduplicator.renews).toBe(true);
    expect(await deduplicator.renew('e-1')).toBe(true);
    expect(renewed).toEqual([['e-1', 1_500]]);
    const failing = new Deduplicator({ store: { ...store, renew: () => Promise.reject(new Error('db down')) } });
    expect(await failing.renew('e-1')).toBe(false);
    const without = new Deduplicator({ store: { claim: () => 'claimed', complete: () => undefined, release: () => undefined } });
    expect(without.renews).toBe(false);
    expect(await without.renew('e-1')).toBe(false);
  });

  test('events without an id always run', async () => {
    const dedupe = new Deduplicator();
    expect(await dedupe.run('', handled)).toEqual({ kind: 'handled' });
    expect(await dedupe.run('', handled)).toEqual({ kind: 'handled' });
  });
});

describe('the HTTP receiver with idempotency', () => {
  test('a repeat is answered 200 without calling the handler; a concurrent one 409 (EventBridge retries it); a failure is retried', async () => {
    const calls: string[] = [];
    let release!: () => void;
    let fail = true;
    const receiver = createReceiver({ apiKey: API_KEY, idempotency: { windowMs: 60_000 } });
    receiver.on<{ orderId: string }>('OrderPlaced', async (event) => {
      calls.push(event.detail.orderId);
      if (event.detail.orderId === 'slow') await new Promise<void>((r) => (release = r));
      if (event.detail.orderId === 'flaky' && fail) {
        fail = false;
        throw new Error('once');
      }
    });
    const server = await serve(receiver.handle);
    try {
      const first = await post(server.url, delivery('OrderPlaced', { orderId: 'o-1' }, { id: 'a' }));
      const repeat = await post(server.url, delivery('OrderPlaced', { orderId: 'o-1' }, { id: 'a' }));
      expect([first.status, repeat.status, repeat.body.status]).toEqual([200, 200, 'repeat']);

      const slow = post(server.url, delivery('OrderPlaced', { orderId: 'slow' }, { id: 'b' }));
      await new Promise((r) => setTimeout(r, 100));
      const concurrent = await post(server.url, delivery('OrderPlaced', { orderId: 'slow' }, { id: 'b' }));
      expect(concurrent).toMatchObject({ status: 409, body: { error: 'InFlight' } });
      release();
      expect((await slow).status).toBe(200);

      const failed = await post(server.url, delivery('OrderPlaced', { orderId: 'flaky' }, { id: 'c' }));
      const retried = await post(server.url, delivery('OrderPlaced', { orderId: 'flaky' }, { id: 'c' }));
      expect([failed.status, retried.status, retried.body.status]).toEqual([500, 200, 'handled']);
      expect(calls).toEqual(['o-1', 'slow', 'flaky', 'flaky']);
    } finally {
      await server.close();
    }
  });
});
