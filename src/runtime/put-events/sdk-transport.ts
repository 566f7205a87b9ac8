/**
 * PutEvents through an AWS SDK client (`putEvents: { transport: 'sdk' }`, or an injected client),
 * for callers who rely on SDK middleware of their own. The SDK's request timeout is an idle
 * timeout on the socket and does not cover reading the body once headers arrived; this bounds
 * the whole call, aborting the request when it runs out.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsFunction, PutEventsResponse } from './types';

/** An SDK client as this transport uses it (an `EventBridgeClient` fits). */
export interface SdkSendLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export function sdkPutEvents(client: SdkSendLike, requestTimeoutMs: number): PutEventsFunction {
  return (entries) =>
    new Promise<PutEventsResponse>((resolve, reject) => {
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort();
        const error = new Error(`PutEvents request got no complete response within requestTimeoutMs (${requestTimeoutMs} ms)`);
        error.name = 'TimeoutError';
        reject(error);
      }, requestTimeoutMs);
      client.send(new PutEventsCommand({ Entries: entries }), { abortSignal: controller.signal }).then(
        (response) => {
          clearTimeout(timer);
          resolve(response as PutEventsResponse);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
