/**
 * Proof that the lean transport signs as the SDK does: the same entries are sent through the SDK
 * client and through the lean transport to a loopback server at the same (frozen) instant; the
 * requests captured on the wire are compared, and both signatures are checked against a SigV4
 * computation written here from the specification, independently of either.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { putEventsOver } from './sdk';
import { EventSender, PutEventsTransport } from '../../../src/runtime/put-events';
import { resolveTarget, unsignedRequest, USER_AGENT } from '../../../src/runtime/put-events/lean-transport';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+with=odd chars' };
const REGION = 'eu-west-1';
const FROZEN = new Date('2026-11-29T12:34:56.789Z');

interface Captured { method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** SigV4 from the specification: canonical request over the headers the request says it signed. */
function canonicalRequest(req: Captured): { canonical: string; signedHeaders: string[] } {
  const auth = /SignedHeaders=([^,]+), Signature=/.exec(req.headers.authorization!)![1];
  const signedHeaders = auth.split(';');
  const lines = signedHeaders.map((h) => `${h}:${String(req.headers[h]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  return { canonical: `${req.method}\n${req.url}\n\n${lines}\n${signedHeaders.join(';')}\n${payloadHash}`, signedHeaders };
}

function expectedSignature(req: Captured): string {
  const amzDate = req.headers['x-amz-date'] as string;
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${REGION}/events/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest(req).canonical).digest('hex')}`;
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, day), REGION), 'events'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

const signatureOf = (req: Captured) => /Signature=([0-9a-f]{64})$/.exec(req.headers.authorization!)![1];

describe('the lean transport signs PutEvents exactly as the SDK does', () => {
  let server: Server;
  let endpoint: string;
  const captured: Captured[] = [];
  const wire: Partial<Record<PutEventsTransport, Captured>> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        captured.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        // No Date header: the frozen clock must not be "corrected" between the two requests.
        res.sendDate = false;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ FailedEntryCount: 0, Entries: JSON.parse(body).Entries.map((_: unknown, i: number) => ({ EventId: `id-${i}` })) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    jest.useFakeTimers({ now: FROZEN, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    const entries = [
      { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1', note: 'ünïcødé "quoted"' }, time: new Date('2024-05-01T12:00:00.5Z') },
      { source: 'com.example.orders', detailType: 'OrderShipped', detail: '{"orderId":"o-2"}', resources: ['arn:aws:s3:::bucket'], traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793', eventBusName: 'orders' },
    ];
    for (const transport of ['sdk', 'lean'] as const) {
      const over = putEventsOver(transport, endpoint, { credentials: CREDENTIALS, region: REGION });
      const result = await new EventSender(over.putEvents, { eventBusName: 'default-bus' }).send(entries);
      expect(result.failedEntryCount).toBe(0);
      wire[transport] = captured[captured.length - 1];
      over.destroy();
    }
  });
  afterAll(() => {
    jest.useRealTimers();
    server.close();
  });

  test('the bodies are byte for byte the same, and so are target, content type and date', () => {
    const sdk = wire.sdk!;
    const lean = wire.lean!;
    expect(lean.body).toBe(sdk.body);
    for (const h of ['x-amz-target', 'content-type', 'content-length', 'host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) {
      expect([h, lean.headers[h]]).toEqual([h, sdk.headers[h]]);
    }
    expect(lean.headers['x-amz-date']).toBe('20261129T123456Z');
    expect(lean.method).toBe('POST');
    expect(lean.url).toBe(sdk.url);
  });

  test('both signatures are what the SigV4 specification gives for the request on the wire', () => {
    expect(signatureOf(wire.sdk!)).toBe(expectedSignature(wire.sdk!));
    expect(signatureOf(wire.lean!)).toBe(expectedSignature(wire.lean!));
  });

  test('the canonical requests differ only by the SDK\'s own bookkeeping headers and the user agent', () => {
    const sdk = canonicalRequest(wire.sdk!);
    const lean = canonicalRequest(wire.lean!);
    expect(sdk.signedHeaders.filter((h) => !lean.signedHeaders.includes(h))).toEqual(['amz-sdk-invocation-id', 'amz-sdk-request']);
    expect(lean.signedHeaders.filter((h) => !sdk.signedHeaders.includes(h))).toEqual([]);
    const strip = (c: string) => c.split('\n').filter((line) => !/^(amz-sdk-invocation-id|amz-sdk-request|x-amz-user-agent):/.test(line))
      .join('\n').replace('amz-sdk-invocation-id;amz-sdk-request;', '');
    expect(strip(lean.canonical)).toBe(strip(sdk.canonical));
    expect(wire.lean!.headers['x-amz-user-agent']).toMatch(/^cdk-eventbridge-connector\//);
    expect(wire.lean!.headers['user-agent']).toBe(USER_AGENT);
  });

  test('given the SDK\'s own headers, the lean signer produces the SDK\'s very signature, checked and then fast', async () => {
    const { client, destroy } = putEventsOver('lean', endpoint, { credentials: CREDENTIALS, region: REGION });
    const target = await resolveTarget(client.config);
    const sdk = wire.sdk!;
    const headers: Record<string, string> = {};
    for (const h of canonicalRequest(sdk).signedHeaders) {
      if (!['x-amz-date', 'x-amz-security-token'].includes(h)) headers[h] = String(sdk.headers[h]);
    }
    const request = { ...unsignedRequest(target, sdk.body), headers };
    const viaSignatureV4 = await target.signer.signatureV4.sign({ ...request, headers: { ...headers } }, { signingDate: FROZEN });
    expect(target.signer.fast).toBe(false);
    const checked = await target.signer.sign(request, FROZEN);
    expect(target.signer.fast).toBe(true);
    const fast = await target.signer.sign(request, FROZEN);
    destroy();
    expect(viaSignatureV4.headers.authorization).toBe(sdk.headers.authorization);
    expect(checked.authorization).toBe(sdk.headers.authorization);
    expect(fast.authorization).toBe(sdk.headers.authorization);
    expect(fast['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  });

  test('once fast, the signer still agrees with SignatureV4 when headers, their values, the credentials or the second change', async () => {
    let identity: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS;
    // Expired as given, so the SDK's memoized provider asks again on every signature.
    const provider = async () => ({ ...identity, expiration: new Date(0) });
    const { client, destroy } = putEventsOver('lean', endpoint, { credentials: provider, region: REGION });
    const target = await resolveTarget(client.config);
    const plain = unsignedRequest(target, '{"Entries":[]}');
    const variants = [
      plain,
      unsignedRequest(target, '{"Entries":[{"Source":"a","DetailType":"b","Detail":"{}"}]}'),
      { ...plain, headers: { ...plain.headers, 'x-amz-user-agent': '  spaced   agent\t v2 ' } },
      { ...plain, headers: { ...plain.headers, 'x-extra': 'one' } },
      plain,
    ];
    const instants = [FROZEN, new Date(FROZEN.getTime() + 1000), new Date(FROZEN.getTime() + 86_400_000)];
    for (const nextIdentity of [CREDENTIALS, { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' }, CREDENTIALS]) {
      identity = nextIdentity;
      for (const at of instants) {
        for (const request of variants) {
          const fast = await target.signer.sign(request, at);
          const reference = await target.signer.signatureV4.sign({ ...request, headers: { ...request.headers } }, { signingDate: at });
          expect(fast.authorization).toBe(reference.headers.authorization);
          expect(fast['x-amz-security-token']).toBe(identity.sessionToken);
        }
      }
    }
    expect(target.signer.fast).toBe(true);
    destroy();
  });

  test('an endpoint path that needs escaping is signed by SignatureV4 itself, every time', async () => {
    const { client, destroy } = putEventsOver('lean', `${endpoint}/stage%20one/events`, { credentials: CREDENTIALS, region: REGION });
    const target = await resolveTarget(client.config);
    const request = unsignedRequest(target, '{"Entries":[]}');
    const signed = await target.signer.sign(request, FROZEN);
    await target.signer.sign(request, FROZEN);
    const reference = await target.signer.signatureV4.sign({ ...request, headers: { ...request.headers } }, { signingDate: FROZEN });
    destroy();
    expect(target.signer.fast).toBe(false);
    expect(signed.authorization).toBe(reference.headers.authorization);
  });
});
