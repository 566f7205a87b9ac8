import { toReceivedEvent } from '../../../src/runtime/routing/event';
import { Router } from '../../../src/runtime/routing/router';

function orderPlaced() {
  const parsed = toReceivedEvent({ 'id': 'e-1', 'source': 'com.example.orders', 'detail-type': 'OrderPlaced', 'detail': { orderId: 'o-1' } });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.event;
}

describe('Router.dispatch', () => {
  test('handlers that return without a promise settle in the same turn, in order, typed before onAny', () => {
    const calls: string[] = [];
    const router = new Router();
    router.on('OrderPlaced', () => void calls.push('first'));
    router.on('OrderPlaced', () => void calls.push('second'));
    router.onAny(() => void calls.push('any'));
    const outcome = router.dispatch(orderPlaced());
    expect(outcome).toEqual({ kind: 'handled' });
    expect(calls).toEqual(['first', 'second', 'any']);
  });

  test('once a handler returns a promise, the rest wait for it, one after the other', async () => {
    const calls: string[] = [];
    let finishSlow!: () => void;
    const router = new Router();
    router.on('OrderPlaced', () => void calls.push('sync'));
    router.on('OrderPlaced', () => new Promise<void>((resolve) => { finishSlow = () => { calls.push('slow'); resolve(); }; }));
    router.on('OrderPlaced', async () => void calls.push('after'));
    router.onAny(() => void calls.push('any'));
    const outcome = router.dispatch(orderPlaced());
    expect(outcome).toBeInstanceOf(Promise);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['sync']);
    finishSlow();
    await expect(outcome).resolves.toEqual({ kind: 'handled' });
    expect(calls).toEqual(['sync', 'slow', 'after', 'any']);
  });

  test('a handler that throws or rejects stops the dispatch as failed, with its error; later handlers do not run', async () => {
    const later = jest.fn();
    const thrown = new Error('sync failure');
    const syncRouter = new Router();
    syncRouter.on('OrderPlaced', () => { throw thrown; });
    syncRouter.onAny(later);
    expect(syncRouter.dispatch(orderPlaced())).toEqual({ kind: 'failed', error: thrown });

    const rejected = new Error('async failure');
    const asyncRouter = new Router();
    asyncRouter.on('OrderPlaced', () => Promise.reject(rejected));
    asyncRouter.onAny(later);
    await expect(asyncRouter.dispatch(orderPlaced())).resolves.toEqual({ kind: 'failed', error: rejected });
    expect(later).not.toHaveBeenCalled();
  });

  test('a thenable that is not a native promise is awaited too', async () => {
    const calls: string[] = [];
    const router = new Router();
    router.on('OrderPlaced', () => ({ then: (resolve: () => void) => setTimeout(() => { calls.push('thenable'); resolve(); }, 5) }) as unknown as Promise<void>);
    router.onAny(() => void calls.push('any'));
    await expect(router.dispatch(orderPlaced())).resolves.toEqual({ kind: 'handled' });
    expect(calls).toEqual(['thenable', 'any']);
  });

  test('an event no handler takes is unknown', () => {
    const router = new Router();
    router.on('OrderShipped', () => undefined);
    expect(router.dispatch(orderPlaced())).toEqual({ kind: 'unknown' });
  });
});
