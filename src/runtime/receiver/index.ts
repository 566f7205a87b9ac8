import { Receiver } from './receiver';
import type { ReceiverOptions } from './types';

export * from './types';
export { Receiver, DEFAULT_API_KEY_HEADER, DEFAULT_MAX_BODY_BYTES } from './receiver';
export type { ReceiveRequest, ReceiveResponse } from './receiver';
export type { BodySource } from './body';

/** A receiver for deliveries from an API destination; see {@link Receiver}. */
export function createReceiver(options: ReceiverOptions): Receiver {
  return new Receiver(options);
}
