/**
 * The lean transport's HTTP side, the same whoever resolved the endpoint and signs: one PutEvents
 * request over `node:http(s)` with keep-alive agents, bounded as a whole, the service's clock
 * skew corrected as the SDK corrects it (clock-skew.ts), and error answers read by the reader it
 * is given. lean-transport.ts feeds it from an SDK client's configuration and the SDK's own
 * error reader; runtime/lambda from the environment, without loading the SDK.
 * `node:http` rather than undici: Node 20's `fetch` (undici) measured 3.5x the CPU per request
 * on the bench's loopback endpoint (docs/benchmarks.md).
 */
import { createHash } from 'node:crypto';
import { IncomingMessage, request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { isSkewCorrection } from './clock-skew';
import { answeredError } from './http-errors';
import type { UnsignedRequest } from './sigv4';
import type { PutEventsResponse } from './types';
import { JSON_11, parsePutEventsResponse, PUT_EVENTS_TARGET } from './wire';
import { VERSION } from '../version';

/** Where requests go and who signs them, resolved once per client. */
export interface Target {
  readonly https: boolean;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly host: string;
  readonly signer: { signToList(request: UnsignedRequest, signingDate: Date): Promise<string[]> };
  readonly signingRegion: string;
  readonly signingName: string;
}

export interface ExchangeSettings {
  /** Milliseconds to add to the local clock to get the service's, corrected from each answer's `Date` (an SDK client's config fits). */
  readonly clock: { systemClockOffset: number };
  /** The agent of the target's protocol is required (a client of one endpoint may make only that one). */
  readonly agents: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
  /** Whole request, response body included. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /**
   * The code and message the SDK's JSON 1.1 protocol reads in an error answer (`code` undefined:
   * none it could read). The main client's lean transport asks the SDK's own reader; the Lambda
   * entry a copy of it that loads none of the SDK.
   */
  readonly readError: ErrorAnswerReader;
}

/** See {@link ExchangeSettings.readError}. */
export type ErrorAnswerReader = (
  status: number,
  rawHeaders: readonly string[],
  body: string,
) => { readonly code: unknown; readonly message: unknown } | Promise<{ readonly code: unknown; readonly message: unknown }>;

/** Names the library (and says this is its lean path) in the service's request logs. */
export const USER_AGENT = `cdk-eventbridge-connector/${VERSION} lean-put-events lang/js md/nodejs#${process.versions.node} os/${process.platform}`;
const AMZ_USER_AGENT = `cdk-eventbridge-connector/${VERSION}`;

/** The SDK ignores `Date` of a response that took longer than this. */
const STALE_RESPONSE_MS = 900_000;

/** The request as the signer sees it: the headers the SDK signs for PutEvents, minus its own bookkeeping ones. */
export function unsignedRequest(target: Target, body: string): UnsignedRequest {
  return {
    method: 'POST',
    protocol: target.https ? 'https:' : 'http:',
    hostname: target.hostname,
    port: target.port,
    path: target.path,
    query: {},
    headers: {
      'content-type': JSON_11,
      'x-amz-target': PUT_EVENTS_TARGET,
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-user-agent': AMZ_USER_AGENT,
      'host': target.host,
      // The signer would hash the body itself, through the SDK's hash wrapper and a UTF-8 copy;
      // it takes this header's value as the payload hash when present, and sends it either way.
      'x-amz-content-sha256': createHash('sha256').update(body, 'utf8').digest('hex'),
    },
    body,
  };
}

/**
 * Signs and sends one PutEvents body; resolves to the parsed answer or throws the error answer
 * as the SDK would. `signal` aborts it (the client closed): the socket goes at once.
 */
export async function sendPutEvents(target: Target, settings: ExchangeSettings, body: string, signal?: AbortSignal): Promise<PutEventsResponse> {
  const clock = settings.clock;
  const offsetBefore = clock.systemClockOffset;
  // A flat list goes to the socket as it is; an object would be copied header by header into the
  // request's own header map first.
  const headers = await target.signer.signToList(unsignedRequest(target, body), new Date(Date.now() + offsetBefore));
  headers.push('user-agent', USER_AGENT);
  const sentAt = Date.now();
  const { status, response, text } = await exchange(target, settings, headers, body, signal);

  // Clock skew, as the SDK corrects it: the service's Date header sets the offset for what follows.
  const date = header(response, 'date');
  let skewCorrected = false;
  if (date !== undefined && header(response, 'age') === undefined && Date.now() - sentAt <= STALE_RESPONSE_MS) {
    const serverTime = parseHttpDate(date);
    if (!Number.isNaN(serverTime)) {
      const offset = serverTime - Date.now();
      clock.systemClockOffset = offset;
      skewCorrected = isSkewCorrection(offsetBefore, offset);
    }
  }
  if (status >= 200 && status < 300) return parsePutEventsResponse(text);
  const reading = await settings.readError(status, response.rawHeaders, text);
  const error = answeredError(status, reading.code, reading.message, header(response, 'x-amzn-requestid'));
  // Signed with a clock the service disagreed with, and now corrected: classifyRequestError
  // retries it when the service refused the request for its time (as the SDK marks it).
  if (skewCorrected) error.$metadata.clockSkewCorrected = true;
  throw error;
}

/**
 * One HTTP exchange, bounded as a whole: the timer runs from the request to the last byte of the
 * response, so a server that stalls or drips its body fails the request with a `TimeoutError`
 * (retryable) instead of holding it forever.
 */
function exchange(
  target: Target,
  settings: ExchangeSettings,
  headers: string[],
  body: string,
  signal?: AbortSignal,
): Promise<{ status: number; response: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, value?: { status: number; response: IncomingMessage; text: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(value!);
      }
    };
    // node:http's request over the https agent is https.request (the agent makes the TLS
    // connection), so this file does not load node:https and node:tls, about 20 ms of a cold
    // start that a client of an http endpoint never needs.
    const req = httpRequest({
      method: 'POST',
      protocol: target.https ? 'https:' : 'http:',
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      headers,
      agent: target.https ? settings.agents.https : settings.agents.http,
    });
    const timer = setTimeout(
      () => finish(timeoutError(`PutEvents request got no complete response within requestTimeoutMs (${settings.requestTimeoutMs} ms)`)),
      settings.requestTimeoutMs,
    );
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(
        () => finish(timeoutError(`PutEvents could not connect to ${target.host} within connectTimeoutMs (${settings.connectTimeoutMs} ms)`)),
        settings.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
      socket.once('close', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => finish(error));
    // The client closed: the socket goes now, so nothing of the request is left on the wire.
    const onAbort = () => finish(abortError());
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const declared = Number(header(response, 'content-length'));
      if (declared > MAX_RESPONSE_BYTES) return finish(tooLargeResponse(`declares ${declared} bytes`));
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) return finish(tooLargeResponse(`exceeded ${MAX_RESPONSE_BYTES} bytes`));
        chunks.push(chunk);
      });
      response.on('error', (error) => finish(error));
      response.on('aborted', () => finish(closedEarly()));
      response.on('end', () => {
        if (!response.complete) return; // 'aborted' reports it
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        finish(undefined, { status: response.statusCode ?? 0, response, text });
      });
    });
    req.end(body);
  });
}

/** One response header, read from the raw list: `response.headers` builds an object of them all. */
function header(response: IncomingMessage, lowercaseName: string): string | undefined {
  return rawHeader(response.rawHeaders, lowercaseName);
}

/** The first value of a header in a raw `[name, value, ...]` list. */
export function rawHeader(raw: readonly string[], lowercaseName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === lowercaseName.length && raw[i].toLowerCase() === lowercaseName) return raw[i + 1];
  }
  return undefined;
}

/** `Date.parse` of an HTTP date, remembered: it changes once a second while answers come by the thousand. */
let lastHttpDate = '';
let lastHttpTime = NaN;
function parseHttpDate(value: string): number {
  if (value !== lastHttpDate) {
    lastHttpDate = value;
    lastHttpTime = Date.parse(value);
  }
  return lastHttpTime;
}

/**
 * The largest PutEvents answer read: a real one for 10 entries is under 2 KiB, and an error
 * answer is smaller still. A larger one is not read to its end (memory, time).
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Like an answer that is not JSON, but retryable: a proxy or a broken hop may answer so once. */
export function tooLargeResponse(what: string): Error {
  const error = Object.assign(new Error(`response body ${what}: expected a PutEvents response of at most ${MAX_RESPONSE_BYTES} bytes, so no entry is acknowledged`), {
    $retryable: { throttling: false },
  });
  error.name = 'InvalidResponse';
  return error;
}

/** The connection closed before the response body was complete: retryable, as a reset is. */
export function closedEarly(): Error {
  return Object.assign(new Error('aborted: the connection closed before the response body was complete'), { code: 'ECONNRESET' });
}

function abortError(): Error {
  const error = new Error('PutEvents request aborted: the client was closed');
  error.name = 'AbortError';
  return error;
}

function timeoutError(message: string): Error {
  const error = new Error(message);
  error.name = 'TimeoutError';
  return error;
}
