import type { Logger } from './types';

/**
 * The caller's logger, made unable to throw into the runtime: a log line that fails (a closed
 * stream, a logger that validates its arguments) is dropped, never turned into an unanswered
 * delivery, a stopped poller or an unhandled rejection. Receivers and consumers log from timers,
 * stream events and promise callbacks, where a throw has nowhere safe to go.
 */
export function quietLogger(logger: Logger | undefined): Logger | undefined {
  if (!logger) return undefined;
  const quiet = (method: ((message: string, ...args: unknown[]) => void) | undefined) =>
    method === undefined ? undefined : (message: string, ...args: unknown[]): void => {
      try {
        method.call(logger, message, ...args);
      } catch {
        // dropped: see above
      }
    };
  const debug = quiet(logger.debug);
  const info = quiet(logger.info);
  return {
    ...(debug && { debug }),
    ...(info && { info }),
    warn: quiet(logger.warn)!,
    error: quiet(logger.error)!,
  };
}
