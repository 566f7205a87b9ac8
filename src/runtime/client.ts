import { BootstrapEnvironment, checkRegionCode, ParameterKeys } from '../contract';
import { definedOnly } from '../contract/defined-only';
import { createApiDestination, describeApiDestination, updateApiDestination } from './activities/api-destinations';
import { createConnection, describeConnection, updateConnection } from './activities/connections';
import type { ActivityContext } from './activities/context';
import { describeEventBus, listEventBuses, validateCredentials } from './activities/inspection';
import { registerApp } from './activities/register-app';
import type {
  ApiDestinationChange,
  ApiDestinationDescription,
  CallerIdentity,
  ConnectionChange,
  ConnectionDescription,
  CreateApiDestinationInput,
  CreateConnectionInput,
  EventBusDescription,
  EventBusSummary,
  ListEventBusesInput,
  RegisterAppInput,
  RegisterAppResult,
  UpdateApiDestinationInput,
  UpdateConnectionInput,
} from './activities/types';
import { ClaimCheckOffloader } from './claim-check/offload';
import { resolveClaimCheck } from './claim-check/options';
import type { ReceiveClaimCheckOptions } from './claim-check/options';
import { CLIENT_SETTINGS_KEYS, checkSettingsKeys, ConnectorClientOptions, ConnectorClientSettings, resolveClientOptions } from './client-options';
import { bootstrap, credentialsFromConstants, Environment, KeySources } from './constants';
import { loadConstantsWithFallback, readSecondary } from './constants/secondary';
import { resolveSecretReference } from './constants/secrets';
import type { ConnectorConstants } from './constants/types';
import { QueueConsumer } from './consumer/consumer';
import type { ConsumerOptions } from './consumer/options';
import { InputError } from './errors';
import { RegionFallbacks, RegionFallbackStats } from './fallback/region-fallbacks';
import { checkKnownKeys, knownKeys, unknownKeyProblem } from './known-keys';
import type { OutboxOptions } from './outbox/options';
import type { Outbox } from './outbox/outbox';
import { PutEventsPipeline } from './producer/pipeline';
import type { CloseOptions } from './producer/producer';
import { DEFAULT_MAX_REQUEST_BYTES } from './put-events/batcher';
import { endpointIdProblem } from './put-events/endpoint-id';
import { leanPutEvents, SdkConfigLike } from './put-events/lean-transport';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS } from './put-events/options';
import { sdkPutEvents } from './put-events/sdk-transport';
import type { EventEntry, PutEventsFunction, PutEventsResult } from './put-events/types';
import { createReceiver } from './receiver';
import { AwsClientLike, createSdkClients, SdkClients, SdkSettings } from './sdk-config';
import { quote } from '../contract/quote';
import type { Receiver } from './receiver/receiver';
import type { ReceiverOptions } from './receiver/types';
import type { PutEventsStatsSnapshot } from './stats/put-events-stats';
import type { CredentialsInput, Logger } from './types';

export interface FromParametersOptions extends ConnectorClientSettings, KeySources {
  /**
   * The connector's parameter path, e.g. `/eventbridge-connector/orders`.
   * @default - `EVENTBRIDGE_CONNECTOR_PARAMETER_PATH`, then the bootstrap file
   */
  readonly path?: string;
  /**
   * Region of the parameters. The client then works in the contract's `Region`.
   * @default - `EVENTBRIDGE_CONNECTOR_REGION`, the bootstrap file, then the SDK's region chain
   */
  readonly region?: string;
  /**
   * Credentials that read the contract (and, in static mode, the secret key). The activities use
   * the credentials the contract calls for: its static key, or a Roles Anywhere session with
   * `certificate` and `privateKey`.
   * @default - the bootstrap values (a Roles Anywhere session from the certificate) when set,
   *   else the SDK's default credential chain
   */
  readonly credentials?: CredentialsInput;
  /** Where the bootstrap values are read. @default process.env */
  readonly env?: Environment;
  /** A bootstrap file (JSON). @default - the file named by `EVENTBRIDGE_CONNECTOR_BOOTSTRAP_FILE` */
  readonly file?: string;
  /**
   * A multi-region connector's secondary region, known without the primary: when the primary
   * region's SSM does not answer within `primaryTimeoutMs` (no connection, a timeout, 5xx,
   * throttling), the contract is read from this region instead, and the client works there
   * (its contract has no EndpointId: events go to that region's bus directly). Outside AWS, set
   * `EVENTBRIDGE_CONNECTOR_SECONDARY_TRUST_ANCHOR_ARN` and `..._PROFILE_ARN` too, for a session
   * while the primary's Roles Anywhere does not answer. Counted in `stats().regionFallbacks`.
   * @default - `EVENTBRIDGE_CONNECTOR_SECONDARY_REGION`, else none (one region)
   */
  readonly secondaryRegion?: string;
  /** How long the primary region has to answer at startup when a secondary is known, in ms. @default 5000 */
  readonly primaryTimeoutMs?: number;
}

const FROM_PARAMETERS_KEYS = knownKeys<FromParametersOptions>({
  ...CLIENT_SETTINGS_KEYS,
  path: true,
  region: true,
  credentials: true,
  env: true,
  file: true,
  secondaryRegion: true,
  primaryTimeoutMs: true,
  certificate: true,
  privateKey: true,
  passphrase: true,
  intermediates: true,
});

/** `client.stats()`: PutEvents' counters and gauges, and a multi-region connector's fallbacks. */
export interface ClientStats extends PutEventsStatsSnapshot {
  /** A client from `fromParameters` of a multi-region connector: what it did because the primary region did not answer. */
  readonly regionFallbacks?: RegionFallbackStats;
}

const CLOSE_OPTION_KEYS = knownKeys<CloseOptions>({ deadlineMs: true });

/**
 * The connector's runtime client: sends events, manages connections and API destinations,
 * registers the app, inspects buses, and makes receivers.
 *
 * ```ts
 * const client = await ConnectorClient.fromParameters({ path: '/eventbridge-connector/orders' });
 * await client.putEvents([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } }]);
 * client.destroy();
 * ```
 */
export class ConnectorClient {
  /**
   * Loads the connector constants from SSM, obtains the credentials they call for, and returns a
   * client bound to the contract's bus and region. Every problem with the constants is reported
   * here, at startup.
   */
  public static async fromParameters(options: FromParametersOptions = {}): Promise<ConnectorClient> {
    checkKnownKeys(options, FROM_PARAMETERS_KEYS, 'option');
    checkSettingsKeys(options);
    const endpoints = {
      ssm: options.endpoints?.ssm ?? options.endpoint,
      rolesAnywhere: options.endpoints?.rolesAnywhere,
    };
    const keys: KeySources = {
      certificate: options.certificate,
      privateKey: options.privateKey,
      passphrase: options.passphrase,
      intermediates: options.intermediates,
    };
    let constants: ConnectorConstants;
    let credentials: CredentialsInput;
    const secondary = readSecondary(options.secondaryRegion, options.env ?? process.env);
    const primaryTimeoutMs = options.primaryTimeoutMs;
    if (primaryTimeoutMs !== undefined && !(Number.isInteger(primaryTimeoutMs) && primaryTimeoutMs >= 1 && primaryTimeoutMs <= 600_000)) {
      throw new InputError(`invalid primaryTimeoutMs ${quote(primaryTimeoutMs)}: expected whole milliseconds from 1 to 600000`);
    }
    const fallbacks = new RegionFallbacks(options.logger);
    if (options.credentials !== undefined || options.clients?.ssm !== undefined) {
      if (options.path === undefined) {
        // With credentials or an SSM client given, the bootstrap environment and file are not read.
        throw new InputError('missing path: expected the connector parameter path, such as /eventbridge-connector/orders, in the path option ' +
          `(${BootstrapEnvironment.PARAMETER_PATH} and the bootstrap file are read only when neither credentials nor clients.ssm is given)`);
      }
      constants = await loadConstantsWithFallback({
        path: options.path,
        region: options.region,
        credentials: options.credentials,
        endpoint: endpoints.ssm,
        ssm: options.clients?.ssm,
        logger: options.logger,
        secondary,
        primaryTimeoutMs,
        fallbacks,
      });
      credentials = credentialsFromConstants(constants, {
        ...keys,
        env: options.env,
        endpoints,
        ssm: options.clients?.ssm,
        ssmCredentials: options.credentials,
      });
    } else {
      ({ constants, credentials } = await bootstrap({
        ...keys,
        path: options.path,
        region: options.region,
        env: options.env,
        file: options.file,
        endpoints,
        logger: options.logger,
        secondary,
        primaryTimeoutMs,
        fallbacks,
      }));
    }
    // The settings only: the contract's region, bus and credentials replace the bootstrap ones.
    const {
      path: _path, region: _region, credentials: _credentials, env: _env, file: _file,
      secondaryRegion: _secondary, primaryTimeoutMs: _primaryTimeoutMs,
      certificate: _certificate, privateKey: _privateKey, passphrase: _passphrase, intermediates: _intermediates,
      ...settings
    } = options;
    // The contract's global endpoint, unless the caller named one (or none: `endpointId: undefined` is not "none").
    const endpointId = settings.putEvents?.endpointId ?? constants.endpointId;
    const putEvents = endpointId === undefined ? settings.putEvents : { ...settings.putEvents, endpointId };
    const contractSettings = { ...settings, ...definedOnly({ putEvents }) };
    const multiRegion = secondary !== undefined || constants.secondaryRegion !== undefined || constants.primaryRegion !== undefined;
    const { region, eventBusName } = constants;
    const client = new ConnectorClient({ ...contractSettings, region, eventBusName, credentials }, constants);
    if (multiRegion) client.regionFallbacks = fallbacks;
    return client;
  }

  /** The region the client works in. */
  public readonly region: string;
  /** The bus events go to unless an entry names another. */
  public readonly eventBusName: string;
  /** The connector constants, when the client came from {@link ConnectorClient.fromParameters}. */
  public readonly constants?: ConnectorConstants;

  private readonly clients: SdkClients;
  /** What the SDK clients were made with, for another region's (a consumer's secondary queue). */
  private readonly sdkSettings: SdkSettings;
  private readonly owned: AwsClientLike[];
  private readonly pipeline: PutEventsPipeline;
  private readonly context: ActivityContext;
  private readonly logger?: Logger;
  /** The claim check's sending half, when the client has a store. */
  private readonly claimCheck?: ClaimCheckOffloader;
  private apiKey?: Promise<string>;
  /** Set by `fromParameters` for a multi-region connector. */
  private regionFallbacks?: RegionFallbacks;

  /**
   * @param options where and as whom the client works; checked here, with an `InputError` naming
   *   the first bad value
   * @param constants set by `fromParameters` only
   */
  constructor(options: ConnectorClientOptions, constants?: ConnectorConstants) {
    const resolved = resolveClientOptions(options);
    this.region = resolved.region;
    this.eventBusName = resolved.eventBusName;
    this.logger = options.logger;
    if (constants !== undefined) this.constants = constants;

    const given = options.clients ?? {};
    const settings: SdkSettings = { ...resolved, maxSockets: Math.max(50, options.putEvents?.concurrency ?? DEFAULT_CONCURRENCY) };
    const { clients, owned, agents, ownPutEvents } = createSdkClients(
      settings,
      {
        ...given,
        // One injected EventBridge client serves both purposes unless a PutEvents one is given too.
        putEvents: given.putEvents ?? given.events,
      },
    );
    this.clients = clients;
    this.sdkSettings = { ...settings, agents };
    this.owned = owned;
    const transport = options.putEvents?.transport ?? (given.putEvents ?? given.events ? 'sdk' : 'lean');
    if (transport !== 'lean' && transport !== 'sdk') {
      throw new InputError(`invalid putEvents.transport ${quote(transport)}: expected 'lean' or 'sdk'`);
    }
    if (transport === 'lean' && !ownPutEvents) {
      throw new InputError("invalid putEvents.transport 'lean' with an injected EventBridge client (clients.putEvents or clients.events): expected transport 'sdk', which sends through it");
    }
    const endpointId = options.putEvents?.endpointId;
    const endpointIdProblemText = endpointIdProblem(endpointId);
    if (endpointIdProblemText !== undefined) throw new InputError(endpointIdProblemText);
    const putEvents: PutEventsFunction = transport === 'lean'
      ? leanPutEvents({
        config: ownPutEvents!.config as SdkConfigLike,
        agents,
        requestTimeoutMs: resolved.requestTimeoutMs,
        connectTimeoutMs: resolved.connectTimeoutMs,
        endpointId,
      })
      : sdkPutEvents(this.clients.putEvents, resolved.requestTimeoutMs, options.putEvents?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, endpointId);
    const { transport: _transport, endpointId: _endpointId, ...senderOptions } = options.putEvents ?? {};
    this.pipeline = new PutEventsPipeline(putEvents, {
      putEvents: { ...senderOptions, eventBusName: options.putEvents?.eventBusName ?? this.eventBusName },
      producer: options.producer,
      quota: options.quota,
      metrics: options.metrics,
      logger: options.logger,
    });
    const claimCheck = resolveClaimCheck(options.claimCheck, constants?.claimCheck, options.putEvents?.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES);
    const bus = options.putEvents?.eventBusName ?? this.eventBusName;
    const stamp = options.putEvents?.stampIdempotencyKey === true;
    if (claimCheck) this.claimCheck = new ClaimCheckOffloader(() => this.clients.s3, claimCheck, bus, stamp);
    this.context = {
      events: this.clients.events,
      resourceNamePrefix: constants?.resourceNamePrefix,
    };
  }

  /**
   * Sends events, any number of them: `{ source, detailType, detail, eventBusName?, time?,
   * resources?, traceHeader?, claimCheck?, idempotencyKey? }`. Resolves to one result per entry, in input order: `{ eventId }`
   * or `{ errorCode, errorMessage }`. Entries without `eventBusName` go to the client's bus.
   */
  public putEvents(entries: readonly EventEntry[]): Promise<PutEventsResult> {
    // Options are the client's (`putEvents`, `producer`, `quota`); one given per call would be ignored.
    if (arguments.length > 1 && arguments[1] !== undefined) return Promise.reject(new InputError(perCallProblem(arguments[1])));
    return this.claimCheck ? this.claimCheck.send(entries, (e) => this.pipeline.putEvents(e)) : this.pipeline.putEvents(entries);
  }

  /**
   * Sends one event, sharing a PutEvents request with other calls made within the flush window
   * (`producer.flushWindowMs`, 5 ms by default). Resolves to its EventId; rejects with a
   * `PutEventError` carrying `errorCode`, `errorMessage` and `attempts` once it finally failed.
   * A full buffer makes the call wait (or reject with `BufferFull`, per `producer.backpressure`).
   */
  public putEvent(entry: EventEntry): Promise<string> {
    return this.claimCheck ? this.claimCheck.one(entry).then((e) => this.pipeline.producer.putEvent(e)) : this.pipeline.producer.putEvent(entry);
  }

  /** Sends every buffered `putEvent` now; resolves once none is buffered or in flight. */
  public flush(): Promise<void> {
    return this.pipeline.flush();
  }

  /**
   * Stops taking events, sends what is buffered (and lets outboxes deliver) within `deadlineMs`
   * (10000 by default), then aborts every request still in flight or waiting for a retry and
   * closes the SDK clients the connector client made: once it resolves, no request of the client
   * is on the wire or starts later. A `putEvent` not yet acknowledged rejects with
   * `ProducerClosed` (not sent, or cut off on the wire: may or may not have arrived), or with its
   * last retryable error when it was waiting for a retry. Outbox entries not yet delivered stay on disk.
   */
  public async close(options: CloseOptions = {}): Promise<void> {
    checkKnownKeys(options, CLOSE_OPTION_KEYS, 'close option');
    await this.pipeline.close(options);
    this.destroy();
  }

  /**
   * Opens a durable outbox in `directory`: `add(entry)` resolves once the entry is on local disk;
   * a background deliverer sends it through the same engine and removes it once acknowledged; what
   * a killed process left is resent when the outbox opens again (at-least-once).
   */
  public outbox(options: OutboxOptions): Promise<Outbox> {
    return this.pipeline.outbox(options, this.claimCheck);
  }

  /** Counters, gauges and histograms of PutEvents traffic, shaped for OpenTelemetry (see `METRIC_NAMES`). */
  public stats(): ClientStats {
    const snapshot = this.pipeline.stats.snapshot();
    return this.regionFallbacks === undefined ? snapshot : { ...snapshot, regionFallbacks: this.regionFallbacks.snapshot() };
  }

  public createConnection(input: CreateConnectionInput): Promise<ConnectionChange> {
    return createConnection(this.context, input);
  }

  public updateConnection(input: UpdateConnectionInput): Promise<ConnectionChange> {
    return updateConnection(this.context, input);
  }

  public describeConnection(name: string): Promise<ConnectionDescription> {
    return describeConnection(this.context, name);
  }

  public createApiDestination(input: CreateApiDestinationInput): Promise<ApiDestinationChange> {
    return createApiDestination(this.context, input);
  }

  public updateApiDestination(input: UpdateApiDestinationInput): Promise<ApiDestinationChange> {
    return updateApiDestination(this.context, input);
  }

  public describeApiDestination(name: string): Promise<ApiDestinationDescription> {
    return describeApiDestination(this.context, name);
  }

  /**
   * Makes sure a connection with the app's API key and an API destination calling its endpoint
   * exist; creates or updates only what differs, so it is safe to call on every start. With a
   * client from `fromParameters`, names, endpoint, header and key default to the contract's
   * receiving keys.
   */
  public async registerApp(input: RegisterAppInput = {}): Promise<RegisterAppResult> {
    const receiving = this.constants?.receiving;
    const endpoint = input.endpoint ?? receiving?.endpoint;
    if (endpoint === undefined) {
      throw new InputError('missing endpoint: expected the URL of the app\'s receive handler, or a client from fromParameters whose contract has ReceiveEndpoint');
    }
    const apiKey = input.apiKey ?? (receiving ? await this.contractApiKey() : undefined);
    if (apiKey === undefined) {
      throw new InputError('missing apiKey: expected the key EventBridge sends to the app, or a client from fromParameters whose contract has ApiKeySecret');
    }
    return registerApp(this.context, { ...input, endpoint, apiKey }, {
      ...(receiving && {
        connectionName: receiving.connectionName,
        apiDestinationName: receiving.apiDestinationName,
        apiKeyHeader: receiving.apiKeyHeader,
      }),
    });
  }

  /** STS GetCallerIdentity with the client's credentials: `{ account, arn, userId }`. */
  public validateCredentials(): Promise<CallerIdentity> {
    return validateCredentials(this.clients.sts);
  }

  /** Every event bus in the client's region (all pages), optionally those with a name prefix. */
  public listEventBuses(input: ListEventBusesInput = {}): Promise<EventBusSummary[]> {
    return listEventBuses(this.clients.events, input);
  }

  /** Describes a bus by name or ARN; the client's bus by default. */
  public describeEventBus(name: string = this.eventBusName): Promise<EventBusDescription> {
    return describeEventBus(this.clients.events, name);
  }

  /**
   * A receiver for the app's endpoint. Without `apiKey`/`apiKeys`, it accepts the key in the
   * contract's ApiKeySecret, in the contract's ApiKeyHeader (for a client from `fromParameters`).
   */
  public async receiver(options: ReceiverOptions = {}): Promise<Receiver> {
    const receiving = this.constants?.receiving;
    const keyGiven = options.apiKey !== undefined || options.apiKeys !== undefined;
    if (!keyGiven && !receiving) {
      throw new InputError('missing apiKey: expected apiKey or apiKeys, or a client from fromParameters whose contract has the receiving keys');
    }
    return createReceiver({
      ...(receiving && { apiKeyHeader: receiving.apiKeyHeader }),
      ...(this.logger && { logger: this.logger }),
      ...options,
      ...(!keyGiven && { apiKey: await this.contractApiKey() }),
      claimCheck: options.claimCheck ?? this.receiveClaimCheck(),
    });
  }

  /**
   * A consumer of the connector's queue (see `addQueueReceiver`): `on(detailType, handler)`, then
   * `start()`; `stop()` before exit. Polls with the client's credentials; the queue is the
   * contract's `QueueUrl` unless `options.queueUrl` names another.
   */
  public consumer(options: ConsumerOptions = {}): QueueConsumer {
    const queueUrl = options.queueUrl ?? this.constants?.queue?.queueUrl;
    if (queueUrl === undefined) {
      throw new InputError('missing queueUrl: expected queueUrl, or a client from fromParameters whose contract has QueueUrl');
    }
    const claimCheck = options.claimCheck ?? this.receiveClaimCheck();
    const secondarySqs = options.secondaryQueueUrl === undefined
      ? undefined
      : this.sqsIn(this.secondaryQueueRegion(options.secondaryQueueUrl, options.secondaryRegion));
    const logger = this.logger && { logger: this.logger };
    return new QueueConsumer(this.clients.sqs, { ...logger, ...options, queueUrl, claimCheck, ...(secondarySqs && { secondarySqs }) });
  }

  /** The region of a consumer's `secondaryQueueUrl`: given, in the URL's host, or the contract's `SecondaryRegion`. */
  private secondaryQueueRegion(queueUrl: string, given: string | undefined): string {
    const region = given ?? /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(queueUrl)?.[1] ?? this.constants?.secondaryRegion;
    if (region === undefined) {
      throw new InputError(`missing secondaryRegion for secondaryQueueUrl ${quote(queueUrl)}: expected secondaryRegion, a queue URL naming its region (https://sqs.<region>.amazonaws.com/...), or a client from fromParameters whose contract has SecondaryRegion`);
    }
    const problem = checkRegionCode(region);
    if (problem) throw new InputError(problem.replace(/^invalid region/, 'invalid secondaryRegion'));
    if (region === this.region) throw new InputError(`invalid secondaryRegion ${quote(region)}: it is the client's region, expected the secondary region of the queue`);
    return region;
  }

  /** An SQS client of another region, with the client's credentials, endpoints and sockets; closed by `destroy()`. */
  private sqsIn(region: string): AwsClientLike {
    // The EventBridge clients given are the client's own: createSdkClients makes no others, and SQS only on use.
    const { clients, owned } = createSdkClients({ ...this.sdkSettings, region }, { putEvents: this.clients.putEvents, events: this.clients.events });
    const sqs = clients.sqs;
    this.owned.push(...owned);
    return sqs;
  }

  /**
   * Aborts every PutEvents request of the client (in flight, in backoff, or not yet sent) and
   * closes the SDK clients the connector client made (and their sockets); injected ones stay open.
   */
  public destroy(): void {
    this.pipeline.abort();
    for (const client of this.owned) client.destroy?.();
  }

  /** What the client's receivers and consumers fetch payloads with: its store's bucket and prefix only. */
  private receiveClaimCheck(): ReceiveClaimCheckOptions | undefined {
    const c = this.claimCheck?.settings;
    if (c === undefined) return undefined;
    const { bucket, keyPrefix, deliver, maxPayloadBytes, timeoutMs } = c;
    return { s3: this.clients.s3, bucket, keyPrefix, deliver, maxPayloadBytes, timeoutMs };
  }

  /** The API key value the contract's ApiKeySecret refers to, read once. */
  private contractApiKey(): Promise<string> {
    const reference = this.constants?.receiving?.apiKeySecretReference;
    if (reference === undefined) return Promise.reject(new InputError('the contract has no ApiKeySecret'));
    this.apiKey ??= resolveSecretReference(reference, { ssm: this.clients.ssm, key: ParameterKeys.API_KEY_SECRET }).catch((error: unknown) => {
      this.apiKey = undefined;
      throw error;
    });
    return this.apiKey;
  }
}

/** Why a second argument of `putEvents` is refused: it takes none (a global endpoint's `endpointId` included). */
function perCallProblem(given: unknown): string {
  const expected = 'expected putEvents(entries) alone: its options are the client\'s putEvents, producer and quota';
  if (typeof given !== 'object' || given === null) return `invalid second argument of putEvents (${typeof given === 'object' ? 'null' : `a ${typeof given}`}): ${expected}`;
  return unknownKeyProblem(given, [], 'putEvents option') ?? `invalid second argument of putEvents (an object): ${expected}`;
}
