/**
 * PutEvents through an EventBridge global endpoint (`AWS::Events::Endpoint`): the request body
 * carries `EndpointId`, the host is `https://<EndpointId>.endpoint.events.<dnsSuffix>` (or the
 * configured endpoint URL, as the SDK's ruleset answers for a local stand-in), and the request is
 * signed with SigV4a for the region set `*`. Both transports: the lean one signs with
 * signing-sigv4a.ts; the SDK one needs a SigV4a signer registered with the SDK, which
 * {@link registerSdkSigV4a} does with the SDK's own pure-JS `@smithy/signature-v4a` (no CRT).
 */
import { signatureV4aContainer } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import { quote } from '../../contract/quote';
import { InputError } from '../errors';
import { resolvePutEventsEndpoint } from './endpoint';
import type { Target } from './lean-http';
import type { SdkConfigLike } from './sdk-config-like';
import { PutEventsSigV4aSigner } from './signing-sigv4a';
import type { Identity } from './sigv4';

/** The JSON 1.1 body with `EndpointId` after `Entries`, where the SDK's serializer writes it. */
export function withEndpointId(body: string, endpointId: string): string {
  return `${body.slice(0, -1)},"EndpointId":${JSON.stringify(endpointId)}}`;
}

/**
 * Refuses FIPS and dual-stack with a global endpoint: global endpoints have no FIPS hosts (the
 * ruleset says "FIPS is not supported with EventBridge multi-region endpoints") and the
 * connector's constructs do not create dual-stack ones, so either setting would send events
 * somewhere the contract did not describe.
 * @throws InputError naming the setting
 */
export async function checkGlobalEndpointConfig(config: unknown, endpointId: string): Promise<void> {
  const c = config as { useFipsEndpoint?: unknown; useDualstackEndpoint?: unknown };
  for (const [setting, name] of [[c.useFipsEndpoint, 'FIPS (useFipsEndpoint, AWS_USE_FIPS_ENDPOINT)'], [c.useDualstackEndpoint, 'dual-stack (useDualstackEndpoint, AWS_USE_DUALSTACK_ENDPOINT)']] as const) {
    const on = typeof setting === 'function' ? await (setting as () => Promise<unknown>)() : setting;
    if (on === true) {
      throw new InputError(`invalid putEvents.endpointId ${quote(endpointId)} with ${name} on: expected neither with a global endpoint (EventBridge global endpoints have no FIPS or dual-stack hosts here); turn the setting off or send to the regional bus`);
    }
  }
}

/** The lean transport's target for a global endpoint: the ruleset's host and a SigV4a signer. */
export async function resolveGlobalTarget(config: SdkConfigLike, endpointId: string): Promise<Target> {
  await checkGlobalEndpointConfig(config, endpointId);
  const endpoint = await resolvePutEventsEndpoint(config, endpointId);
  if (endpoint.signingScheme !== 'sigv4a') {
    // Only a ruleset that ignores EndpointId gets here: sending SigV4 would silently drop the failover.
    throw new InputError(`invalid putEvents.endpointId ${quote(endpointId)}: the SDK's endpoint ruleset gave no sigv4a scheme for it; expected an @aws-sdk/client-eventbridge that knows global endpoints`);
  }
  const credentials = config.credentials as Identity | (() => Promise<Identity>);
  return {
    ...endpoint,
    signer: new PutEventsSigV4aSigner(
      typeof credentials === 'function' ? () => credentials() : () => Promise.resolve(credentials),
      endpoint.signingName,
      config.sha256 as ConstructorParameters<typeof PutEventsSigV4aSigner>[2],
      endpoint.path,
      config.signingEscapePath ?? true,
    ),
  };
}

/**
 * Registers `@smithy/signature-v4a` as the SDK's SigV4a signer (what importing
 * `@aws-sdk/signature-v4a` does), unless one (the CRT's or another) is registered already: the
 * SDK's `SignatureV4MultiRegion` signs a PutEvents with `EndpointId` with it. Without one the
 * SDK would throw "Neither CRT nor JS SigV4a implementation is available".
 */
export function registerSdkSigV4a(): void {
  if (typeof signatureV4aContainer.SignatureV4a !== 'function') signatureV4aContainer.SignatureV4a = SignatureV4a as never;
}
