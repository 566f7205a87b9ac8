// storePayload and fetchPayload against moto's S3: a 5 MiB payload round trip, the pointer and
// reference shape, the checksum S3 keeps, and a fetch bounded to the pointer's size.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BUCKET, PREFIX, recording, s3Of, useMotoBucket } from './support';
import type { MotoServer } from '../../../src/local/moto';
import { CLAIM_CHECK_FIELD, fetchPayload, readPointer, referenceDetail, storePayload } from '../../../src/runtime/claim-check';

let moto: MotoServer;
let s3: S3Client;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});

/** A detail of about `bytes` bytes of JSON, with multi-byte characters in it. */
function bigDetail(bytes: number): Record<string, unknown> {
  const line = 'Grüße aus Köln, 東京 and 🚀: ';
  return { orderId: 'o-123', status: 'paid', document: line.repeat(Math.ceil(bytes / Buffer.byteLength(line))) };
}

test('a 5 MiB detail is stored and fetched whole, its size and SHA-256 in the pointer', async () => {
  const detail = bigDetail(5 * 1024 * 1024);
  const json = JSON.stringify(detail);
  const bytes = Buffer.byteLength(json);
  expect(bytes).toBeGreaterThan(5 * 1024 * 1024);

  const pointer = await storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload: json, now: new Date('2026-12-07T23:59:59.999Z') });
  expect(pointer).toEqual({
    version: 1,
    bucket: BUCKET,
    key: expect.stringMatching(/^payloads\/orders\/2026\/12\/07\/[0-9a-f-]{36}\.json$/),
    size: bytes,
    sha256: createHash('sha256').update(json, 'utf8').digest('base64'),
    contentType: 'application/json',
  });

  const { client, recorded } = recording(s3);
  const fetched = await fetchPayload(client, pointer);
  expect(fetched).toBe(json);
  expect(JSON.parse(fetched)).toEqual(detail);
  // One request, bounded to one byte past the size.
  expect(recorded.commands).toEqual([{ name: 'GetObjectCommand', input: { Bucket: BUCKET, Key: pointer.key, Range: `bytes=0-${bytes}` } }]);
  expect(recorded.bodyBytesRead).toBe(bytes);
});

test('the object is the detail byte for byte, sent with its content type and a signed x-amz-checksum-sha256', async () => {
  // moto neither checks nor keeps the checksum (HeadObject gives none back): the request is checked here.
  const sent: Array<Record<string, string>> = [];
  const probe = s3Of(moto);
  probe.middlewareStack.add((next) => async (args: any) => {
    sent.push({ ...args.request.headers });
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordHeaders' });
  const json = JSON.stringify({ note: 'ß'.repeat(1000) });
  const pointer = await storePayload(probe, { bucket: BUCKET, keyPrefix: PREFIX, payload: json });
  probe.destroy();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ 'x-amz-checksum-sha256': pointer.sha256, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) });
  expect(sent[0].authorization).toMatch(/SignedHeaders=[^,]*x-amz-checksum-sha256/);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: pointer.key }));
  expect(head.ContentType).toBe('application/json');
  const raw = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: pointer.key }));
  expect(Buffer.from(await raw.Body!.transformToByteArray()).equals(Buffer.from(json, 'utf8'))).toBe(true);
});

test('two stores of one payload get two keys', async () => {
  const a = await storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload: '{}' });
  const b = await storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload: '{}' });
  expect(a.key).not.toBe(b.key);
  expect(await fetchPayload(s3, a)).toBe('{}');
});

test('the reference keeps the listed top-level fields for rules and reads back to its pointer', async () => {
  const detail = bigDetail(300 * 1024);
  const pointer = await storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload: JSON.stringify(detail) });
  const reference = referenceDetail(detail, pointer, ['orderId', 'status', 'absent']);
  expect(Object.keys(reference)).toEqual(['orderId', 'status', CLAIM_CHECK_FIELD]);
  expect(reference).toMatchObject({ orderId: 'o-123', status: 'paid' });
  // What a receiver gets is the JSON of the event: read the pointer back from that.
  const received = JSON.parse(JSON.stringify(reference));
  expect(readPointer(received)).toEqual(pointer);
  expect(JSON.parse(await fetchPayload(s3, readPointer(received)!))).toEqual(detail);
  expect(Buffer.byteLength(JSON.stringify(reference))).toBeLessThan(400);
});

test('a detail without the pointer field is not a reference', () => {
  expect(readPointer({ orderId: 'o-1' })).toBeUndefined();
  expect(readPointer('{"a":1}')).toBeUndefined();
  expect(readPointer(null)).toBeUndefined();
});
