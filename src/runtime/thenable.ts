/**
 * Whether `value` is a promise or promise-like: what callers' code (handlers, loggers, stores)
 * returns may be any of them. Reading `then` can throw (a Proxy, a getter): call it where a throw
 * is handled.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
