/**
 * A handler that registers another handler for its own detail-type while an event is being
 * dispatched (lazy set-up, a plugin that wires itself on first use). Whether the new handler sees
 * the event in flight must not depend on whether an `onAny` handler happens to exist: node's
 * EventEmitter runs the listeners as they were when emit began. Today the typed-only and
 * onAny-only paths iterate the live list (the new handler runs; one that registers itself loops
 * for ever, synchronously), while typed + onAny iterates a copy (it does not).
 */
import { Router } from '../../src/runtime/routing/router';

const event = { detailType: 'OrderPlaced', id: 'e-1' } as any;

function lazyRouter(withAny: boolean): { router: Router; calls: string[] } {
  const router = new Router();
  const calls: string[] = [];
  router.on('OrderPlaced', () => {
    calls.push('first');
    router.on('OrderPlaced', () => void calls.push('added during dispatch'));
  });
  if (withAny) router.onAny(() => void calls.push('any'));
  return { router, calls };
}

test('a handler added during a dispatch does not see the event in flight, with or without onAny', () => {
  const typedOnly = lazyRouter(false);
  void typedOnly.router.dispatch(event);
  const withAny = lazyRouter(true);
  void withAny.router.dispatch(event);
  expect(withAny.calls).toEqual(['first', 'any']);
  expect(typedOnly.calls).toEqual(['first']);
});

test('an onAny handler added during a dispatch does not see the event in flight', () => {
  const router = new Router();
  const calls: string[] = [];
  router.onAny(() => {
    calls.push('first');
    router.onAny(() => void calls.push('added during dispatch'));
  });
  void router.dispatch(event);
  expect(calls).toEqual(['first']);
});
