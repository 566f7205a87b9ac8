import { checkRegionCode } from '../contract';
import type { ClaimCheckOptions } from './claim-check/options';
import { InputError } from './errors';
import { checkKnownKeys, checkOptionGroup, KeyList, knownKeys } from './known-keys';
import { quote } from '../contract/quote';
import { PRODUCER_OPTION_KEYS, ProducerOptions, QUOTA_OPTION_KEYS, QuotaOptions } from './producer/options';
import { checkEventBusName } from './put-events/entries';
import { PUT_EVENTS_OPTION_LIST } from './put-events/options';
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
  /** S3, for the claim check's payloads (path-style requests when set, as moto and LocalStack need). */
  readonly s3?: string;
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
  /** S3 for the claim check (PutObject and GetObject on the payload prefix). */
  readonly s3?: AwsClientLike;
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
  /**
   * Events of any size through S3 (see {@link ClaimCheckOptions}): entries over the threshold
   * send their detail to the claim-check store and a reference in its place; the client's
   * receivers and consumers fetch it back. `false` turns it off.
   * @default - on when the contract has `ClaimCheckBucketName` (a client from `fromParameters`), else off
   */
  readonly claimCheck?: ClaimCheckOptions | false;
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

/** The keys of {@link ConnectorClientSettings}, shared by the constructor's and `fromParameters`' lists. */
export const CLIENT_SETTINGS_KEYS: KeyList<ConnectorClientSettings> = {
  endpoint: true,
  endpoints: true,
  requestTimeoutMs: true,
  connectTimeoutMs: true,
  maxAttempts: true,
  putEvents: true,
  producer: true,
  quota: true,
  metrics: true,
  clients: true,
  logger: true,
  claimCheck: true,
};

const CLIENT_OPTION_KEYS = knownKeys<ConnectorClientOptions>({ region: true, eventBusName: true, credentials: true, ...CLIENT_SETTINGS_KEYS });
const ENDPOINT_KEYS = knownKeys<ServiceEndpoints>({ events: true, sts: true, ssm: true, sqs: true, rolesAnywhere: true, s3: true });
const CLIENTS_KEYS = knownKeys<ConnectorClients>({ putEvents: true, events: true, sts: true, ssm: true, sqs: true, s3: true });
const METRICS_KEYS = knownKeys<PutEventsObserver>({ onRequest: true, onEntryFailed: true });
const CLIENT_PUT_EVENTS_KEYS = knownKeys<ClientPutEventsOptions>({ ...PUT_EVENTS_OPTION_LIST, transport: true, endpointId: true });

/**
 * Refuses an unknown key in the settings' nested objects (`putEvents`, `producer`, `quota`,
 * `endpoints`, `clients`, `metrics`), before anything is read or sent. `logger` is not checked: any
 * logger with `warn` and `error` fits, whatever else it has. Credentials are not either: an SDK
 * credential identity carries fields of its own (`credentialScope`, `accountId`, `$source`).
 * @throws InputError naming the key, the nearest known one and those expected
 */
export function checkSettingsKeys(settings: ConnectorClientSettings): void {
  checkOptionGroup(settings.endpoints, ENDPOINT_KEYS, 'option', 'endpoints.');
  checkOptionGroup(settings.clients, CLIENTS_KEYS, 'option', 'clients.');
  checkOptionGroup(settings.metrics, METRICS_KEYS, 'option', 'metrics.');
  checkOptionGroup(settings.putEvents, CLIENT_PUT_EVENTS_KEYS, 'option', 'putEvents.');
  checkOptionGroup(settings.producer, PRODUCER_OPTION_KEYS, 'option', 'producer.');
  checkOptionGroup(settings.quota, QUOTA_OPTION_KEYS, 'option', 'quota.');
}

export function resolveClientOptions(options: ConnectorClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InputError('missing options: expected { region, eventBusName, credentials }');
  }
  checkKnownKeys(options, CLIENT_OPTION_KEYS, 'option');
  checkSettingsKeys(options);
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
    s3: options.endpoints?.s3 ?? options.endpoint,
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
