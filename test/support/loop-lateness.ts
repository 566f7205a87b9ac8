// How late this process's event loop ran while a test waited: for bounds on wall-clock answers
// that a starved process (a loaded 2-core machine) cannot meet through no fault of the code.
// A timer every 20 ms adds how much later than due it fired; the total is time the loop was not
// available, so an answer due at T cannot be expected before T plus that total.

/** Starts counting; `stop()` ends it and returns the total lateness in milliseconds. */
export function countLoopLateness(everyMs = 20): { stop(): number } {
  let total = 0;
  let due = performance.now() + everyMs;
  const timer = setInterval(() => {
    const now = performance.now();
    total += Math.max(0, now - due);
    due = now + everyMs;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return total;
    },
  };
}
