/**
 * The receiving half of the claim check: an event whose detail is a reference gets the stored
 * detail back before its handlers run, for the HTTP receiver and the queue consumer alike (the
 * router calls it). A payload that is missing, altered, too large or not fetched in time fails
 * the delivery with a `ClaimCheckError` naming the bucket and key: the receiver answers 500 (so
 * EventBridge retries, then dead-letters), the consumer leaves the message (received again until
 * the queue's redrive policy moves it to its dead-letter queue).
 */
import { ClaimCheckError } from './errors';
import { fetchPayload } from './fetch';
import { checkReceiveClaimCheck, ReceiveClaimCheckOptions } from './options';
import { CLAIM_CHECK_FIELD, readPointer } from './reference';
import { quote } from '../../contract/quote';
import { takeIdempotencyKey } from '../idempotency-key';
import type { HandlerContext, ReceivedEvent } from '../routing/types';
import { takeCarrier } from '../tracing/carrier';

/**
 * The event with its payload, as a promise, when its detail is a reference; `undefined` (no
 * promise, no cost) when it is not, so events without a reference are dispatched as before.
 */
export type DetailResolver = (event: ReceivedEvent, context: HandlerContext) => Promise<ReceivedEvent> | undefined;

/**
 * The resolver a receiver or consumer uses for its `claimCheck` option; undefined when it has
 * none. With `deliver: 'reference'` it checks the reference (shape, version, bucket, prefix)
 * and hands the event on unchanged, so a handler that fetches the payload itself
 * (`fetchPayload(s3, readPointer(event.detail))`) never reads a bucket or key a sender chose.
 * @throws InputError for a bad option
 */
export function claimCheckResolver(options: ReceiveClaimCheckOptions | undefined, what: string): DetailResolver | undefined {
  checkReceiveClaimCheck(options, what);
  if (options === undefined) return undefined;
  const { s3, bucket, keyPrefix, maxPayloadBytes, timeoutMs } = options;
  return (event, context) => {
    const detail = event.detail as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(detail, CLAIM_CHECK_FIELD)) return undefined;
    return (async () => {
      const pointer = readPointer(detail)!;
      if (bucket !== undefined && pointer.bucket !== bucket) {
        throw new ClaimCheckError('InvalidClaimCheckReference', `claim-check reference of event ${quote(event.id)} names key ${quote(pointer.key)} in bucket ${quote(pointer.bucket)}: expected ${quote(bucket)}, the only bucket this receiver reads`, pointer.bucket, pointer.key);
      }
      if (keyPrefix !== undefined && !pointer.key.startsWith(keyPrefix)) {
        throw new ClaimCheckError('InvalidClaimCheckReference', `claim-check reference of event ${quote(event.id)} names key ${quote(pointer.key)}: expected a key under ${quote(keyPrefix)}`, pointer.bucket, pointer.key);
      }
      if (options.deliver === 'reference') return event;
      const text = await fetchPayload(s3, pointer, { maxBytes: maxPayloadBytes, timeoutMs, signal: context.signal });
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        throw new ClaimCheckError('ClaimCheckAltered', `claim-check payload ${quote(pointer.key)} in bucket ${quote(pointer.bucket)} is not JSON: expected the detail that was stored`, pointer.bucket, pointer.key);
      }
      // An event's detail is a JSON object; a sender that stored anything else forged the reference.
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new ClaimCheckError('ClaimCheckAltered', `claim-check payload ${quote(pointer.key)} in bucket ${quote(pointer.bucket)} is not a JSON object (${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}): expected the detail that was stored`, pointer.bucket, pointer.key);
      }
      // `raw` keeps the envelope as delivered (the reference in its detail), for auditing. The
      // payload is the detail as stored: a `_idempotencyKey` or a carrier in it (the reference
      // carries them, already read) is taken out, so handlers see the detail the plain path hands over.
      const { detail: given } = takeIdempotencyKey(takeCarrier(payload as Record<string, unknown>).detail);
      return { ...event, detail: given };
    })();
  };
}
