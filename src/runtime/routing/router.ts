import { InputError } from '../errors';
import { isThenable } from '../thenable';
import type { EventHandler, HandlerContext, ReceivedEvent } from './types';
import type { DetailResolver } from '../claim-check/resolve';

/** What became of one event in {@link Router.dispatch}. */
export type DispatchOutcome =
  | { readonly kind: 'handled' }
  /** No handler for its `detail-type`. */
  | { readonly kind: 'unknown' }
  /** A handler threw or rejected: the event must be delivered again. */
  | { readonly kind: 'failed'; readonly error: unknown };

const NO_SIGNAL = new AbortController().signal;

/**
 * Routes events by `detail-type` to the handlers registered with {@link Router.on}: the one router
 * both receivers (HTTP and queue) share, so handlers behave alike whichever path an event took.
 */
export class Router {
  private readonly handlers = new Map<string, readonly EventHandler<any>[]>();
  private anyHandlers: readonly EventHandler[] = [];
  /** Fetches a claim-checked detail before the handlers run (the receivers' `claimCheck` option). */
  private resolver?: DetailResolver;

  /** Sets the claim check's resolver: its failure is the delivery's, as a handler's would be. */
  public resolveDetailWith(resolver: DetailResolver | undefined): void {
    this.resolver = resolver;
  }

  /**
   * Calls `handler` for every event of this `detail-type`. Handlers of one type run one after
   * the other in the order they were added; `onAny` handlers run after them.
   */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): void {
    if (typeof detailType !== 'string' || detailType.length === 0 || detailType.length > 128) {
      throw new InputError(`invalid detailType '${String(detailType).slice(0, 64)}': expected 1 to 128 characters`);
    }
    if (typeof handler !== 'function') throw new InputError(`invalid handler for '${detailType}': expected a function`);
    // A new list, never the one a dispatch in progress walks: what runs for an event is fixed
    // when its dispatch starts (as with EventEmitter), and a handler adding itself cannot loop.
    this.handlers.set(detailType, [...(this.handlers.get(detailType) ?? []), handler]);
  }

  /** Calls `handler` for every event, whatever its `detail-type`; no event is then unknown. */
  public onAny(handler: EventHandler): void {
    if (typeof handler !== 'function') throw new InputError('invalid handler for onAny: expected a function');
    this.anyHandlers = [...this.anyHandlers, handler];
  }

  /** Whether some handler would see an event of this `detail-type`. */
  public handles(detailType: string): boolean {
    return this.anyHandlers.length > 0 || this.handlers.has(detailType);
  }

  /**
   * Runs the event's handlers in order; stops at the first that fails. Never rejects. Settles
   * without a promise when every handler returned without one (a handler that only counts, routes
   * or enqueues): callers then answer in the same turn, with no timer and no microtask hops.
   */
  public dispatch(event: ReceivedEvent, context: HandlerContext = { signal: NO_SIGNAL }): DispatchOutcome | Promise<DispatchOutcome> {
    const typed = this.handlers.get(event.detailType);
    if (typed === undefined && this.anyHandlers.length === 0) return UNKNOWN;
    const all = typed === undefined ? this.anyHandlers : this.anyHandlers.length === 0 ? typed : [...typed, ...this.anyHandlers];
    if (this.resolver) {
      let resolving: Promise<ReceivedEvent> | undefined;
      try {
        resolving = this.resolver(event, context);
      } catch (error) {
        return { kind: 'failed', error };
      }
      if (resolving) return resolving.then((resolved) => runHandlers(all, resolved, context), (error: unknown) => ({ kind: 'failed', error }));
    }
    return runHandlers(all, event, context);
  }
}

/** The handlers of one event in order, stopping at the first that fails. */
function runHandlers(all: readonly EventHandler<any>[], event: ReceivedEvent, context: HandlerContext): DispatchOutcome | Promise<DispatchOutcome> {
  for (let i = 0; i < all.length; i++) {
    let result: unknown;
    let thenable: boolean;
    try {
      result = all[i](event, context);
      // Inside the try: reading `then` of a Proxy or of an object with a throwing getter throws.
      thenable = isThenable(result);
    } catch (error) {
      return { kind: 'failed', error };
    }
    if (thenable) return finishAsync(result as PromiseLike<unknown>, all, i + 1, event, context);
  }
  return HANDLED;
}

const HANDLED: DispatchOutcome = { kind: 'handled' };
const UNKNOWN: DispatchOutcome = { kind: 'unknown' };


/** The rest of a dispatch once a handler returned a promise: awaited one after the other. */
async function finishAsync(
  pending: PromiseLike<unknown>,
  handlers: readonly EventHandler<any>[],
  next: number,
  event: ReceivedEvent,
  context: HandlerContext,
): Promise<DispatchOutcome> {
  try {
    await pending;
    for (let i = next; i < handlers.length; i++) await handlers[i](event, context);
  } catch (error) {
    return { kind: 'failed', error };
  }
  return HANDLED;
}
