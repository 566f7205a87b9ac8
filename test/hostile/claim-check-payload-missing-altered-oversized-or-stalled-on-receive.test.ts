// Receiving claim-checked events whose payload is gone, tampered with, over the bound, in another
// bucket, or stalled in S3: the handlers never run; the HTTP receiver answers 500 with the error's
// code and the key (EventBridge retries, then dead-letters); the consumer leaves the message, which
// the queue's redrive policy moves to its dead-letter queue. `deliver: 'reference'` hands the
// reference as delivered.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MotoServer, startMoto } from '../../src/local/moto';
import { ClaimCheckPointer, referenceDetail, storePayload } from '../../src/runtime/claim-check';
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { createReceiver } from '../../src/runtime/receiver';
import { BUCKET, createBucket, PREFIX, REGION, s3Of } from '../runtime/claim-check/support';

const KEY = 'key-123';
const payload = JSON.stringify({ orderId: 'o-1', body: 'p'.repeat(300_000) });

/** An EventBridge envelope whose detail is the reference to `pointer`. */
function envelope(pointer: ClaimCheckPointer, id: string) {
  return {
    'version': '0',
    id,
    'detail-type': 'DocumentStored',
    'source': 'com.example.docs',
    'account': '123456789012',
    'time': '2026-12-07T12:00:00Z',
    'region': REGION,
    'resources': [],
    'detail': referenceDetail({ orderId: 'o-1' }, pointer, ['orderId']),
  };
}

jest.setTimeout(60_000);

describe('claim-checked payloads that cannot be fetched', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let stall: Server;
  const pointers: Record<string, ClaimCheckPointer> = {};

  beforeAll(async () => {
    moto = await startMoto();
    s3 = s3Of(moto);
    await createBucket(s3);
    const store = (id: string) => storePayload(s3, { bucket: BUCKET, keyPrefix: PREFIX, payload, id });
    pointers.whole = await store('whole');
    pointers.deleted = await store('deleted');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: pointers.deleted.key }));
    pointers.tampered = await store('tampered');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: pointers.tampered.key, Body: payload.replace('o-1', 'o-2') }));
    pointers.elsewhere = { ...pointers.whole, bucket: 'someone-elses-bucket' };
    stall = createServer(() => undefined);
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    stall.closeAllConnections();
    await new Promise((r) => stall.close(r));
    s3.destroy();
    await moto.stop();
  });

  describe('the HTTP receiver', () => {
    const deliver = async (options: object, pointer: ClaimCheckPointer, id: string) => {
      const seen: unknown[] = [];
      const receiver = createReceiver({ apiKey: KEY, claimCheck: { s3, bucket: BUCKET, keyPrefix: PREFIX, ...options } });
      receiver.on('DocumentStored', (event) => {
        seen.push(event.detail);
      });
      const answer = await receiver.receive({ method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: { kind: 'parsed', value: envelope(pointer, id) } });
      return { answer, seen };
    };

    test('a whole payload reaches the handler as the original detail', async () => {
      const { answer, seen } = await deliver({}, pointers.whole, 'e-whole');
      expect(answer.status).toBe(200);
      expect(seen).toEqual([JSON.parse(payload)]);
    });

    test.each([
      ['deleted', {}, 'ClaimCheckMissing', 'is missing'],
      ['tampered', {}, 'ClaimCheckAltered', 'its reference says'],
      ['whole', { maxPayloadBytes: 1000 }, 'ClaimCheckTooLarge', 'expected at most 1000 (maxBytes)'],
      ['elsewhere', {}, 'InvalidClaimCheckReference', "expected 'shop-payloads', the only bucket this receiver reads"],
    ])('a %s payload (%j) is answered 500 %s naming the key; the handler never runs', async (which, options, code, says) => {
      const { answer, seen } = await deliver(options, pointers[which], `e-${which}`);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toBe(code);
      expect(String(answer.body.message)).toContain(says);
      expect(String(answer.body.message)).toContain(pointers[which].key);
      expect(seen).toEqual([]);
    });

    test('a stalled S3 is bounded by timeoutMs: answered 500 ClaimCheckFetchFailed', async () => {
      const stalled = new S3Client({
        region: REGION,
        endpoint: `http://127.0.0.1:${(stall.address() as AddressInfo).port}`,
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      try {
        const receiver = createReceiver({ apiKey: KEY, claimCheck: { s3: stalled, timeoutMs: 300 } });
        let called = 0;
        receiver.on('DocumentStored', () => {
          called++;
        });
        const answer = await receiver.receive({ method: 'POST', headers: { 'x-api-key': KEY }, body: { kind: 'parsed', value: envelope(pointers.whole, 'e-stall') } });
        expect(answer).toMatchObject({ status: 500, body: { error: 'ClaimCheckFetchFailed' } });
        expect(String(answer.body.message)).toContain('did not arrive in 300 ms');
        expect(called).toBe(0);
      } finally {
        stalled.destroy();
      }
    });

    test("deliver: 'reference' hands the reference as delivered, without reading S3", async () => {
      const { answer, seen } = await deliver({ deliver: 'reference' }, pointers.deleted, 'e-reference');
      expect(answer.status).toBe(200);
      expect(seen).toEqual([{ orderId: 'o-1', _claimCheck: { ...pointers.deleted } }]);
    });
  });

  test('the consumer leaves a deleted or tampered payload\'s message: it lands in the dead-letter queue, the whole one is handled', async () => {
    const sqs = new SQSClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'docs-dlq' }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({
      QueueName: 'docs-queue',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '1' }) },
    }))).QueueUrl!;
    for (const which of ['whole', 'deleted', 'tampered']) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(envelope(pointers[which], `e-${which}`)) }));
    }
    const handled: string[] = [];
    const errors: string[] = [];
    const consumer = new QueueConsumer(sqs, {
      queueUrl,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 1,
      queueCheck: 'warn',
      claimCheck: { s3, bucket: BUCKET },
      logger: { warn: () => undefined, error: (message: string, error?: unknown) => errors.push(`${message} ${String((error as Error)?.message)}`) },
    });
    consumer.on('DocumentStored', (event) => {
      handled.push(event.id);
    });
    await consumer.start();
    try {
      const dead: string[] = [];
      const deadline = Date.now() + 30_000;
      while (dead.length < 2 && Date.now() < deadline) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of got.Messages ?? []) dead.push(JSON.parse(m.Body!).id);
      }
      expect(dead.sort()).toEqual(['e-deleted', 'e-tampered']);
      expect(handled).toEqual(['e-whole']);
      expect(errors.some((e) => e.includes('e-deleted') && e.includes(pointers.deleted.key) && e.includes('is missing'))).toBe(true);
      expect(errors.some((e) => e.includes('e-tampered') && e.includes(pointers.tampered.key) && e.includes('overwritten or damaged'))).toBe(true);
    } finally {
      await consumer.stop();
      sqs.destroy();
    }
  });
});
