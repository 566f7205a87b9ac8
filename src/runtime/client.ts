import { ParameterKeys } from '../contract';
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
import { ConnectorClientOptions, ConnectorClientSettings, resolveClientOptions } from './client-options';
import { bootstrap, credentialsFromConstants, Environment, KeySources, loadConstants } from './constants';
import { resolveSecretReference } from './constants/secrets';
import type { ConnectorConstants } from './constants/types';
import { QueueConsumer } from './consumer/consumer';
import type { ConsumerOptions } from './consumer/options';
import { InputError } from './errors';
import type { OutboxOptions } from './outbox/options';
import type { Outbox } from './outbox/outbox';
import { PutEventsPipeline } from './producer/pipeline';
import type { CloseOptions } from './producer/producer';
import { leanPutEvents, SdkConfigLike } from './put-events/lean-transport';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS } from './put-events/options';
import { sdkPutEvents } from './put-events/sdk-transport';
import { createReceiver } from './receiver';
import { quote } from '../contract/quote';
import type { EventEntry, PutEventsFunction, PutEventsResult } from './put-events/types';
import type { Receiver } from './receiver/receiver';
import type { ReceiverOptions } from './receiver/types';
import { AwsClientLike, createSdkClients, SdkClients } from './sdk-config';
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
}

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
    const endpoints = {
      ssm: options.endpoints?.ssm ?? options.endpoint,
      ...(options.endpoints?.rolesAnywhere !== undefined && { rolesAnywhere: options.endpoints.rolesAnywhere }),
    };
    const keys: KeySources = {
      ...(options.certificate !== undefined && { certificate: options.certificate }),
      ...(options.privateKey !== undefined && { privateKey: options.privateKey }),
      ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
      ...(options.intermediates !== undefined && { intermediates: options.intermediates }),
    };
    let constants: ConnectorConstants;
    let credentials: CredentialsInput;
    if (options.credentials !== undefined || options.clients?.ssm !== undefined) {
      if (options.path === undefined) throw new InputError('missing path: expected the connector parameter path, such as /eventbridge-connector/orders');
      constants = await loadConstants({
        path: options.path,
        ...(options.region !== undefined && { region: options.region }),
        ...(options.credentials !== undefined && { credentials: options.credentials }),
        ...(endpoints.ssm !== undefined && { endpoint: endpoints.ssm }),
        ...(options.clients?.ssm !== undefined && { ssm: options.clients.ssm }),
        ...(options.logger !== undefined && { logger: options.logger }),
      });
      credentials = credentialsFromConstants(constants, {
        ...keys,
        ...(options.env !== undefined && { env: options.env }),
        endpoints,
        ...(options.clients?.ssm !== undefined && { ssm: options.clients.ssm }),
        ...(options.credentials !== undefined && { ssmCredentials: options.credentials }),
      });
    } else {
      ({ constants, credentials } = await bootstrap({
        ...keys,
        ...(options.path !== undefined && { path: options.path }),
        ...(options.region !== undefined && { region: options.region }),
        ...(options.env !== undefined && { env: options.env }),
        ...(options.file !== undefined && { file: options.file }),
        endpoints,
        ...(options.logger !== undefined && { logger: options.logger }),
      }));
    }
    return new ConnectorClient({ ...options, region: constants.region, eventBusName: constants.eventBusName, credentials }, constants);
  }

  /** The region the client works in. */
  public readonly region: string;
  /** The bus events go to unless an entry names another. */
  public readonly eventBusName: string;
  /** The connector constants, when the client came from {@link ConnectorClient.fromParameters}. */
  public readonly constants?: ConnectorConstants;

  private readonly clients: SdkClients;
  private readonly owned: AwsClientLike[];
  private readonly pipeline: PutEventsPipeline;
  private readonly context: ActivityContext;
  private readonly logger?: Logger;
  private apiKey?: Promise<string>;

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
    const { clients, owned, agents, ownPutEvents } = createSdkClients(
      {
        ...resolved,
        maxSockets: Math.max(50, options.putEvents?.concurrency ?? DEFAULT_CONCURRENCY),
      },
      {
        ...given,
        // One injected EventBridge client serves both purposes unless a PutEvents one is given too.
        ...(given.putEvents === undefined && given.events !== undefined && { putEvents: given.events }),
      },
    );
    this.clients = clients;
    this.owned = owned;
    const transport = options.putEvents?.transport ?? (given.putEvents ?? given.events ? 'sdk' : 'lean');
    if (transport !== 'lean' && transport !== 'sdk') {
      throw new InputError(`invalid putEvents.transport ${quote(transport)}: expected 'lean' or 'sdk'`);
    }
    if (transport === 'lean' && !ownPutEvents) {
      throw new InputError("invalid putEvents.transport 'lean' with an injected EventBridge client (clients.putEvents or clients.events): expected transport 'sdk', which sends through it");
    }
    const putEvents: PutEventsFunction = transport === 'lean'
      ? leanPutEvents({
        config: ownPutEvents!.config as SdkConfigLike,
        agents,
        requestTimeoutMs: resolved.requestTimeoutMs,
        connectTimeoutMs: resolved.connectTimeoutMs,
      })
      : sdkPutEvents(this.clients.putEvents, resolved.requestTimeoutMs, options.putEvents?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const { transport: _transport, ...senderOptions } = options.putEvents ?? {};
    this.pipeline = new PutEventsPipeline(putEvents, {
      putEvents: { ...senderOptions, eventBusName: options.putEvents?.eventBusName ?? this.eventBusName },
      ...(options.producer !== undefined && { producer: options.producer }),
      ...(options.quota !== undefined && { quota: options.quota }),
      ...(options.metrics !== undefined && { metrics: options.metrics }),
      ...(options.logger !== undefined && { logger: options.logger }),
    });
    this.context = {
      events: this.clients.events,
      ...(constants?.resourceNamePrefix !== undefined && { resourceNamePrefix: constants.resourceNamePrefix }),
    };
  }

  /**
   * Sends events, any number of them: `{ source, detailType, detail, eventBusName?, time?,
   * resources?, traceHeader? }`. Resolves to one result per entry, in input order: `{ eventId }`
   * or `{ errorCode, errorMessage }`. Entries without `eventBusName` go to the client's bus.
   */
  public putEvents(entries: readonly EventEntry[]): Promise<PutEventsResult> {
    return this.pipeline.putEvents(entries);
  }

  /**
   * Sends one event, sharing a PutEvents request with other calls made within the flush window
   * (`producer.flushWindowMs`, 5 ms by default). Resolves to its EventId; rejects with a
   * `PutEventError` carrying `errorCode`, `errorMessage` and `attempts` once it finally failed.
   * A full buffer makes the call wait (or reject with `BufferFull`, per `producer.backpressure`).
   */
  public putEvent(entry: EventEntry): Promise<string> {
    return this.pipeline.producer.putEvent(entry);
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
    await this.pipeline.close(options);
    this.destroy();
  }

  /**
   * Opens a durable outbox in `directory`: `add(entry)` resolves once the entry is on local disk;
   * a background deliverer sends it through the same engine and removes it once acknowledged; what
   * a killed process left is resent when the outbox opens again (at-least-once).
   */
  public outbox(options: OutboxOptions): Promise<Outbox> {
    return this.pipeline.outbox(options);
  }

  /** Counters, gauges and histograms of PutEvents traffic, shaped for OpenTelemetry (see `METRIC_NAMES`). */
  public stats(): PutEventsStatsSnapshot {
    return this.pipeline.stats.snapshot();
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
    return new QueueConsumer(this.clients.sqs, { ...(this.logger && { logger: this.logger }), ...options, queueUrl });
  }

  /**
   * Aborts every PutEvents request of the client (in flight, in backoff, or not yet sent) and
   * closes the SDK clients the connector client made (and their sockets); injected ones stay open.
   */
  public destroy(): void {
    this.pipeline.abort();
    for (const client of this.owned) client.destroy?.();
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
