/**
 * How the HTTP receiver answers a delivery whose payload could not be fetched: 500 (EventBridge
 * retries a 5xx, then sends the event to the target's dead-letter queue) with the error's code
 * and message, which name the bucket and key, so the dead-lettered event says what was wrong.
 */
import type { ClaimCheckError } from './errors';
import type { ReceiveResponse } from '../receiver/exchange';
import type { ReceivedEvent } from '../routing/types';
import type { Logger } from '../types';

export function claimCheckRefusal(event: ReceivedEvent, error: ClaimCheckError, logger?: Logger): ReceiveResponse {
  logger?.error(`claim check failed on event ${event.id} (detail-type '${event.detailType}'): ${error.code}: ${error.message}`);
  return { status: 500, body: { error: error.code, message: error.message } };
}
