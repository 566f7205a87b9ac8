/**
 * PutEventsClient: PutEvents from an AWS Lambda function (or any process whose credentials are
 * in its environment) with the main client's engine (EventSender: validation, batching,
 * concurrency, retries, one answer per entry) over the lean transport's HTTP exchange, signed by
 * the node:crypto SigV4 signer. It loads none of the AWS SDK: no EventBridge client, no SSM, STS
 * or Roles Anywhere code, so a handler bundle stays small and its cold start short.
 */
import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { resolveEndpoint } from './endpoint';
import { credentialsFrom, eventBusNameFrom, regionFrom } from './environment';
import { readErrorAnswerWithoutSdk } from './error-answer';
import { quote } from '../../contract/quote';
import { DEFAULT_SDK_CONNECT_TIMEOUT_MS, DEFAULT_SDK_REQUEST_TIMEOUT_MS } from '../client-options';
import { InputError } from '../errors';
import { checkKnownKeys, checkOptionGroup, knownKeys, unknownKeyProblem } from '../known-keys';
import { PutEventError } from '../producer/errors';
import { ExchangeSettings, sendPutEvents, Target } from '../put-events/lean-http';
import { DEFAULT_CONCURRENCY, PUT_EVENTS_OPTION_KEYS } from '../put-events/options';
import { EventSender } from '../put-events/sender';
import { Identity, PLAIN_PATH, PlainPathSigner } from '../put-events/sigv4';
import type { EventEntry, PutEventsOptions, PutEventsResult } from '../put-events/types';
import { serializePutEvents } from '../put-events/wire';
import { INITIAL_RETRY_TOKENS, RetryBudget } from '../retry/retry-budget';
import type { AwsCredentials, CredentialsInput } from '../types';

export interface PutEventsClientOptions {
  /**
   * Region of the bus, e.g. `eu-west-1`.
   * @default - `EVENTBRIDGE_CONNECTOR_REGION`, else the region of an event bus ARN, else
   *   `AWS_REGION` (which AWS Lambda sets), else `AWS_DEFAULT_REGION`
   */
  readonly region?: string;
  /**
   * The bus events go to unless an entry names one, by name or ARN.
   * @default - `EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME`, else the account's default bus
   */
  readonly eventBusName?: string;
  /**
   * `{ accessKeyId, secretAccessKey, sessionToken? }` or an SDK v3 credential provider (called
   * before each request; SDK providers memoize and refresh themselves).
   * @default - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, read before each
   *   request (AWS Lambda sets them from the function's execution role)
   */
  readonly credentials?: CredentialsInput;
  /**
   * PutEvents endpoint URL, e.g. a loopback endpoint in tests; a base path is kept.
   * @default - as an SDK EventBridge client resolves it from the environment:
   *   `AWS_ENDPOINT_URL_EVENTBRIDGE`, else `AWS_ENDPOINT_URL` (neither with
   *   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else the region's endpoint
   *   (`https://events.<region>.<dns suffix>`; `AWS_USE_FIPS_ENDPOINT` and
   *   `AWS_USE_DUALSTACK_ENDPOINT` as the SDK reads them). No shared config file is read.
   */
  readonly endpoint?: string;
  /** Batching, concurrency and retries, as the main client's `putEvents` option. @default - the engine's defaults */
  readonly putEvents?: PutEventsOptions;
  /** Bound on one request, response body included, in milliseconds (1 to 900,000). @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Bound on opening a connection, in milliseconds (1 to 900,000). @default 5000 */
  readonly connectTimeoutMs?: number;
  /** The environment read for the defaults above. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

const OPTION_KEYS = knownKeys<PutEventsClientOptions>({
  region: true,
  eventBusName: true,
  credentials: true,
  endpoint: true,
  putEvents: true,
  requestTimeoutMs: true,
  connectTimeoutMs: true,
  environment: true,
});

/** Milliseconds of a request or connection bound: at most a Lambda function's 15-minute timeout. */
const MAX_TIMEOUT_MS = 15 * 60_000;

/**
 * Sends events with the same rules as `ConnectorClient.putEvents`: each entry is acknowledged by
 * its own EventId or returned as failed with its final error, never dropped; throttled and
 * internally failed entries and failed requests are retried with backoff, paid from a retry
 * budget shared by the client's requests (the SDKs' standard retry quota: 500 tokens, 5 a retry,
 * 10 after a timeout, refilled by successes); a clock the service disagrees with is corrected
 * from its answer's `Date` and the refused request retried, as the SDK does.
 *
 * Make one per process, outside the handler, so that its connections are kept across
 * invocations:
 *
 *   const events = new PutEventsClient();
 *   export const handler = async () => { await events.putEvent({ source, detailType, detail }); };
 */
export class PutEventsClient {
  /** The bus's region. */
  public readonly region: string;
  /** The default bus, by name or ARN; undefined: the account's default bus. */
  public readonly eventBusName?: string;
  /** Where requests go. */
  public readonly endpoint: string;

  private readonly sender: EventSender;
  private readonly closing = new AbortController();
  /** The keep-alive agent of the endpoint's protocol, once made. */
  private agent?: HttpAgent | HttpsAgent;

  /**
   * Reads what is not given from the environment and checks it all now, so that a function
   * misconfigured fails at INIT with the reason, not at its first event.
   * @throws InputError when an option or an environment variable is not valid
   * @throws ConstantsError when no credentials are given and the environment has none
   */
  constructor(options: PutEventsClientOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new InputError(`invalid options ${Array.isArray(options) ? 'an array' : quote(options)}: expected an object or nothing`);
    }
    // A misspelt eventBusName would send every event to the default bus: no key goes unread.
    checkKnownKeys(options, OPTION_KEYS, 'option');
    checkOptionGroup(options.putEvents, PUT_EVENTS_OPTION_KEYS, 'option', 'putEvents.');
    const env = options.environment ?? process.env;
    this.eventBusName = eventBusNameFrom(env, options.eventBusName);
    this.region = regionFrom(env, this.eventBusName, options.region);
    const resolved = resolveEndpoint(env, this.region, options.endpoint);
    this.endpoint = `${resolved.https ? 'https' : 'http'}://${resolved.host}${resolved.path}`;
    if (!PLAIN_PATH.test(resolved.path)) {
      throw new InputError(`invalid endpoint ${quote(this.endpoint)}: expected a path of letters, digits and - _ ~ . between slashes, which this client signs without the SDK`);
    }
    const credentials = credentialProvider(options.credentials, env);
    const requestTimeoutMs = milliseconds('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULT_SDK_REQUEST_TIMEOUT_MS);
    const connectTimeoutMs = milliseconds('connectTimeoutMs', options.connectTimeoutMs ?? DEFAULT_SDK_CONNECT_TIMEOUT_MS);
    const maxSockets = Math.max(50, options.putEvents?.concurrency ?? DEFAULT_CONCURRENCY);
    const target: Target = { ...resolved, signer: new PlainPathSigner(credentials, resolved.signingRegion, resolved.signingName) };
    const settings = { clock: { systemClockOffset: 0 }, requestTimeoutMs, connectTimeoutMs, readError: readErrorAnswerWithoutSdk };
    // Only the agent of the endpoint's protocol: node:https (with node:tls, about 20 ms of a cold
    // start) is loaded for an https endpoint alone, started here so that it loads during INIT.
    const exchange: Promise<ExchangeSettings> = resolved.https
      ? import('node:https').then(({ Agent }) => ({ ...settings, agents: { https: this.keep(new Agent({ keepAlive: true, maxSockets })) } }))
      : Promise.resolve({ ...settings, agents: { http: this.keep(new HttpAgent({ keepAlive: true, maxSockets })) } });
    // Every request and backoff listens to it (one listener each).
    setMaxListeners(0, this.closing.signal);
    this.sender = new EventSender(async (entries, _attempt, signal) => sendPutEvents(target, await exchange, serializePutEvents(entries), signal), {
      ...options.putEvents,
      eventBusName: options.putEvents?.eventBusName ?? this.eventBusName,
    }, { signal: this.closing.signal, retryBudget: new RetryBudget(INITIAL_RETRY_TOKENS) });
  }

  /**
   * Sends any number of events; resolves to one result per entry, in input order: `{ eventId }`
   * or `{ errorCode, errorMessage, attempts }`. Rejects only when `entries` is not an array.
   */
  public putEvents(entries: readonly EventEntry[]): Promise<PutEventsResult> {
    // Options are the constructor's `putEvents`; one given per call would be ignored.
    if (arguments.length > 1 && arguments[1] !== undefined) {
      const given: unknown = arguments[1];
      const expected = 'expected putEvents(entries) alone: its options are the constructor\'s putEvents';
      const problem = unknownKeyProblem(given, [], 'putEvents option') ?? `invalid second argument of putEvents (${given === null ? 'null' : typeof given}): ${expected}`;
      return Promise.reject(new InputError(problem));
    }
    return this.sender.send(entries);
  }

  /**
   * Sends one event; resolves to its EventId, or rejects with a `PutEventError` carrying
   * `errorCode`, `errorMessage` and `attempts` once it finally failed. Concurrent calls are not
   * coalesced into one request: give many events to {@link putEvents} at once.
   */
  public async putEvent(entry: EventEntry): Promise<string> {
    const result = (await this.sender.send([entry])).entries[0];
    if (result.eventId !== undefined) return result.eventId;
    throw new PutEventError(result.errorCode, result.errorMessage, result.attempts);
  }

  /**
   * Ends the client: requests in flight are aborted (their entries end as failed with
   * `retryable: true`; they may or may not have arrived), entries waiting for a retry end with the
   * error that sent them back, nothing is sent afterwards, and the kept connections close. Once
   * it returns, no request of the client is on the wire.
   */
  public close(): void {
    this.closing.abort();
    this.agent?.destroy();
  }

  /** Keeps `agent` for close(); one made after close() is ended at once. */
  private keep<A extends HttpAgent | HttpsAgent>(agent: A): A {
    this.agent = agent;
    if (this.closing.signal.aborted) agent.destroy();
    return agent;
  }
}

function credentialProvider(given: CredentialsInput | undefined, env: Readonly<Record<string, string | undefined>>): () => Promise<Identity> {
  if (typeof given === 'function') return given;
  if (given === undefined) {
    credentialsFrom(env); // fail now, at INIT, when the environment has none
    return () => Promise.resolve().then(() => credentialsFrom(env));
  }
  const c = given as Partial<AwsCredentials> | null;
  if (typeof c !== 'object' || c === null || typeof c.accessKeyId !== 'string' || c.accessKeyId === '' || typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
    throw new InputError('invalid credentials: expected { accessKeyId, secretAccessKey, sessionToken? } with non-empty strings, or a credential provider function');
  }
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string') {
    throw new InputError(`invalid credentials for access key ${quote(c.accessKeyId)}: sessionToken is not a string`);
  }
  const identity = given as AwsCredentials;
  return () => Promise.resolve(identity);
}

function milliseconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new InputError(`invalid ${name} ${quote(value)}: expected a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}
