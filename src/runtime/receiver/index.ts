import { Receiver } from './receiver';
import type { ReceiverOptions } from './types';

export * from './types';
export { Receiver, DEFAULT_API_KEY_HEADER, DEFAULT_MAX_BODY_BYTES, DEFAULT_HANDLER_TIMEOUT_MS, DEFAULT_BODY_TIMEOUT_MS } from './receiver';
export type { ReceiveRequest, ReceiveResponse } from './exchange';
export type { BodySource } from './body';
export { applyServerTimeouts, SERVER_TIMEOUTS } from './server-timeouts';

/** A receiver for deliveries from an API destination; see {@link Receiver}. */
export function createReceiver(options: ReceiverOptions): Receiver {
  return new Receiver(options);
}
