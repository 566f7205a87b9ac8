/**
 * How the client configures the AWS SDK clients it makes. Users inject their own clients through
 * {@link AwsClientLike}, so the SDK's types stay out of our declarations.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { s3Module, sqsModule, ssmModule, stsModule } from './sdk-modules';

/** SQS's longest ReceiveMessage wait. */
const LONG_POLL_MS = 20_000;
import type { CredentialsInput } from './types';
import { definedOnly } from '../contract/defined-only';

/** An AWS SDK v3 client as the runtime uses it: `new EventBridgeClient(...)` and the like fit. */
export interface AwsClientLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy?(): void;
}

export interface SdkSettings {
  readonly region: string;
  readonly credentials: CredentialsInput;
  readonly endpoints: { readonly events?: string; readonly sts?: string; readonly ssm?: string; readonly sqs?: string; readonly s3?: string };
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Attempts the SDK makes for calls other than PutEvents. */
  readonly maxAttempts: number;
  /** Sockets per agent: at least the PutEvents concurrency, so no request waits for a socket. */
  readonly maxSockets: number;
  /** Agents to use instead of a keep-alive pair of our own (tests route every connection to a loopback recorder). */
  readonly agents?: { readonly http: HttpAgent; readonly https: HttpsAgent };
}

/** The SDK clients a connector client uses; `putEvents` is an EventBridge client of its own. */
export interface SdkClients {
  /** EventBridge for PutEvents only: one attempt per request, the EventSender retries. */
  readonly putEvents: AwsClientLike;
  /** EventBridge for everything else, with the SDK's retries. */
  readonly events: AwsClientLike;
  readonly sts: AwsClientLike;
  readonly ssm: AwsClientLike;
  /** SQS for the queue consumer; its request timeout allows for a 20-second long poll. */
  readonly sqs: AwsClientLike;
  /** S3 for the claim check; the claim check bounds each request itself (timeoutMs). */
  readonly s3: AwsClientLike;
}

/**
 * One pair of keep-alive agents shared by every client: connections to the same endpoint are
 * reused across calls, and `maxSockets` bounds them all together.
 */
function requestHandler(settings: SdkSettings, agents: { http: HttpAgent; https: HttpsAgent }) {
  return {
    httpAgent: agents.http,
    httpsAgent: agents.https,
    connectionTimeout: settings.connectTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    // Without this the SDK only logs a request that overruns its timeout and keeps waiting.
    throwOnRequestTimeout: true,
  };
}

/** The clients a connector client needs: those given, and its own for the rest. */
export function createSdkClients(settings: SdkSettings, given: Partial<SdkClients> = {}): {
  clients: SdkClients;
  owned: AwsClientLike[];
  agents: { http: HttpAgent; https: HttpsAgent };
  /**
   * The PutEvents client when the connector made it: the lean transport reads its resolved
   * configuration. Typed structurally, so that our declarations do not name the SDK.
   */
  ownPutEvents?: AwsClientLike & { readonly config: object };
} {
  const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
  const agents = settings.agents ?? { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const common = (endpoint: string | undefined, maxAttempts: number) => ({
    region: settings.region,
    credentials: settings.credentials,
    maxAttempts,
    requestHandler: requestHandler(settings, agents),
    // SDK client configuration: a key set to undefined is not always the same as one left out.
    ...definedOnly({ endpoint }),
  });
  // PutEvents requests through the SDK are bounded as a whole by put-events/sdk-transport.ts (body
  // included, which the SDK's timers are not); the SDK's own timers would only add work per request.
  const putEventsConfig = () => ({
    ...common(settings.endpoints.events, 1),
    requestHandler: { httpAgent: agents.http, httpsAgent: agents.https },
  });
  const owned: AwsClientLike[] = [];
  const own = <T extends AwsClientLike>(client: T): T => {
    owned.push(client);
    return client;
  };
  // STS and SSM are made on first use, so that their modules load only then (sdk-modules.ts).
  let sts = given.sts;
  let ssm = given.ssm;
  const ownPutEvents = given.putEvents === undefined ? own(new EventBridgeClient(putEventsConfig())) : undefined;
  let sqs = given.sqs;
  let s3 = given.s3;
  const clients: SdkClients = {
    putEvents: given.putEvents ?? ownPutEvents!,
    events: given.events ?? own(new EventBridgeClient(common(settings.endpoints.events, settings.maxAttempts))),
    get sts() {
      return (sts ??= own(new (stsModule().STSClient)(common(settings.endpoints.sts, settings.maxAttempts))));
    },
    get ssm() {
      return (ssm ??= own(new (ssmModule().SSMClient)(common(settings.endpoints.ssm, settings.maxAttempts))));
    },
    get sqs() {
      const options = common(settings.endpoints.sqs, settings.maxAttempts);
      const longPoll = { ...options.requestHandler, requestTimeout: settings.requestTimeoutMs + LONG_POLL_MS };
      return (sqs ??= own(new (sqsModule().SQSClient)({ ...options, requestHandler: longPoll })));
    },
    get s3() {
      const options = common(settings.endpoints.s3, settings.maxAttempts);
      // A payload takes longer than an API call: the claim check's own timeoutMs bounds each request.
      const { requestTimeout: _requestTimeout, ...handler } = options.requestHandler;
      const forcePathStyle = settings.endpoints.s3 !== undefined;
      return (s3 ??= own(new (s3Module().S3Client)({ ...options, requestHandler: handler, forcePathStyle })));
    },
  };
  return { clients, owned, agents, ...(ownPutEvents && { ownPutEvents }) };
}
