/**
 * PutEvents without the SDK's per-call machinery: the JSON 1.1 body written directly, signed
 * with SigV4 checked against the SDK's own signer (`@smithy/signature-v4`, see signing.ts), sent
 * over the client's keep-alive agents by lean-http.ts. Everything that decides *where* and *as
 * whom* comes from an SDK EventBridge client's resolved configuration: its endpoint, resolved by
 * the SDK's own code once per client (endpoint.ts: options, environment, shared config, FIPS,
 * dual-stack, the ruleset), its memoized credential provider, its hash and its clock-skew
 * offset, which lean-http.ts reads and corrects as the SDK does. Error answers are read by the
 * SDK's own code (http-errors.ts, and the client's protocol object for odd shapes).
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { resolvePutEventsEndpoint } from './endpoint';
import { resolveGlobalTarget, withEndpointId } from './global-endpoint';
import { readErrorAnswer } from './http-errors';
import { ErrorAnswerReader, rawHeader, sendPutEvents, Target } from './lean-http';
import type { SdkConfigLike } from './sdk-config-like';
import { readWithSdkProtocol } from './sdk-error-reader';
import { Identity, PutEventsSigner } from './signing';
import type { PutEventsFunction } from './types';
import { serializePutEvents } from './wire';

export { closedEarly, MAX_RESPONSE_BYTES, tooLargeResponse, unsignedRequest, USER_AGENT } from './lean-http';

export type { SdkConfigLike } from './sdk-config-like';

export interface LeanTransportSettings {
  readonly config: SdkConfigLike;
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  /** Whole request, response body included. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** A global endpoint's `EndpointId`: requests carry it and are signed with SigV4a (global-endpoint.ts). */
  readonly endpointId?: string;
}

/** A {@link PutEventsFunction} over the lean transport. */
export function leanPutEvents(settings: LeanTransportSettings): PutEventsFunction {
  let target: Promise<Target> | undefined;
  const { endpointId } = settings;
  const resolveEither = () => (endpointId === undefined ? resolveTarget(settings.config) : resolveGlobalTarget(settings.config, endpointId));
  const resolve = () => {
    target ??= resolveEither().catch((error: unknown) => {
      target = undefined; // a failed resolution (credentials, region) is tried again next call
      throw error;
    });
    return target;
  };
  const { config } = settings;
  // The SDK's loadJsonRpcErrorCode for the usual answers; the client's protocol object itself for odd shapes.
  const readError: ErrorAnswerReader = (status, rawHeaders, text) => {
    const fast = readErrorAnswer(rawHeader(rawHeaders, 'x-amzn-errortype'), text);
    return fast === 'ask-the-sdk' ? readWithSdkProtocol(config, status, rawHeaders, text) : fast;
  };
  const { agents, requestTimeoutMs, connectTimeoutMs } = settings;
  const exchange = { clock: config, agents, requestTimeoutMs, connectTimeoutMs, readError };
  if (endpointId !== undefined) {
    return async (entries, _attempt, signal) =>
      sendPutEvents(await resolve(), exchange, withEndpointId(serializePutEvents(entries), endpointId), signal);
  }
  return async (entries, _attempt, signal) => sendPutEvents(await resolve(), exchange, serializePutEvents(entries), signal);
}

/** Resolves the endpoint as the SDK client would for a PutEventsCommand (endpoint.ts), once. */
export async function resolveTarget(config: SdkConfigLike): Promise<Target & { readonly signer: PutEventsSigner }> {
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

/** The client's credential provider (the SDK memoizes it, refreshing before expiry), or its static credentials. */
export function credentialsOf(config: SdkConfigLike): () => Promise<Identity> {
  const credentials = config.credentials as Identity | (() => Promise<Identity>);
  return typeof credentials === 'function' ? () => credentials() : () => Promise.resolve(credentials);
}
