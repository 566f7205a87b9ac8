// Payloads that are not what their reference says, against moto's S3: overwritten (same size or
// not), deleted, emptied, or larger than the reader's bound. Each gives a ClaimCheckError naming
// the key; an oversized object is refused without being read whole.
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ClaimCheckError, ClaimCheckPointer, fetchPayload, readPointer, storePayload } from '../../src/runtime/claim-check';
import { BUCKET, PREFIX, recording, useMotoBucket } from '../runtime/claim-check/support';

let s3: S3Client;
useMotoBucket((client) => {
  s3 = client;
});

const MIB = 1024 * 1024;
const payload = (bytes: number, fill = 'a') => JSON.stringify({ text: fill.repeat(bytes - 11) });
const store = (json: string) => storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload: json });
const overwrite = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body, 'utf8') }));

async function failure(promise: Promise<unknown>): Promise<ClaimCheckError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ClaimCheckError);
  return error as ClaimCheckError;
}

test('overwritten with other bytes of the same size: ClaimCheckAltered, by its SHA-256', async () => {
  const pointer = await store(payload(4096));
  await overwrite(pointer.key, payload(4096, 'b'));
  const error = await failure(fetchPayload(s3, pointer));
  expect(error.code).toBe('ClaimCheckAltered');
  expect(error.key).toBe(pointer.key);
  expect(error.message).toContain(`claim-check payload '${pointer.key}' in bucket '${BUCKET}' has SHA-256 `);
  expect(error.message).toContain(`its reference says ${pointer.sha256}`);
});

test('overwritten shorter or longer: ClaimCheckAltered, by its size', async () => {
  const shorter = await store(payload(4096));
  await overwrite(shorter.key, payload(100));
  expect((await failure(fetchPayload(s3, shorter))).message).toContain('has 100 bytes in S3, its reference says 4096');
  const longer = await store(payload(4096));
  await overwrite(longer.key, payload(5000));
  const error = await failure(fetchPayload(s3, longer));
  expect(error.code).toBe('ClaimCheckAltered');
  expect(error.message).toContain('has 5000 bytes in S3, its reference says 4096');
});

test('emptied: ClaimCheckAltered', async () => {
  const pointer = await store(payload(4096));
  await overwrite(pointer.key, '');
  const error = await failure(fetchPayload(s3, pointer));
  expect([error.code, error.message]).toEqual(['ClaimCheckAltered', expect.stringContaining('is empty in S3')]);
});

test('deleted: ClaimCheckMissing, naming the key', async () => {
  const pointer = await store(payload(4096));
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: pointer.key }));
  const error = await failure(fetchPayload(s3, pointer));
  expect(error.code).toBe('ClaimCheckMissing');
  expect(error.message).toBe(`claim-check payload '${pointer.key}' in bucket '${BUCKET}' is missing (NoSuchKey): deleted, expired after the store's retention, or never written`);
});

test('an object of 5 MiB behind a reference that says 1 KiB, read with a 1 MiB bound: refused without reading it whole', async () => {
  const small = await store(payload(1024));
  await overwrite(small.key, payload(5 * MIB));
  const { client, recorded } = recording(s3);
  const error = await failure(fetchPayload(client, small, { maxBytes: MIB }));
  expect(error.code).toBe('ClaimCheckTooLarge');
  expect(error.message).toContain(`has ${5 * MIB} bytes in S3: expected at most ${MIB} (maxBytes)`);
  // The request asked for 1,025 bytes at most, and no more than that reached the reader.
  expect(recorded.commands.map((c) => c.input.Range)).toEqual(['bytes=0-1024']);
  expect(recorded.bodyBytesRead).toBeLessThanOrEqual(1025);
});

test('a reference whose size is over the bound: refused before any request', async () => {
  const big = await store(payload(2 * MIB));
  const { client, recorded } = recording(s3);
  const error = await failure(fetchPayload(client, big, { maxBytes: MIB }));
  expect([error.code, error.message]).toEqual(['ClaimCheckTooLarge', `claim-check payload '${big.key}' in bucket '${BUCKET}' has ${2 * MIB} bytes by its reference: expected at most ${MIB} (maxBytes)`]);
  expect(recorded.commands).toEqual([]);
});

test('storing over the bound: refused before any request', async () => {
  const { client, recorded } = recording(s3);
  const error = await failure(storePayload(client, { bucket: BUCKET, keyPrefix: PREFIX, payload: payload(2048), maxBytes: 1024 }));
  expect(error.code).toBe('ClaimCheckTooLarge');
  expect(recorded.commands).toEqual([]);
});

test.each<[string, unknown, string]>([
  ['a newer version', { version: 2 }, "version '2': expected 1 (written by a newer cdk-eventbridge-connector: upgrade the runtime)"],
  ['a bucket that is no bucket name', { bucket: 'Shop Payloads' }, "bucket 'Shop Payloads': expected an S3 bucket name"],
  ['an empty key', { key: '' }, "key '': expected an S3 key"],
  ['a negative size', { size: -1 }, "size '-1': expected a whole number of bytes"],
  ['a hex SHA-256', { sha256: 'ab'.repeat(32) }, `sha256 '${'ab'.repeat(32)}': expected the base64 SHA-256 of the payload`],
])('a reference with %s is refused, not fetched', async (_what, change, message) => {
  const pointer: ClaimCheckPointer = { ...(await store('{}')), ...(change as object) };
  expect(() => readPointer({ _claimCheck: pointer })).toThrow(`invalid claim-check reference: ${message}`);
  const { client, recorded } = recording(s3);
  const error = await failure(fetchPayload(client, pointer));
  expect([error.code, error.message]).toEqual(['InvalidClaimCheckReference', expect.stringContaining(message)]);
  expect(recorded.commands).toEqual([]);
});

test('a store that S3 refuses (no such bucket) is that payload\'s failure, naming key and bucket', async () => {
  const error = await failure(storePayload(s3, { bucket: 'no-such-bucket-here', keyPrefix: PREFIX, payload: '{}' }));
  expect(error.code).toBe('ClaimCheckStoreFailed');
  expect(error.message).toMatch(/^storing claim-check payload 'payloads\/orders\/.*\.json' in bucket 'no-such-bucket-here' was refused: NoSuchBucket: /);
});
