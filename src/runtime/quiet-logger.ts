import { isThenable } from './thenable';
import type { Logger } from './types';

type Level = 'debug' | 'info' | 'warn' | 'error';

function ignore(): void {
  // dropped: see quietLogger
}

/**
 * The caller's logger, made unable to throw into the runtime: a log line that fails (a closed
 * stream, a logger that validates its arguments, an `async` method whose shipping rejects) is
 * dropped, never turned into an unanswered delivery, a stopped poller or an unhandled rejection.
 * Receivers and consumers log from timers, stream events and promise callbacks, where a throw has
 * nowhere safe to go.
 *
 * Each method is looked up when a line is logged, not when the wrapper is made: loggers such as
 * pino change level by replacing their level methods on the instance.
 */
export function quietLogger(logger: Logger | undefined): Logger | undefined {
  if (!logger) return undefined;
  const quiet = (level: Level) => (message: string, ...args: unknown[]): void => {
    try {
      const method = logger[level];
      if (typeof method !== 'function') return;
      const result: unknown = method.call(logger, message, ...args);
      // Reading `then` may throw too (a Proxy): inside the try.
      if (isThenable(result)) result.then(undefined, ignore);
    } catch {
      // dropped: see above
    }
  };
  return { debug: quiet('debug'), info: quiet('info'), warn: quiet('warn'), error: quiet('error') };
}
