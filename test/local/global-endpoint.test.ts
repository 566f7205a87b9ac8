/**
 * The loopback global endpoint: the runtime's requests over both transports pass its SigV4a
 * check (the independent verifier of src/local, not the runtime's signer), go to the primary
 * region's EventBridge or, once the primary is marked unhealthy, to the secondary's, and are
 * replicated to the other region; what the service would refuse is refused.
 */
import { request } from 'node:http';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { GlobalEndpoint, startGlobalEndpoint } from '../../src/local/global-endpoint';
import { ConnectorClient } from '../../src/runtime';
import type { PutEventsTransport } from '../../src/runtime/put-events';
import { registerSdkSigV4a } from '../../src/runtime/put-events/global-endpoint';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const ENDPOINT_ID = 'abcde.veo';
const entry = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: `o-${n}` } });

let primary: EventBridgeEndpoint;
let secondary: EventBridgeEndpoint;
let global: GlobalEndpoint;

beforeAll(async () => {
  primary = await startEventBridgeEndpoint();
  secondary = await startEventBridgeEndpoint();
  global = await startGlobalEndpoint({
    endpointId: ENDPOINT_ID,
    primary: { region: 'us-east-1', endpoint: primary.endpoint },
    secondary: { region: 'us-west-2', endpoint: secondary.endpoint },
    secretFor: (id) => (id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined),
  });
});
afterAll(async () => {
  await global.stop();
  await primary.stop();
  await secondary.stop();
});

const orderIds = (endpoint: EventBridgeEndpoint) =>
  [...endpoint.accepted.values()].map((e) => (JSON.parse(e.detail) as { orderId: string }).orderId).sort();

describe.each<PutEventsTransport>(['lean', 'sdk'])('the %s transport through the global endpoint', (transport) => {
  test('is accepted by the SigV4a check, routed by health, and replicated', async () => {
    const client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoints: { events: global.endpoint },
      putEvents: { transport, endpointId: ENDPOINT_ID, maxAttempts: 1 },
    });
    const before = {
      primary: primary.acceptedCount, secondary: secondary.acceptedCount, routed: { ...global.routed }, refused: { ...global.refused },
    };
    try {
      await global.setPrimaryHealthy(true);
      const healthy = await client.putEvents([entry(1), entry(2)]);
      expect(healthy.failedEntryCount).toBe(0);
      await global.setPrimaryHealthy(false);
      const failedOver = await client.putEvents([entry(3)]);
      expect(failedOver.failedEntryCount).toBe(0);
      await global.setPrimaryHealthy(true); // and the replication of the failed-over event goes back
    } finally {
      await client.close();
    }
    expect(global.refused).toEqual(before.refused);
    expect(global.routed['us-east-1'] - before.routed['us-east-1']).toBe(1);
    expect(global.routed['us-west-2'] - before.routed['us-west-2']).toBe(1);
    // Each region has all three: two sent to the primary and replicated, one sent to the secondary and replicated back.
    expect(primary.acceptedCount - before.primary).toBe(3);
    expect(secondary.acceptedCount - before.secondary).toBe(3);
    const accepted = [...primary.accepted.values()].slice(-3);
    expect(accepted.every((e) => e.eventBusName === 'orders')).toBe(true);
  });
});

test('the same event has another EventId in the other region, as replication gives it', async () => {
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoints: { events: global.endpoint }, putEvents: { endpointId: ENDPOINT_ID } });
  try {
    const result = await client.putEvents([entry(99)]);
    await global.flushReplication();
    const eventId = result.entries[0].eventId!;
    expect(primary.accepted.has(eventId)).toBe(true);
    expect(secondary.accepted.has(eventId)).toBe(false);
    expect(orderIds(secondary)).toContain('o-99');
  } finally {
    await client.close();
  }
});

/** One raw PutEvents to the stand-in: status and error type. */
function raw(headers: Record<string, string>, body: string): Promise<{ status: number; type?: string; message: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(global.endpoint);
    const req = request({ hostname: url.hostname, port: url.port, path: '/', method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['x-amzn-errortype'] as string | undefined, message: (JSON.parse(text) as { message: string }).message }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('what the service would refuse', () => {
  /** A request signed by the runtime's SDK transport, captured before it is sent. */
  async function signedRequest(endpointId = ENDPOINT_ID): Promise<{ headers: Record<string, string>; body: string }> {
    registerSdkSigV4a();
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: global.endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
    let captured: { headers: Record<string, string>; body: string } | undefined;
    client.middlewareStack.add((() => async (args: { request: { headers: Record<string, string>; body: string } }) => {
      captured = { headers: { ...args.request.headers }, body: new TextDecoder().decode(args.request.body as unknown as Uint8Array) };
      return { response: { statusCode: 200, headers: {}, body: Buffer.from('{"FailedEntryCount":0,"Entries":[{"EventId":"x"}]}') }, output: {} };
    }) as never, { step: 'finalizeRequest', priority: 'low', name: 'capture' });
    try {
      await client.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }], EndpointId: endpointId })).catch(() => undefined);
    } finally {
      client.destroy();
    }
    return captured!;
  }

  test('the untouched request is accepted (the capture is a real request)', async () => {
    const { headers, body } = await signedRequest();
    expect(headers.authorization).toMatch(/^AWS4-ECDSA-P256-SHA256 /);
    expect((await raw(headers, body)).status).toBe(200);
  });

  test('a tampered body: InvalidSignatureException', async () => {
    const { headers, body } = await signedRequest();
    const answer = await raw(headers, body.replace('"s"', '"t"'));
    expect(answer).toEqual({ status: 400, type: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated does not match/) });
  });

  test('another endpoint id, correctly signed: ResourceNotFoundException', async () => {
    const { headers, body } = await signedRequest('other.xyz');
    expect(await raw(headers, body)).toEqual(expect.objectContaining({ status: 400, type: 'ResourceNotFoundException' }));
  });

  test('a SigV4 request with EndpointId (the regional signature) is refused', async () => {
    const { headers, body } = await signedRequest();
    const sigv4 = { ...headers, authorization: headers.authorization.replace('AWS4-ECDSA-P256-SHA256', 'AWS4-HMAC-SHA256') };
    expect(await raw(sigv4, body)).toEqual(expect.objectContaining({ status: 400, type: 'IncompleteSignatureException' }));
  });
});
