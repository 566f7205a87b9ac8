// An outbox keeps a traced entry's creation context in its record, as a `_trace` carrier in the
// detail (docs/tracing.md). Delivered through the claim check, that detail was offloaded carrier
// and all, and the reference carried only `keepDetailFields`: the receiver found no carrier (the
// handler's span lost its link to the add), and the handler then saw `_trace` in the fetched
// detail, where the plain path takes the carrier out. Expected: the reference carries the carrier
// (and the stamped key) and the handler sees the detail as given, on both paths.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import type { MotoServer } from '../../src/local/moto';
import { CLAIM_CHECK_FIELD, ConnectorClient, createReceiver, IDEMPOTENCY_KEY_FIELD, ReceivedEvent, TRACE_CARRIER_KEY } from '../../src/runtime';
import { BUCKET, PREFIX, REGION, useMotoBucket } from '../runtime/claim-check/support';
import { Otel, startOtel } from '../runtime/tracing/support';

const SOURCE = 'com.example.docs';
const DETAIL_TYPE = 'DocumentStored';

let s3: S3Client;
let moto: MotoServer;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});

let otel: Otel;
let endpoint: EventBridgeEndpoint;
let directory: string;
let client: ConnectorClient;
beforeEach(async () => {
  otel = startOtel();
  endpoint = await startEventBridgeEndpoint();
  directory = await fs.mkdtemp(join(tmpdir(), 'outbox-traced-claim-'));
  client = new ConnectorClient({
    region: REGION,
    eventBusName: 'docs',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    endpoints: { events: endpoint.endpoint, s3: moto.endpoint },
    putEvents: { stampIdempotencyKey: true },
    claimCheck: { bucket: BUCKET, keyPrefix: PREFIX, thresholdBytes: 2048, keepDetailFields: ['docId'] },
  });
});
afterEach(async () => {
  await client.close();
  await endpoint.stop();
  await otel.shutdown();
  await fs.rm(directory, { recursive: true, force: true });
});

test('the reference carries the record\'s carrier and key; the handler sees the detail as given', async () => {
  const outbox = await client.outbox({ directory });
  const detail = { docId: 'd-1', body: 'b'.repeat(5000) };
  await outbox.add({ source: SOURCE, detailType: DETAIL_TYPE, detail });
  await outbox.flush();
  const [reference] = [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail) as Record<string, any>);
  expect(Object.keys(reference).sort()).toEqual([CLAIM_CHECK_FIELD, IDEMPOTENCY_KEY_FIELD, TRACE_CARRIER_KEY, 'docId'].sort());
  expect(reference[TRACE_CARRIER_KEY].traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

  const seen: ReceivedEvent<any>[] = [];
  const receiver = createReceiver({ apiKey: 'k', claimCheck: { s3, bucket: BUCKET, keyPrefix: PREFIX } });
  receiver.on(DETAIL_TYPE, (event) => {
    seen.push(event);
  });
  const answer = await receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': 'k' },
    body: { kind: 'parsed', value: { 'version': '0', 'id': 'id-1', 'detail-type': DETAIL_TYPE, 'source': SOURCE, 'account': '123456789012', 'time': '2026-12-08T00:00:00Z', 'region': REGION, 'resources': [], 'detail': reference } },
  });
  expect(answer).toMatchObject({ status: 200, body: { status: 'handled' } });
  expect(seen).toHaveLength(1);
  expect(seen[0].detail).toEqual(detail);
  expect(seen[0].idempotencyKey).toBe(reference[IDEMPOTENCY_KEY_FIELD]);
});

test('a large _trace of the sender\'s own that is no carrier (a string) stays in the payload alone, and reaches the handler as given', async () => {
  const detail = { docId: 'd-2', [TRACE_CARRIER_KEY]: 't'.repeat(300_000) };
  const eventId = await client.putEvent({ source: SOURCE, detailType: DETAIL_TYPE, detail });
  const reference = JSON.parse(endpoint.accepted.get(eventId)!.detail) as Record<string, unknown>;
  // The reference stays small: the sender's `_trace` is not in it (the carrier there is the send's own).
  expect(Buffer.byteLength(JSON.stringify(reference))).toBeLessThan(1024);
  expect(typeof reference[TRACE_CARRIER_KEY]).toBe('object');

  const seen: ReceivedEvent<any>[] = [];
  const receiver = createReceiver({ apiKey: 'k', claimCheck: { s3, bucket: BUCKET, keyPrefix: PREFIX } });
  receiver.on(DETAIL_TYPE, (event) => {
    seen.push(event);
  });
  await receiver.receive({
    method: 'POST',
    headers: { 'x-api-key': 'k' },
    body: { kind: 'parsed', value: { 'version': '0', 'id': 'id-2', 'detail-type': DETAIL_TYPE, 'source': SOURCE, 'account': '123456789012', 'time': '2026-12-08T00:00:00Z', 'region': REGION, 'resources': [], 'detail': reference } },
  });
  expect(seen.map((e) => e.detail)).toEqual([detail]);
});
