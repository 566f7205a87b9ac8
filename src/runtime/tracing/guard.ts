/**
 * Tracing never fails a send or a delivery: a tracer provider, span, propagator, context manager
 * or meter of the app's that throws costs that step of tracing only. The first such error in a
 * process is a warning (code EVENTBRIDGE_CONNECTOR_TRACING_ERROR); later ones are silent, or a
 * broken exporter would warn once per event.
 */

/** The warning's code, for `process.on('warning')` filters. */
export const TRACING_ERROR_CODE = 'EVENTBRIDGE_CONNECTOR_TRACING_ERROR';

let warned = false;

/** Reports a tracing step's error, once per process. */
export function reportTracingError(error: unknown): void {
  if (warned) return;
  warned = true;
  process.emitWarning(`tracing step skipped: the OpenTelemetry set-up threw ${JSON.stringify(describe(error))}; `
    + 'sends and deliveries go on untraced where it throws (later errors are not reported)', { code: TRACING_ERROR_CODE });
}

/**
 * What was thrown, at most 200 characters. Never throws itself: it runs inside the guard, and a
 * thrown value may be an object without a prototype (no text form) or an error whose `name` or
 * `message` is a getter that throws; describing it must not fail the send in its place.
 */
function describe(error: unknown): string {
  try {
    return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 200);
  } catch {
    try {
      return Object.prototype.toString.call(error);
    } catch {
      return 'a value that cannot be described';
    }
  }
}

/** `step()`, or `fallback` when it throws. */
export function guarded<T>(step: () => T, fallback: T): T {
  try {
    return step();
  } catch (error) {
    reportTracingError(error);
    return fallback;
  }
}

/**
 * `run(work)` (a context manager's `with`), keeping `work`'s own outcome whatever `run` does:
 * `work` runs exactly once, and its result (or error) is what the caller gets. A `with` that
 * throws before calling `work`, never calls it, or calls it later (after returning): `work` runs
 * here, alone. One that throws after it ran, calls it again, or returns something else (a `with`
 * that forgets `return`): the first run's outcome stands, so a request is neither sent twice nor
 * reported failed while in flight, and a handler's error is not answered as a success. An error
 * `work` throws is the caller's, never swallowed.
 */
export function runWithin<T>(run: (work: () => T) => T, work: () => T): T {
  let outcome: { readonly value: T } | { readonly error: unknown } | undefined;
  const once = (): T => {
    if (outcome !== undefined) {
      // The context manager's own call (a second one, or a late one from a timer): it gets the
      // value, never the work's error again, which would be thrown where nobody catches it.
      reportTracingError(new Error("the context manager's with() called the work again: it ran once"));
      return ('value' in outcome ? outcome.value : undefined) as T;
    }
    try {
      outcome = { value: work() };
    } catch (error) {
      outcome = { error };
      throw error;
    }
    return outcome.value;
  };
  let returned: T;
  try {
    returned = run(once);
  } catch (error) {
    if (outcome === undefined) {
      reportTracingError(error);
      return once();
    }
    if (!('error' in outcome) || outcome.error !== error) reportTracingError(error);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }
  if (outcome === undefined) {
    reportTracingError(new Error("the context manager's with() returned without calling the work"));
    return once();
  }
  if ('error' in outcome) {
    reportTracingError(new Error("the context manager's with() returned where the work threw"));
    throw outcome.error;
  }
  if (returned !== outcome.value) reportTracingError(new Error("the context manager's with() returned another value than the work's"));
  return outcome.value;
}
