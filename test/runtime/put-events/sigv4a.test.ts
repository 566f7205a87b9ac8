/**
 * SigV4a of the lean transport: it agrees with the SDK's own signer (`@smithy/signature-v4a`)
 * on the first request's check, derives its key once per key pair, and its signatures (and the
 * reference's) verify with the independent verifier of src/local; the host and scheme are the
 * SDK ruleset's for an EndpointId; FIPS and dual-stack are refused with one.
 */
import { createHash } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { NodeSha256 } from '../../../src/local/node-sha256';
import { verifySigV4a } from '../../../src/local/sigv4a-verifier';
import { resolvePutEventsEndpoint } from '../../../src/runtime/put-events/endpoint';
import { resolveGlobalTarget, withEndpointId } from '../../../src/runtime/put-events/global-endpoint';
import { PutEventsSigV4aSigner } from '../../../src/runtime/put-events/signing-sigv4a';
import type { UnsignedRequest } from '../../../src/runtime/put-events/sigv4';
import { deriveSigV4aKeyPair, PlainPathSigV4aSigner } from '../../../src/runtime/put-events/sigv4a';
import { serializePutEvents } from '../../../src/runtime/put-events/wire';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+with=odd chars' };
const NOW = new Date('2026-11-29T12:34:56.789Z');
const BODY = withEndpointId(serializePutEvents([{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}' }]), 'abcde.veo');

function request(path = '/'): UnsignedRequest {
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: 'abcde.veo.endpoint.events.amazonaws.com',
    path,
    query: {},
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.PutEvents',
      'content-length': String(Buffer.byteLength(BODY)),
      'host': 'abcde.veo.endpoint.events.amazonaws.com',
      'x-amz-content-sha256': createHash('sha256').update(BODY).digest('hex'),
    },
    body: BODY,
  };
}

const asObject = (list: string[]) => {
  const headers: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) headers[list[i]] = list[i + 1];
  return headers;
};

const verify = (headers: Record<string, string>, options: { region?: string; now?: Date; body?: string; secret?: string } = {}) =>
  verifySigV4a({ method: 'POST', path: '/', headers, body: options.body ?? BODY }, {
    secretFor: (id) => (id === CREDENTIALS.accessKeyId ? options.secret ?? CREDENTIALS.secretAccessKey : undefined),
    region: options.region ?? 'eu-west-1',
    service: 'events',
    now: options.now ?? NOW,
  });

describe('the lean SigV4a signer', () => {
  test('the first request is checked against @smithy/signature-v4a and agrees; later ones are signed by the fast path', async () => {
    const signer = new PutEventsSigV4aSigner(async () => CREDENTIALS, 'events', NodeSha256 as never, '/', true);
    const first = asObject(await signer.signToList(request(), NOW));
    expect(signer.fast).toBe(true);
    const second = asObject(await signer.signToList(request(), NOW));
    for (const headers of [first, second]) {
      expect(headers['x-amz-region-set']).toBe('*');
      expect(headers.authorization).toMatch(/^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/20261129\/events\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-region-set;x-amz-security-token;x-amz-target, Signature=[0-9a-f]+$/);
      expect(verify(headers)).toEqual(expect.objectContaining({ accessKeyId: 'AKIDEXAMPLE', regionSet: ['*'], sessionToken: CREDENTIALS.sessionToken }));
    }
    // ECDSA is randomized: two signatures of the same request differ, both valid.
    expect(first.authorization).not.toBe(second.authorization);
  });

  test('a path that needs escaping is signed by the reference every time, and still verifies', async () => {
    // As a configured endpoint URL's pathname gives it: already percent-encoded once.
    const signer = new PutEventsSigV4aSigner(async () => CREDENTIALS, 'events', NodeSha256 as never, '/base%20path/', true);
    const headers = asObject(await signer.signToList(request('/base%20path/'), NOW));
    expect(signer.fast).toBe(false);
    expect(() => verifySigV4a({ method: 'POST', path: '/base%20path/', headers, body: BODY }, {
      secretFor: () => CREDENTIALS.secretAccessKey, region: 'us-east-1', service: 'events', now: NOW,
    })).not.toThrow();
  });

  test('the key is derived once per key pair, again when the secret rotates in place', async () => {
    const identity = { ...CREDENTIALS };
    const signer = new PlainPathSigV4aSigner(async () => identity, 'events');
    for (let i = 0; i < 20; i++) await signer.signToList(request(), NOW);
    expect(signer.derivations).toBe(1);
    identity.secretAccessKey = 'another/secret/of/forty/characters/xxxxx';
    const rotated = asObject(await signer.signToList(request(), NOW));
    expect(signer.derivations).toBe(2);
    expect(() => verify(rotated, { secret: identity.secretAccessKey })).not.toThrow();
    expect(() => verify(rotated)).toThrow(/does not match/);
  });

  test('the derived key does not depend on the day: one key pair signs across midnight', async () => {
    const a = deriveSigV4aKeyPair('AKIDEXAMPLE', CREDENTIALS.secretAccessKey).publicKey.export({ format: 'jwk' });
    const b = deriveSigV4aKeyPair('AKIDEXAMPLE', CREDENTIALS.secretAccessKey).publicKey.export({ format: 'jwk' });
    const other = deriveSigV4aKeyPair('AKIDEXAMPLF', CREDENTIALS.secretAccessKey).publicKey.export({ format: 'jwk' });
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
  });
});

describe('the verifier refuses what the service would', () => {
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = asObject(await new PlainPathSigV4aSigner(async () => CREDENTIALS, 'events').signToList(request(), NOW));
  });

  test('a body changed after signing', () => {
    expect(() => verify(headers, { body: BODY.replace('o-1', 'o-2') })).toThrow(expect.objectContaining({ code: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated does not match/) }));
  });

  test('a signed header changed after signing', () => {
    expect(() => verify({ ...headers, 'x-amz-target': 'AWSEvents.ListRules' })).toThrow(/does not match/);
  });

  test('a region set that leaves out the serving region', async () => {
    const narrow = new PlainPathSigV4aSigner(async () => CREDENTIALS, 'events', 'us-east-1,us-west-*');
    const signed = asObject(await narrow.signToList(request(), NOW));
    expect(() => verify(signed, { region: 'us-west-2' })).not.toThrow();
    expect(() => verify(signed, { region: 'eu-west-1' })).toThrow(expect.objectContaining({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Credential should be scoped to a valid region/) }));
    // The region set is signed: widening it afterwards breaks the signature.
    expect(() => verify({ ...signed, 'x-amz-region-set': '*' }, { region: 'eu-west-1' })).toThrow(/does not match/);
  });

  test('a date more than 5 minutes old, or ahead', () => {
    expect(() => verify(headers, { now: new Date(NOW.getTime() + 5 * 60_000 + 2_000) })).toThrow(expect.objectContaining({ code: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired: 20261129T123456Z is now earlier than 20261129T123458Z \(20261129T123958Z - 5 min\.\)$/) }));
    expect(() => verify(headers, { now: new Date(NOW.getTime() - 6 * 60_000) })).toThrow(/^Signature not yet current/);
    expect(() => verify(headers, { now: new Date(NOW.getTime() + 4 * 60_000) })).not.toThrow();
  });

  test('an unknown access key, a SigV4 signature, and no signature at all', () => {
    expect(() => verifySigV4a({ method: 'POST', path: '/', headers, body: BODY }, { secretFor: () => undefined, region: 'eu-west-1', service: 'events', now: NOW }))
      .toThrow(expect.objectContaining({ code: 'UnrecognizedClientException' }));
    expect(() => verify({ ...headers, authorization: headers.authorization.replace('AWS4-ECDSA-P256-SHA256', 'AWS4-HMAC-SHA256') })).toThrow(expect.objectContaining({ code: 'IncompleteSignatureException' }));
    const { authorization: _none, ...unsigned } = headers;
    expect(() => verify(unsigned)).toThrow(expect.objectContaining({ code: 'MissingAuthenticationTokenException', status: 403 }));
  });
});

describe('the endpoint of a PutEvents with EndpointId is the SDK ruleset\'s', () => {
  const make = (extra: object = {}) => new EventBridgeClient({ region: 'eu-west-1', credentials: CREDENTIALS, ...extra });

  test.each([
    ['eu-west-1', 'abcde.veo.endpoint.events.amazonaws.com'],
    ['cn-north-1', 'abcde.veo.endpoint.events.amazonaws.com.cn'],
  ])('in %s: %s, sigv4a for the region set *', async (region, host) => {
    const client = make({ region });
    try {
      const endpoint = await resolvePutEventsEndpoint(client.config, 'abcde.veo');
      expect(endpoint).toEqual(expect.objectContaining({ https: true, host, path: '/', signingScheme: 'sigv4a', signingRegion: '*', signingName: 'events' }));
      expect((await resolvePutEventsEndpoint(client.config)).signingScheme).toBeUndefined();
    } finally {
      client.destroy();
    }
  });

  test('a configured endpoint URL is kept, as the SDK keeps it with EndpointId (local stand-ins)', async () => {
    const client = make({ endpoint: 'http://127.0.0.1:4010' });
    try {
      expect(await resolvePutEventsEndpoint(client.config, 'abcde.veo')).toEqual(expect.objectContaining({ https: false, host: '127.0.0.1:4010', signingScheme: 'sigv4a' }));
    } finally {
      client.destroy();
    }
  });

  test.each([
    [{ useFipsEndpoint: true }, /with FIPS \(useFipsEndpoint, AWS_USE_FIPS_ENDPOINT\) on/],
    [{ useDualstackEndpoint: true }, /with dual-stack \(useDualstackEndpoint, AWS_USE_DUALSTACK_ENDPOINT\) on/],
  ])('%j with an endpoint id is refused', async (setting, message) => {
    const client = make(setting);
    try {
      await expect(resolveGlobalTarget(client.config as never, 'abcde.veo')).rejects.toThrow(message);
    } finally {
      client.destroy();
    }
  });
});
