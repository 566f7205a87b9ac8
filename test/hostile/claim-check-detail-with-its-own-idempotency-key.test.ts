// A detail with a top-level `_idempotencyKey` of its own is, as sending.md says, the entry's key
// (stamping leaves it be; without stamping it is sent as given, and receivers read it). Sent
// through the claim check, the reference carried only `keepDetailFields`: the key stayed behind in
// the stored payload, so a receiver with `idempotency` deduplicated the reference on the event's
// `id` (a global endpoint's replica, under another id, ran twice and was fetched twice), and the
// handler then saw the reserved field in the fetched detail, where the plain path takes it out.
// Expected: the reference carries the detail's key as the plain path would, the replica is a
// repeat before any fetch, and handlers see the same detail on both paths.
import type { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import type { MotoServer } from '../../src/local/moto';
import { CLAIM_CHECK_FIELD, ConnectorClient, createReceiver, IDEMPOTENCY_KEY_FIELD, ReceivedEvent } from '../../src/runtime';
import { BUCKET, PREFIX, recording, REGION, useMotoBucket } from '../runtime/claim-check/support';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SOURCE = 'com.example.docs';
const DETAIL_TYPE = 'DocumentStored';

let s3: S3Client;
let moto: MotoServer;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});

let endpoint: EventBridgeEndpoint;
let clients: ConnectorClient[] = [];
beforeEach(async () => {
  endpoint = await startEventBridgeEndpoint();
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await endpoint.stop();
});

function sender(stampIdempotencyKey: boolean): ConnectorClient {
  const client = new ConnectorClient({
    region: REGION,
    eventBusName: 'docs',
    credentials: CREDENTIALS,
    endpoints: { events: endpoint.endpoint, s3: moto.endpoint },
    putEvents: { stampIdempotencyKey },
    claimCheck: { bucket: BUCKET, keyPrefix: PREFIX, thresholdBytes: 2048, keepDetailFields: ['docId'] },
  });
  clients.push(client);
  return client;
}

/** Delivers `detail` as each region would (one event under two ids) to a deduplicating receiver. */
async function deliverTwice(detail: Record<string, unknown>) {
  const { client: reader, recorded } = recording(s3);
  const seen: ReceivedEvent<any>[] = [];
  const receiver = createReceiver({ apiKey: 'k', idempotency: true, claimCheck: { s3: reader, bucket: BUCKET, keyPrefix: PREFIX } });
  receiver.on(DETAIL_TYPE, (event) => {
    seen.push(event);
  });
  const deliver = (id: string) => receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': 'k' },
    body: { kind: 'parsed', value: { 'version': '0', id, 'detail-type': DETAIL_TYPE, 'source': SOURCE, 'account': '123456789012', 'time': '2026-12-08T00:00:00Z', 'region': REGION, 'resources': [], detail } },
  });
  const answers = [await deliver('id-primary'), await deliver('id-replica')];
  return { answers: answers.map((a) => (a.body as { status: string }).status), fetches: recorded.commands.length, seen };
}

test.each([true, false])('stampIdempotencyKey %s: the reference carries the detail\'s own key; the replica is a repeat before any fetch', async (stamp) => {
  const detail = { [IDEMPOTENCY_KEY_FIELD]: 'doc-d-1', docId: 'd-1', body: 'b'.repeat(50_000) };
  expect(await sender(stamp).putEvent({ source: SOURCE, detailType: DETAIL_TYPE, detail })).toEqual(expect.any(String));
  const [reference] = [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail) as Record<string, unknown>);
  expect(Object.keys(reference)).toEqual([IDEMPOTENCY_KEY_FIELD, 'docId', CLAIM_CHECK_FIELD]);
  expect(reference[IDEMPOTENCY_KEY_FIELD]).toBe('doc-d-1');

  const { answers, fetches, seen } = await deliverTwice(reference);
  expect(answers).toEqual(['handled', 'repeat']);
  expect(fetches).toBe(1);
  expect(seen).toHaveLength(1);
  expect(seen[0].idempotencyKey).toBe('doc-d-1');
  // As the plain path hands it over: the reserved field taken out, the rest as given.
  const { [IDEMPOTENCY_KEY_FIELD]: _key, ...rest } = detail;
  expect(seen[0].detail).toEqual(rest);
});
