import { checkRegionCode } from '../contract';
import { InputError } from './errors';
import { quote } from '../contract/quote';
import type { ProducerOptions, QuotaOptions } from './producer/options';
import { checkEventBusName } from './put-events/entries';
import type { ClientPutEventsOptions } from './put-events/types';
import type { AwsClientLike } from './sdk-config';
import type { PutEventsObserver } from './stats/put-events-stats';
import type { CredentialsInput, Logger } from './types';

/** Endpoint URLs per service, for moto, LocalStack or any compatible endpoint. */
export interface ServiceEndpoints {
  readonly events?: string;
  readonly sts?: string;
  readonly ssm?: string;
  /** SQS, for the queue consumer. */
  readonly sqs?: string;
  /** Only used by `fromParameters`, for Roles Anywhere CreateSession. */
  readonly rolesAnywhere?: string;
}

/** Clients to use instead of the ones the connector client would make (tests, custom SDK setups). */
export interface ConnectorClients {
  /** EventBridge for PutEvents; give it `maxAttempts: 1`, the connector retries PutEvents itself. */
  readonly putEvents?: AwsClientLike;
  /** EventBridge for everything but PutEvents. @default - `putEvents` when given, else a client of our own */
  readonly events?: AwsClientLike;
  readonly sts?: AwsClientLike;
  readonly ssm?: AwsClientLike;
  /** SQS for the queue consumer; allow its request timeout a 20-second long poll. */
  readonly sqs?: AwsClientLike;
}

/** Settings shared by the constructor and `fromParameters`. */
export interface ConnectorClientSettings {
  /** One endpoint URL for every service (moto serves them all on one port). */
  readonly endpoint?: string;
  /** Endpoint URLs per service; they win over `endpoint`. */
  readonly endpoints?: ServiceEndpoints;
  /**
   * Longest time one HTTP request may take, response included; a slower one fails with a
   * `TimeoutError` (retried like a dropped connection).
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /** Longest time to open a connection. @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Attempts the SDK makes for every call but PutEvents (whose retries are set in `putEvents`).
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Concurrency, batching, retries and transport of `putEvents`. `eventBusName` defaults to the
   * client's bus; `transport` to `'lean'` (see {@link ClientPutEventsOptions}).
   */
  readonly putEvents?: ClientPutEventsOptions;
  /** Flush window, buffer bounds and backpressure of `putEvent`. */
  readonly producer?: ProducerOptions;
  /** Client-side rate limit and adaptive concurrency over every PutEvents request of the client. */
  readonly quota?: QuotaOptions;
  /** Callbacks on each PutEvents request and each failed entry (counts are also in `client.stats()`). */
  readonly metrics?: PutEventsObserver;
  readonly clients?: ConnectorClients;
  readonly logger?: Logger;
}

export interface ConnectorClientOptions extends ConnectorClientSettings {
  /** Region of the bus, e.g. `eu-west-1`. */
  readonly region: string;
  /** The bus events go to unless an entry names another (name or ARN). */
  readonly eventBusName: string;
  /** `{ accessKeyId, secretAccessKey, sessionToken? }` or an SDK v3 credential provider. */
  readonly credentials: CredentialsInput;
}

export const DEFAULT_SDK_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_SDK_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_SDK_MAX_ATTEMPTS = 3;

/** The options with defaults applied and every value checked; the first problem is thrown. */
export interface ResolvedClientOptions {
  readonly region: string;
  readonly eventBusName: string;
  readonly credentials: CredentialsInput;
  readonly endpoints: ServiceEndpoints;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxAttempts: number;
}

export function resolveClientOptions(options: ConnectorClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InputError('missing options: expected { region, eventBusName, credentials }');
  }
  const { region, eventBusName, credentials } = options;
  // The form only: a region newer than the contract's list still works with the SDK.
  const regionProblem = checkRegionCode(region);
  if (regionProblem) throw new InputError(regionProblem);
  if (eventBusName === undefined) throw new InputError('missing eventBusName: expected a bus name or ARN');
  const busProblem = checkEventBusName(eventBusName);
  if (busProblem) throw new InputError(busProblem);
  checkCredentials(credentials);
  const endpoints = {
    events: options.endpoints?.events ?? options.endpoint,
    sts: options.endpoints?.sts ?? options.endpoint,
    ssm: options.endpoints?.ssm ?? options.endpoint,
    sqs: options.endpoints?.sqs ?? options.endpoint,
    rolesAnywhere: options.endpoints?.rolesAnywhere,
  };
  for (const [service, url] of Object.entries(endpoints)) checkEndpointUrl(service, url);
  return {
    region,
    eventBusName,
    credentials,
    endpoints,
    requestTimeoutMs: milliseconds('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULT_SDK_REQUEST_TIMEOUT_MS),
    connectTimeoutMs: milliseconds('connectTimeoutMs', options.connectTimeoutMs ?? DEFAULT_SDK_CONNECT_TIMEOUT_MS),
    maxAttempts: wholeNumber('maxAttempts', options.maxAttempts ?? DEFAULT_SDK_MAX_ATTEMPTS, 1, 10),
  };
}

function checkCredentials(credentials: unknown): void {
  if (typeof credentials === 'function') return;
  const c = credentials as { accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown } | undefined;
  if (typeof c !== 'object' || c === null) {
    throw new InputError('missing credentials: expected { accessKeyId, secretAccessKey, sessionToken? } or a credential provider function');
  }
  if (typeof c.accessKeyId !== 'string' || c.accessKeyId === '') {
    throw new InputError('invalid credentials: missing accessKeyId, expected a non-empty string');
  }
  if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
    throw new InputError(`invalid credentials for access key '${c.accessKeyId}': missing secretAccessKey, expected a non-empty string`);
  }
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string') {
    throw new InputError(`invalid credentials for access key '${c.accessKeyId}': sessionToken is not a string`);
  }
}

function checkEndpointUrl(service: string, url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InputError(`invalid ${service} endpoint ${quote(url)}: expected an http or https URL such as http://127.0.0.1:5000`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Credentials in a URL end up in logs and error messages; the CLI refuses them too.
    throw new InputError(`invalid ${service} endpoint ${quote(`${parsed.protocol}//***@${parsed.host}${parsed.pathname}`)}: expected no user name or password in the URL`);
  }
}

function milliseconds(name: string, value: number): number {
  return wholeNumber(name, value, 1, 15 * 60_000);
}

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`invalid ${name} ${String(value)}: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
