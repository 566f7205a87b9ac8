// A sender forges the key of a claim-check reference: `..` and `.` segments (which a
// path-normalising proxy, tool or S3-compatible store reads as a key outside the prefix: the
// object at the end of the forged path exists here, its size and SHA-256 in the reference),
// control characters (a new line, NUL, DEL, a C1 control), or a key plainly outside the prefix.
// Expected: refused on receive as InvalidClaimCheckReference before any S3 request, whether the
// receiver fetches the payload or hands the reference, with or without a configured prefix; the
// message names the key, bounded and escaped (no raw control character reaches a log line). And
// `storePayload` refuses to write such a key.
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { quote } from '../../src/contract/quote';
import { createReceiver } from '../../src/runtime';
import { ClaimCheckError, fetchPayload, storePayload } from '../../src/runtime/claim-check';
import type { ClaimCheckPointer } from '../../src/runtime/claim-check';
import { InputError } from '../../src/runtime/errors';
import { BUCKET, PREFIX, recording, useMotoBucket } from '../runtime/claim-check/support';

const API_KEY = 'key-123';
const TEXT = '{"invoice":"someone else\'s"}';
const pointerFor = (key: string): ClaimCheckPointer => ({
  version: 1, bucket: BUCKET, key, size: Buffer.byteLength(TEXT), sha256: createHash('sha256').update(TEXT).digest('base64'), contentType: 'application/json',
});

const envelope = (id: string, detail: unknown) => ({
  'version': '0',
  id,
  'detail-type': 'InvoiceIssued',
  'source': 'com.example.orders',
  'account': '123456789012',
  'time': '2026-12-07T12:00:00Z',
  'region': 'eu-west-1',
  'resources': [],
  detail,
});

let s3: S3Client;
useMotoBucket((client) => {
  s3 = client;
});
beforeAll(async () => {
  // What a `..` key points at once normalised: another connector's payload, there to be read.
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'payloads/billing/invoice.json', Body: TEXT }));
});

async function deliver(key: string, options: { deliver: 'payload' | 'reference'; keyPrefix?: string }) {
  const { client, recorded } = recording(s3);
  const seen: unknown[] = [];
  const receiver = createReceiver({ apiKey: API_KEY, claimCheck: { s3: client, bucket: BUCKET, ...options } });
  receiver.on('InvoiceIssued', (event) => {
    seen.push(event.detail);
  });
  const answer = await receiver.receive({
    method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: envelope('e-1', { _claimCheck: pointerFor(key) }) },
  });
  return { answer, seen, requests: recorded.commands.length, message: String(answer.body.message) };
}

const DOTS: Array<[string, string, string]> = [
  ['a `..` segment climbing out of the prefix', 'payloads/orders/../billing/invoice.json', "'..'"],
  ['a `..` segment at the end', 'payloads/orders/..', "'..'"],
  ['a `.` segment', 'payloads/orders/./x.json', "'.'"],
];
const CONTROLS: Array<[string, string, string]> = [
  ['a new line', 'payloads/orders/a\nb.json', 'U+000a at character 17'],
  ['a NUL', 'payloads/orders/\u0000.json', 'U+0000 at character 16'],
  ['DEL', 'payloads/orders/x\u007f.json', 'U+007f at character 17'],
  ['a C1 control (NEL)', 'payloads/orders/x\u0085y.json', 'U+0085 at character 17'],
];

describe.each([['payload' as const], ['reference' as const]])("a receiver with deliver: '%s'", (deliverAs) => {
  test.each([...DOTS, ...CONTROLS])('refuses a key with %s, before any S3 request, naming it', async (_what, key, says) => {
    for (const keyPrefix of [PREFIX, undefined]) {
      const { answer, seen, requests, message } = await deliver(key, { deliver: deliverAs, keyPrefix });
      expect(answer.status).toBe(500);
      expect(answer.body.error).toBe('InvalidClaimCheckReference');
      expect(seen).toEqual([]);
      expect(requests).toBe(0);
      expect(message).toContain(says);
      // The key is named, escaped as quote() escapes it: no raw control character in the message.
      expect(message).toContain(`key ${quote(key)}`);
      // eslint-disable-next-line no-control-regex
      expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });

  test('refuses a key outside the configured prefix, naming the key and the prefix', async () => {
    const { answer, seen, requests, message } = await deliver('payloads/billing/invoice.json', { deliver: deliverAs, keyPrefix: PREFIX });
    expect(answer.status).toBe(500);
    expect(answer.body.error).toBe('InvalidClaimCheckReference');
    expect(seen).toEqual([]);
    expect(requests).toBe(0);
    expect(message).toContain(`names key 'payloads/billing/invoice.json': expected a key under '${PREFIX}'`);
  });
});

test('a long key with a control character is named bounded (160 characters and its length), the control escaped', async () => {
  const key = `${PREFIX}${'k'.repeat(600)}\r${'k'.repeat(300)}.json`;
  const { answer, message } = await deliver(key, { deliver: 'payload', keyPrefix: PREFIX });
  expect(answer.body.error).toBe('InvalidClaimCheckReference');
  expect(message).toContain(`key '${key.slice(0, 160)}...' (${key.length} characters)`);
  expect(message).toContain('U+000d at character 616');
  expect(message.length).toBeLessThan(400);
});

test('fetchPayload refuses such a pointer itself, before any request', async () => {
  for (const [, key, says] of [...DOTS, ...CONTROLS]) {
    const { client, recorded } = recording(s3);
    const error = await fetchPayload(client, pointerFor(key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaimCheckError);
    expect(error).toMatchObject({ code: 'InvalidClaimCheckReference' });
    expect((error as Error).message).toContain(says);
    expect(recorded.commands).toEqual([]);
  }
});

test('the writer makes no such key: storePayload refuses one given to it, before any request', async () => {
  for (const [, tail, says] of [['', '../billing/x.json', "'..'"], ['', 'a\nb.json', 'U+000a']]) {
    const { client, recorded } = recording(s3);
    const error = await storePayload(client, { bucket: BUCKET, keyPrefix: PREFIX, payload: TEXT, key: `${PREFIX}${tail}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^invalid claim-check key '/);
    expect((error as Error).message).toContain(says);
    expect(recorded.commands).toEqual([]);
  }
});
