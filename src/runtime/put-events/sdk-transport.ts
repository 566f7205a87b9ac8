/**
 * PutEvents through an AWS SDK client (`putEvents: { transport: 'sdk' }`, or an injected client),
 * for callers who rely on SDK middleware of their own. The SDK's request timeout is an idle
 * timeout on the socket and does not cover reading the body once headers arrived; this bounds
 * the whole call, aborting the request when it runs out.
 */
import { Readable } from 'node:stream';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { isSkewCorrection } from './clock-skew';
import { checkGlobalEndpointConfig, registerSdkSigV4a } from './global-endpoint';
import { answeredError, PutEventsHttpError } from './http-errors';
import { closedEarly, MAX_RESPONSE_BYTES, tooLargeResponse } from './lean-transport';
import { DEFAULT_MAX_ATTEMPTS } from './options';
import type { PutEventsFunction, PutEventsResponse } from './types';

/** An SDK client as this transport uses it (an `EventBridgeClient` fits). */
export interface SdkSendLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * @param maxAttempts the sender's, announced in `amz-sdk-request` with each request's attempt
 */
export function sdkPutEvents(
  client: SdkSendLike,
  requestTimeoutMs: number,
  maxAttempts: number = DEFAULT_MAX_ATTEMPTS,
  endpointId?: string,
): PutEventsFunction {
  // A global endpoint: the SDK signs PutEvents with EndpointId by SigV4a, with the signer registered here.
  if (endpointId !== undefined) registerSdkSigV4a();
  let checked: Promise<void> | undefined;
  const check = () => (checked ??= checkGlobalEndpointConfig((client as { config?: unknown }).config ?? {}, endpointId!).catch((error: unknown) => {
    checked = undefined;
    throw error;
  }));
  return async (entries, attempt = 1, signal) => {
    if (endpointId !== undefined) await check();
    return send(entries, attempt, signal);
  };
  function send(entries: Parameters<PutEventsFunction>[0], attempt: number, signal: AbortSignal | undefined): Promise<PutEventsResponse> {
    return new Promise<PutEventsResponse>((resolve, reject) => {
      const controller = new AbortController();
      // The client closed: the SDK aborts the request (its socket goes) and rejects.
      const onAbort = () => controller.abort();
      if (signal?.aborted) controller.abort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        controller.abort();
        const error = new Error(`PutEvents request got no complete response within requestTimeoutMs (${requestTimeoutMs} ms)`);
        error.name = 'TimeoutError';
        reject(error);
      }, requestTimeoutMs);
      const command = new PutEventsCommand(endpointId === undefined ? { Entries: entries } : { Entries: entries, EndpointId: endpointId });
      // On the command, not the client: an injected client's own stack is left as it was.
      command.middlewareStack.add(capResponseBody as never, { step: 'deserialize', priority: 'low', name: 'capPutEventsResponseBody' });
      command.middlewareStack.addRelativeTo(attemptAndClock(client, attempt, maxAttempts) as never, {
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        name: 'putEventsAttemptAndClock',
      });
      client.send(command, { abortSignal: controller.signal }).then(
        (response) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(response as PutEventsResponse);
        },
        (error: unknown) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reject(asLeanTransportReports(error));
        },
      );
    });
  }
}

/**
 * Between the SDK's retry middleware and its signer, so it sees each attempt before signing and
 * its error after the signer's `errorHandler` learned the answer's clock offset:
 * - `amz-sdk-request` says the sender's attempt and maximum. The SDK's retry middleware writes
 *   its own count there, `attempt=1; max=1` on a client of one attempt (ours; the sender
 *   retries), which would tell the service every retry is a first attempt. A client that retries
 *   itself (`max` above 1) keeps its own count.
 * - `clockSkewCorrected` is set (or cleared) by {@link isSkewCorrection} against the offset the
 *   request was signed with, as the lean transport sets it: the SDK flags only offsets of 4
 *   minutes or more from zero, so a correction back toward zero would not be retried.
 */
function attemptAndClock(client: SdkSendLike, attempt: number, maxAttempts: number) {
  const config = (client as { config?: { systemClockOffset?: unknown } }).config;
  return (next: (args: { request?: { headers?: Record<string, string> } }) => Promise<unknown>) =>
    async (args: { request?: { headers?: Record<string, string> } }) => {
      const headers = args.request?.headers;
      const announced = headers?.['amz-sdk-request'];
      if (headers && (announced === undefined || /\bmax=1$/.test(announced))) headers['amz-sdk-request'] = `attempt=${attempt}; max=${maxAttempts}`;
      const signedWith = config?.systemClockOffset;
      try {
        return await next(args);
      } catch (error) {
        const metadata = (error as { $metadata?: { clockSkewCorrected?: boolean } } | null)?.$metadata;
        const learned = config?.systemClockOffset;
        if (metadata && typeof signedWith === 'number' && typeof learned === 'number') {
          metadata.clockSkewCorrected = isSkewCorrection(signedWith, learned);
        }
        throw error;
      }
    };
}

/**
 * The SDK's errors made the lean transport's, so callers branch and read alike whichever transport
 * they chose. An error answer becomes the {@link PutEventsHttpError} of the code and message the
 * SDK's protocol read (see http-errors.ts), dropping what the SDK copies onto its exception from
 * the body (a `code`, `$retryable` or `cause` field there would otherwise change the retry
 * decision); one it could not read (its `SyntaxError` or `TypeError`, which carry no `$fault`)
 * gets the code derived from the status. A 2xx body that is not JSON is `InvalidResponse`
 * ("response body is not JSON (...): expected a PutEvents response") rather than `SyntaxError`
 * with the SDK's "Deserialization error ... $response" hint.
 */
function asLeanTransportReports(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as {
    name?: unknown;
    message?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string; clockSkewCorrected?: boolean };
  };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 300) {
    const read = e.$fault !== undefined;
    const answered = answeredError(status, read ? e.name : undefined, read ? e.message : undefined, e.$metadata?.requestId);
    if (e.$metadata?.clockSkewCorrected === true) answered.$metadata.clockSkewCorrected = true;
    return answered;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.name === 'SyntaxError') {
    const reason = message.replace(/\s*Deserialization error:[\s\S]*$/, '');
    const invalid = new Error(`response body is not JSON (${reason}): expected a PutEvents response`);
    invalid.name = 'InvalidResponse';
    return invalid;
  }
  return error;
}

/**
 * Reads the response body before the SDK's deserializer does, at most {@link MAX_RESPONSE_BYTES}
 * (as the lean transport reads it): a larger answer fails the attempt as a retryable
 * `InvalidResponse` instead of being buffered and parsed whole.
 */
function capResponseBody(next: (args: unknown) => Promise<{ response: { headers?: Record<string, string>; body?: unknown } }>) {
  return async (args: unknown) => {
    const result = await next(args);
    const { response } = result;
    const body = response.body;
    if (!(body instanceof Readable)) return result;
    const declared = Number(response.headers?.['content-length']);
    if (declared > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw tooLargeResponse(`declares ${declared} bytes`);
    }
    // Handed on as bytes, which the SDK's body collector takes as they are: no second stream.
    response.body = await readCapped(body);
    return result;
  };
}

/** The whole body, or a retryable `InvalidResponse` once it passes {@link MAX_RESPONSE_BYTES}. */
function readCapped(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES) {
        body.destroy();
        reject(tooLargeResponse(`exceeded ${MAX_RESPONSE_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    body.once('error', reject);
    // The SDK destroys the stream when the request is aborted (requestTimeoutMs): settle then too.
    body.once('close', () => reject(closedEarly()));
  });
}
