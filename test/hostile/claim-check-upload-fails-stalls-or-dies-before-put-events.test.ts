// Sending through the claim check when S3 fails: an upload refused mid-batch is that entry's
// failure and the other entries are still acknowledged; a stalled S3 is bounded by timeoutMs; the
// outbox keeps an entry whose upload or PutEvents failed, and delivers it later with one payload
// object in S3 (the same key on every upload), never a second one.
import { promises as fs } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { MotoServer, startMoto } from '../../src/local/moto';
import { PutEventError } from '../../src/runtime';
import type { PutEventsFailure } from '../../src/runtime/put-events/types';
import { BUCKET, createBucket, PREFIX, s3Of } from '../runtime/claim-check/support';
import { clientFor, UNREACHABLE, until } from '../runtime/outbox/support';

const big = (n: number) => ({ source: 'com.example.docs', detailType: 'DocumentStored', detail: { n, body: 'b'.repeat(1024 * 1024 + 100) } });
const small = (n: number) => ({ source: 'com.example.docs', detailType: 'DocumentStored', detail: { n } });
const claimCheck = { bucket: BUCKET, keyPrefix: PREFIX };

/** moto's S3, refusing PutObject while `refuse.on` is set (as S3 answering 503 SlowDown would). */
function refusingS3(s3: S3Client, refuse: { on: boolean; puts: Array<string> }) {
  return {
    async send(command: any, options?: any): Promise<unknown> {
      if (command instanceof PutObjectCommand) {
        refuse.puts.push(String(command.input.Key));
        if (refuse.on) throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
      }
      return s3.send(command, options);
    },
  };
}

jest.setTimeout(60_000);

describe('claim check uploads that fail', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let endpoint: EventBridgeEndpoint;
  let stall: Server;
  let directory: string;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = s3Of(moto);
    await createBucket(s3);
    endpoint = await startEventBridgeEndpoint();
    // Takes the request and never answers: S3 stalled.
    stall = createServer(() => undefined);
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    directory = await fs.mkdtemp(join(tmpdir(), 'claim-check-hostile-'));
  });
  afterAll(async () => {
    stall.closeAllConnections();
    await new Promise((r) => stall.close(r));
    await endpoint.stop();
    s3.destroy();
    await moto.stop();
    await fs.rm(directory, { recursive: true, force: true });
  });

  const objects = async () => (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }))).Contents?.map((o) => o.Key!) ?? [];

  test('a refused upload mid-batch fails that entry alone (retryable, never sent); the others are acknowledged', async () => {
    const refuse = { on: true, puts: [] as string[] };
    const client = clientFor(endpoint.endpoint, { claimCheck, clients: { s3: refusingS3(s3, refuse) } });
    try {
      const before = endpoint.acceptedCount;
      const result = await client.putEvents([small(1), big(2), small(3)]);
      expect(result.failedEntryCount).toBe(1);
      expect(result.entries[0].eventId).toBeDefined();
      expect(result.entries[2].eventId).toBeDefined();
      const failed = result.entries[1] as PutEventsFailure;
      expect(failed).toMatchObject({ errorCode: 'ClaimCheckStoreFailed', attempts: 0, retryable: true });
      expect(failed.errorMessage).toContain(`entry 1: storing claim-check payload '${refuse.puts[0]}' in bucket '${BUCKET}' was refused: SlowDown`);
      expect(endpoint.acceptedCount - before).toBe(2);
      // putEvent: the same failure as a rejection, nothing sent.
      await expect(client.putEvent(big(4))).rejects.toMatchObject({ code: 'ClaimCheckStoreFailed', attempts: 0 });
      expect(endpoint.acceptedCount - before).toBe(2);
    } finally {
      client.destroy();
    }
  });

  test('a stalled S3 is bounded by timeoutMs: the entry fails as not stored, the call returns', async () => {
    const stalled = new S3Client({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(stall.address() as AddressInfo).port}`,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const client = clientFor(endpoint.endpoint, { claimCheck: { ...claimCheck, timeoutMs: 300 }, clients: { s3: stalled } });
    try {
      const result = await client.putEvents([big(5), small(6)]);
      expect(result.entries[0]).toMatchObject({ errorCode: 'ClaimCheckStoreFailed', retryable: true });
      expect(result.entries[0].errorMessage).toContain('did not finish in 300 ms or was aborted');
      expect(result.entries[1].eventId).toBeDefined();
      const error = await client.putEvent(big(7)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PutEventError);
      expect((error as PutEventError).code).toBe('ClaimCheckStoreFailed');
    } finally {
      client.destroy();
      stalled.destroy();
    }
  });

  test('the outbox keeps an entry whose upload failed, and delivers it once S3 answers', async () => {
    const refuse = { on: true, puts: [] as string[] };
    const client = clientFor(endpoint.endpoint, { claimCheck, clients: { s3: refusingS3(s3, refuse) } });
    const dir = join(directory, 'upload-fails');
    try {
      const outbox = await client.outbox({ directory: dir, fsync: false, retryDelayMs: 20 });
      const before = endpoint.acceptedCount;
      await outbox.add(big(10));
      await until(async () => refuse.puts.length >= 2);
      expect(outbox.events).toBe(1);
      expect(endpoint.acceptedCount).toBe(before);
      refuse.on = false;
      await outbox.flush();
      expect(outbox.events).toBe(0);
      expect(endpoint.acceptedCount - before).toBe(1);
      // Every try used the same key.
      expect(new Set(refuse.puts).size).toBe(1);
    } finally {
      await client.close({ deadlineMs: 100 });
    }
  });

  test('an outbox stopped after the upload and before PutEvents succeeded sends it after reopening, with one payload object', async () => {
    const refuse = { on: false, puts: [] as string[] };
    const dir = join(directory, 'put-events-fails');
    const detail = { ...big(20).detail, body: 'u'.repeat(1024 * 1024 + 7) };
    const offline = clientFor(UNREACHABLE, { claimCheck, clients: { s3: refusingS3(s3, refuse) }, putEvents: { maxAttempts: 1 } });
    const first = await offline.outbox({ directory: dir, fsync: true, retryDelayMs: 20 });
    await first.add({ ...big(20), detail });
    await until(async () => refuse.puts.length >= 1);
    // Uploaded; PutEvents cannot reach EventBridge. The process ends here (the entry is on disk).
    await offline.close({ deadlineMs: 100 });
    expect(first.events).toBe(1);
    const key = refuse.puts[0];
    expect((await objects()).filter((k) => k === key)).toEqual([key]);

    const online = clientFor(endpoint.endpoint, { claimCheck, clients: { s3: refusingS3(s3, refuse) } });
    try {
      const before = endpoint.acceptedCount;
      const second = await online.outbox({ directory: dir, fsync: true });
      await second.flush();
      expect(endpoint.acceptedCount - before).toBe(1);
      const sent = [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail)).find((d) => d._claimCheck?.key === key);
      expect(sent).toBeDefined();
      // Uploaded again under the same key: one object for the payload, not two.
      expect(new Set(refuse.puts)).toEqual(new Set([key]));
      expect((await objects()).filter((k) => k === key)).toEqual([key]);
    } finally {
      await online.close({ deadlineMs: 100 });
    }
  });
});
