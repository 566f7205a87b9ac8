// The claim check and the idempotency key, with moto as S3 and the loopback EventBridge endpoint:
// the key travels in the small reference, not in the stored payload, so a receiver deduplicates a
// replica before it fetches anything; the key counts towards the claim check's threshold.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BUCKET, PREFIX, recording, REGION, useMotoBucket } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import type { MotoServer } from '../../../src/local/moto';
import { CLAIM_CHECK_FIELD, ConnectorClient, createReceiver, IDEMPOTENCY_KEY_FIELD, ReceivedEvent } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SOURCE = 'com.example.docs';
const DETAIL_TYPE = 'DocumentStored';
const THRESHOLD = 2048;
const KEY_BYTES = 57;

let s3: S3Client;
let moto: MotoServer;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});

let endpoint: EventBridgeEndpoint;
let client: ConnectorClient;
beforeEach(async () => {
  endpoint = await startEventBridgeEndpoint();
  client = new ConnectorClient({
    region: REGION,
    eventBusName: 'docs',
    credentials: CREDENTIALS,
    endpoints: { events: endpoint.endpoint, s3: moto.endpoint },
    putEvents: { stampIdempotencyKey: true },
    claimCheck: { bucket: BUCKET, keyPrefix: PREFIX, thresholdBytes: THRESHOLD, keepDetailFields: ['docId'] },
  });
});
afterEach(async () => {
  await client.close();
  await endpoint.stop();
});

/** A detail making an entry of exactly `bytes` as EventBridge counts them, without a key. */
function detailOf(docId: string, bytes: number): { docId: string; body: string } {
  const empty = JSON.stringify({ docId, body: '' });
  return { docId, body: 'b'.repeat(bytes - SOURCE.length - DETAIL_TYPE.length - empty.length) };
}

const sent = () => [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail) as Record<string, any>);

test('the reference carries the key; the stored payload is the detail as given; a replica is a repeat before any fetch', async () => {
  const detail = detailOf('d-1', 50_000);
  expect((await client.putEvents([{ source: SOURCE, detailType: DETAIL_TYPE, detail }])).failedEntryCount).toBe(0);
  const [reference] = sent();
  expect(Object.keys(reference)).toEqual([IDEMPOTENCY_KEY_FIELD, 'docId', CLAIM_CHECK_FIELD]);
  const key = reference[IDEMPOTENCY_KEY_FIELD] as string;
  expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const stored = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
  expect(stored.KeyCount).toBe(1);

  // The event as each region delivers it: the same reference under two ids.
  const { client: reader, recorded } = recording(s3);
  const seen: ReceivedEvent<any>[] = [];
  const receiver = createReceiver({ apiKey: 'k', idempotency: true, claimCheck: { s3: reader, bucket: BUCKET, keyPrefix: PREFIX } });
  receiver.on(DETAIL_TYPE, (event) => {
    seen.push(event);
  });
  const deliver = (id: string) => receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': 'k' },
    body: { kind: 'parsed', value: { 'version': '0', id, 'detail-type': DETAIL_TYPE, 'source': SOURCE, 'account': '123456789012', 'time': '2026-12-08T00:00:00Z', 'region': REGION, 'resources': [], 'detail': reference } },
  });
  expect(await deliver('id-primary')).toMatchObject({ status: 200, body: { status: 'handled' } });
  expect(await deliver('id-replica')).toMatchObject({ status: 200, body: { status: 'repeat' } });
  // One GetObject: the replica was recognised by the key in its reference.
  expect(recorded.commands.map((c) => c.name)).toEqual(['GetObjectCommand']);
  expect(seen).toHaveLength(1);
  expect(seen[0].detail).toEqual(detail);
  expect(seen[0].idempotencyKey).toBe(key);
});

test('the key counts towards the threshold: an entry under it without the key, over it with, goes through S3', async () => {
  const under = detailOf('d-2', THRESHOLD - KEY_BYTES);
  const over = detailOf('d-3', THRESHOLD - KEY_BYTES + 1);
  const result = await client.putEvents([
    { source: SOURCE, detailType: DETAIL_TYPE, detail: under },
    { source: SOURCE, detailType: DETAIL_TYPE, detail: over },
  ]);
  expect(result.failedEntryCount).toBe(0);
  const [inline, referenced] = sent();
  expect(inline).toEqual({ [IDEMPOTENCY_KEY_FIELD]: expect.any(String), ...under });
  expect(SOURCE.length + DETAIL_TYPE.length + Buffer.byteLength(JSON.stringify(inline))).toBe(THRESHOLD);
  expect(Object.keys(referenced)).toEqual([IDEMPOTENCY_KEY_FIELD, 'docId', CLAIM_CHECK_FIELD]);
  expect(referenced[IDEMPOTENCY_KEY_FIELD]).not.toBe(inline[IDEMPOTENCY_KEY_FIELD]);
});

test('a given key goes into the reference as given, and putEvent stamps once for the reference', async () => {
  await client.putEvents([{ source: SOURCE, detailType: DETAIL_TYPE, detail: detailOf('d-4', 10_000), idempotencyKey: 'doc-d-4' }]);
  await client.putEvent({ source: SOURCE, detailType: DETAIL_TYPE, detail: detailOf('d-5', 10_000) });
  const [given, stamped] = sent();
  expect(given[IDEMPOTENCY_KEY_FIELD]).toBe('doc-d-4');
  expect(stamped[IDEMPOTENCY_KEY_FIELD]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(stamped.docId).toBe('d-5');
});

test('the outbox: the key stamped at add goes into the reference of every delivery, not into the payload', async () => {
  const directory = await fs.mkdtemp(join(tmpdir(), 'claim-check-key-'));
  try {
    const outbox = await client.outbox({ directory });
    const detail = detailOf('d-6', 20_000);
    await outbox.add({ source: SOURCE, detailType: DETAIL_TYPE, detail });
    await outbox.flush();
    const [reference] = sent();
    expect(Object.keys(reference)).toEqual([IDEMPOTENCY_KEY_FIELD, 'docId', CLAIM_CHECK_FIELD]);
    expect(reference[IDEMPOTENCY_KEY_FIELD]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: reference[CLAIM_CHECK_FIELD].key }));
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(detail);
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
});
