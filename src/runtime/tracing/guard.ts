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
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(`tracing step skipped: the OpenTelemetry set-up threw ${JSON.stringify(message.slice(0, 200))}; `
    + 'sends and deliveries go on untraced where it throws (later errors are not reported)', { code: TRACING_ERROR_CODE });
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
 * when `run` throws before calling `work`, `work` runs alone; when it throws after, `work`'s
 * result (or error) stands. An error `work` throws is the caller's, never swallowed.
 */
export function runWithin<T>(run: (work: () => T) => T, work: () => T): T {
  let outcome: { readonly value: T } | { readonly error: unknown } | undefined;
  try {
    return run(() => {
      try {
        const value = work();
        outcome = { value };
        return value;
      } catch (error) {
        outcome = { error };
        throw error;
      }
    });
  } catch (error) {
    if (outcome === undefined) {
      reportTracingError(error);
      return work();
    }
    if ('error' in outcome) {
      if (outcome.error !== error) reportTracingError(error);
      throw outcome.error;
    }
    reportTracingError(error);
    return outcome.value;
  }
}
