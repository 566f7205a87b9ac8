/**
 * PutEvents without the SDK's per-call machinery: the JSON 1.1 body written directly, signed
 * with SigV4 checked against the SDK's own signer (`@smithy/signature-v4`, see signing.ts), sent
 * over the client's keep-alive agents. Everything that decides *where* and *as
 * whom* comes from an SDK EventBridge client's resolved configuration: its endpoint, resolved by
 * the SDK's own code once per client (endpoint.ts: options, environment, shared config, FIPS,
 * dual-stack, the ruleset), its memoized credential provider,
 * its hash and its clock-skew offset, which this transport reads and corrects as the SDK does.
 * `node:http` rather than undici: Node 20's `fetch` (undici) measured 3.5x the CPU per request
 * on the bench's loopback endpoint (docs/benchmarks.md).
 */
import { createHash } from 'node:crypto';
import { IncomingMessage, request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { isSkewCorrection } from './clock-skew';
import { resolvePutEventsEndpoint, PutEventsEndpoint } from './endpoint';
import { answeredError, readErrorAnswer } from './http-errors';
import { readWithSdkProtocol } from './sdk-error-reader';
import { Identity, PutEventsSigner, UnsignedRequest } from './signing';
import type { PutEventsFunction, PutEventsResponse } from './types';
import { JSON_11, parsePutEventsResponse, PUT_EVENTS_TARGET, serializePutEvents } from './wire';

/** The parts of an SDK client's resolved configuration the transport uses (an `EventBridgeClient['config']` fits). */
export interface SdkConfigLike {
  region: () => Promise<string>;
  /** The rest of what the SDK's endpoint resolution reads (endpointProvider, useFipsEndpoint, serviceConfiguredEndpoint, ...). */
  endpointProvider: unknown;
  credentials: unknown;
  sha256: unknown;
  signingEscapePath?: boolean;
  /** Milliseconds to add to the local clock to get the service's; the SDK keeps it here. */
  systemClockOffset: number;
}

export interface LeanTransportSettings {
  readonly config: SdkConfigLike;
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  /** Whole request, response body included. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** What the SDK's endpoint resolution gave, and its signer, once per client. */
interface Target extends PutEventsEndpoint {
  readonly signer: PutEventsSigner;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = (require('../../../package.json') as { version: string }).version;
/** Names the library (and says this is its lean path) in the service's request logs. */
export const USER_AGENT = `cdk-eventbridge-connector/${VERSION} lean-put-events lang/js md/nodejs#${process.versions.node} os/${process.platform}`;
const AMZ_USER_AGENT = `cdk-eventbridge-connector/${VERSION}`;

/** The SDK ignores `Date` of a response that took longer than this. */
const STALE_RESPONSE_MS = 900_000;

/** A {@link PutEventsFunction} over the lean transport. */
export function leanPutEvents(settings: LeanTransportSettings): PutEventsFunction {
  let target: Promise<Target> | undefined;
  const resolve = () => {
    target ??= resolveTarget(settings.config).catch((error: unknown) => {
      target = undefined; // a failed resolution (credentials, region) is tried again next call
      throw error;
    });
    return target;
  };
  return async (entries, _attempt, signal) => send(await resolve(), settings, serializePutEvents(entries), signal);
}

/** Resolves the endpoint as the SDK client would for a PutEventsCommand (endpoint.ts), once. */
export async function resolveTarget(config: SdkConfigLike): Promise<Target> {
  const endpoint = await resolvePutEventsEndpoint(config);
  return {
    ...endpoint,
    signer: new PutEventsSigner(
      credentialsOf(config),
      endpoint.signingRegion,
      endpoint.signingName,
      config.sha256 as ConstructorParameters<typeof PutEventsSigner>[3],
      endpoint.path,
      config.signingEscapePath ?? true,
    ),
  };
}

/** The request as the signer sees it: the headers the SDK signs for PutEvents, minus its own bookkeeping ones. */
export function unsignedRequest(target: Target, body: string): UnsignedRequest {
  return {
    method: 'POST',
    protocol: target.https ? 'https:' : 'http:',
    hostname: target.hostname,
    ...(target.port !== undefined && { port: target.port }),
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

/** The client's credential provider (the SDK memoizes it, refreshing before expiry), or its static credentials. */
function credentialsOf(config: SdkConfigLike): () => Promise<Identity> {
  const credentials = config.credentials as Identity | (() => Promise<Identity>);
  return typeof credentials === 'function' ? () => credentials() : () => Promise.resolve(credentials);
}

async function send(target: Target, settings: LeanTransportSettings, body: string, signal?: AbortSignal): Promise<PutEventsResponse> {
  const { config } = settings;
  const offsetBefore = config.systemClockOffset;
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
      config.systemClockOffset = offset;
      skewCorrected = isSkewCorrection(offsetBefore, offset);
    }
  }
  if (status >= 200 && status < 300) return parsePutEventsResponse(text);
  const fast = readErrorAnswer(header(response, 'x-amzn-errortype'), text);
  const reading = fast === 'ask-the-sdk' ? await readWithSdkProtocol(config, status, response.rawHeaders, text) : fast;
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
  settings: LeanTransportSettings,
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
    const req = (target.https ? httpsRequest : httpRequest)({
      method: 'POST',
      hostname: target.hostname,
      ...(target.port !== undefined && { port: target.port }),
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
  const raw = response.rawHeaders;
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
