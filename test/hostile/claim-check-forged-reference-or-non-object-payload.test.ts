// A sender forges the claim-check reference: a payload that is not a JSON object (an array, a
// string, null) behind a reference whose size and SHA-256 match, and, to a receiver made with
// `deliver: 'reference'`, references naming another bucket or prefix, or of another version or
// shape. The docs: "A reader refuses a `_claimCheck` of another version or shape rather than pass
// it on", and a receiver reads "its bucket and prefix only". Expected: the handlers never run and
// the receiver answers 500 naming the problem, whichever way it delivers.
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MotoServer, startMoto } from '../../src/local/moto';
import { createReceiver } from '../../src/runtime';
import { BUCKET, createBucket, PREFIX, s3Of } from '../runtime/claim-check/support';

const API_KEY = 'key-123';

function envelope(id: string, detail: unknown) {
  return {
    'version': '0',
    id,
    'detail-type': 'InvoiceIssued',
    'source': 'com.example.orders',
    'account': '123456789012',
    'time': '2026-12-07T12:00:00Z',
    'region': 'eu-west-1',
    'resources': [],
    detail,
  };
}

jest.setTimeout(60_000);

describe('forged claim-check references', () => {
  let moto: MotoServer;
  let s3: S3Client;
  const pointerTo = async (key: string, text: string) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: text }));
    return { version: 1, bucket: BUCKET, key, size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('base64'), contentType: 'application/json' };
  };
  const deliver = async (deliverAs: 'payload' | 'reference', id: string, detail: unknown) => {
    const seen: unknown[] = [];
    const receiver = createReceiver({ apiKey: API_KEY, claimCheck: { s3, bucket: BUCKET, keyPrefix: PREFIX, deliver: deliverAs } });
    receiver.on('InvoiceIssued', (event) => {
      seen.push(event.detail);
    });
    const answer = await receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: envelope(id, detail) } });
    return { answer, seen };
  };

  beforeAll(async () => {
    moto = await startMoto();
    s3 = s3Of(moto);
    await createBucket(s3);
  });
  afterAll(async () => {
    s3.destroy();
    await moto.stop();
  });

  test.each([['an array', '[1,2]'], ['a string', '"text"'], ['null', 'null'], ['a number', '42']])(
    'a stored payload that is %s is refused as ClaimCheckAltered: a handler only ever gets an object as detail',
    async (what, text) => {
      const pointer = await pointerTo(`${PREFIX}forged-${what.replace(/\W/g, '')}.json`, text);
      const { answer, seen } = await deliver('payload', `e-${what}`, { _claimCheck: pointer });
      expect(seen).toEqual([]);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toBe('ClaimCheckAltered');
      expect(String(answer.body.message)).toContain(pointer.key);
      expect(String(answer.body.message)).toContain('not a JSON object');
    },
  );

  describe("with deliver: 'reference'", () => {
    let good: Awaited<ReturnType<typeof pointerTo>>;
    beforeAll(async () => {
      good = await pointerTo(`${PREFIX}good.json`, '{"orderId":"o-1"}');
    });

    test('a valid reference of its store is handed as delivered, without reading S3', async () => {
      const { answer, seen } = await deliver('reference', 'e-good', { orderId: 'o-1', _claimCheck: good });
      expect(answer.status).toBe(200);
      expect(seen).toEqual([{ orderId: 'o-1', _claimCheck: good }]);
    });

    test.each([
      ['another bucket', () => ({ ...good, bucket: 'someone-elses-bucket' }), "expected 'shop-payloads', the only bucket this receiver reads"],
      ['another prefix', () => ({ ...good, key: 'payloads/billing/x.json' }), "expected a key under 'payloads/orders/'"],
      ['version 2', () => ({ ...good, version: 2 }), "version '2': expected 1"],
      ['a bad sha256', () => ({ ...good, sha256: 'AAAA' }), "sha256 'AAAA'"],
      ['a negative size', () => ({ ...good, size: -1 }), "size '-1'"],
      ['null', () => null, '_claimCheck is not an object'],
    ])('a reference naming %s is answered 500 InvalidClaimCheckReference; the handler never runs', async (what, pointer, says) => {
      const { answer, seen } = await deliver('reference', `e-${what}`, { _claimCheck: pointer() });
      expect(seen).toEqual([]);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toBe('InvalidClaimCheckReference');
      expect(String(answer.body.message)).toContain(says);
    });
  });
});
