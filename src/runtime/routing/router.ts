import { InputError } from '../errors';
import type { EventHandler, HandlerContext, ReceivedEvent } from './types';

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
  private readonly handlers = new Map<string, EventHandler<any>[]>();
  private readonly anyHandlers: EventHandler[] = [];

  /**
   * Calls `handler` for every event of this `detail-type`. Handlers of one type run one after
   * the other in the order they were added; `onAny` handlers run after them.
   */
  public on<TDetail = unknown>(detailType: string, handler: EventHandler<TDetail>): void {
    if (typeof detailType !== 'string' || detailType.length === 0 || detailType.length > 128) {
      throw new InputError(`invalid detailType '${String(detailType).slice(0, 64)}': expected 1 to 128 characters`);
    }
    if (typeof handler !== 'function') throw new InputError(`invalid handler for '${detailType}': expected a function`);
    const list = this.handlers.get(detailType) ?? [];
    list.push(handler);
    this.handlers.set(detailType, list);
  }

  /** Calls `handler` for every event, whatever its `detail-type`; no event is then unknown. */
  public onAny(handler: EventHandler): void {
    if (typeof handler !== 'function') throw new InputError('invalid handler for onAny: expected a function');
    this.anyHandlers.push(handler);
  }

  /** Whether some handler would see an event of this `detail-type`. */
  public handles(detailType: string): boolean {
    return this.anyHandlers.length > 0 || this.handlers.has(detailType);
  }

  /** Runs the event's handlers in order; stops at the first that fails. Never rejects. */
  public async dispatch(event: ReceivedEvent, context: HandlerContext = { signal: NO_SIGNAL }): Promise<DispatchOutcome> {
    const typed = this.handlers.get(event.detailType);
    if (typed === undefined && this.anyHandlers.length === 0) return { kind: 'unknown' };
    try {
      if (typed) for (const handler of typed) await handler(event, context);
      for (const handler of this.anyHandlers) await handler(event, context);
    } catch (error) {
      return { kind: 'failed', error };
    }
    return { kind: 'handled' };
  }
}
