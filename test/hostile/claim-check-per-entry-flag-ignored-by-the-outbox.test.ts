// The per-entry `claimCheck` flag given to `outbox.add`: before, the outbox refused `true` as if
// the client had no claim-check store, and dropped `false` (a stored entry over the threshold went
// through S3 anyway). Expected now, as with `putEvents`: `true` sends the detail through S3 whatever
// its size, `false` never (an entry over the request limit is refused at `add`, it could never be
// sent), anything else is refused at `add`; the flag is stored with the entry, so it holds for an
// entry delivered after the process restarted.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import type { MotoServer } from '../../src/local/moto';
import { PutEventError } from '../../src/runtime';
import { fetchPayload, readPointer } from '../../src/runtime/claim-check';
import { BUCKET, PREFIX, useMotoBucket } from '../runtime/claim-check/support';
import { clientFor, UNREACHABLE } from '../runtime/outbox/support';

jest.setTimeout(60_000);

/** Entries over this go through S3 by size; the tests' own are 100 bytes or 4 KiB. */
const THRESHOLD = 1024;
const doc = (name: string, pad = 0) => ({ source: 'com.example.docs', detailType: 'DocumentStored', detail: { name, ...(pad && { pad: 'p'.repeat(pad) }) } });

let s3: S3Client;
let moto: MotoServer;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});
let endpoint: EventBridgeEndpoint;
let directory: string;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  directory = await fs.mkdtemp(join(tmpdir(), 'claim-check-flag-'));
});
afterAll(async () => {
  await endpoint.stop();
  await fs.rm(directory, { recursive: true, force: true });
});

const clientOf = (url: string, extra: Record<string, unknown> = {}) =>
  clientFor(url, { endpoints: { s3: moto.endpoint }, claimCheck: { bucket: BUCKET, keyPrefix: PREFIX, thresholdBytes: THRESHOLD }, ...extra });
const objects = async () => (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }))).Contents?.length ?? 0;
/** References accepted so far, by the name in their payload (fetched and checked). */
let references: Map<string, Record<string, any>>;
const referenceFor = (name: string) => references.get(name);

/** Indexes the references accepted so far by the name in their payload. */
async function indexReferences(): Promise<void> {
  references = new Map();
  for (const e of endpoint.accepted.values()) {
    const detail = JSON.parse(e.detail) as Record<string, unknown>;
    const pointer = readPointer(detail);
    if (!pointer) continue;
    const payload = JSON.parse(await fetchPayload(s3, pointer)) as { name: string };
    references.set(payload.name, detail);
  }
}

describe('outbox.add with a claim-check client', () => {
  test('claimCheck: true sends a small entry through S3; the payload fetched back is the original', async () => {
    const client = clientOf(endpoint.endpoint);
    try {
      const outbox = await client.outbox({ directory: join(directory, 'true'), fsync: false });
      const before = await objects();
      await outbox.add({ ...doc('forced'), claimCheck: true });
      await outbox.flush();
      expect(await objects()).toBe(before + 1);
      await indexReferences();
      expect(referenceFor('forced')).toBeDefined();
      expect(referenceFor('forced')?._claimCheck).toMatchObject({ bucket: BUCKET });
      // Not also sent inline.
      expect([...endpoint.accepted.values()].filter((e) => JSON.parse(e.detail).name === 'forced')).toEqual([]);
    } finally {
      await client.close({ deadlineMs: 1_000 });
    }
  });

  test('claimCheck: false sends an entry over the threshold inline, with no S3 object', async () => {
    const client = clientOf(endpoint.endpoint);
    try {
      const outbox = await client.outbox({ directory: join(directory, 'false'), fsync: false });
      const before = await objects();
      await outbox.add({ ...doc('inline', 4096), claimCheck: false });
      // The same entry without the flag goes by size: through S3.
      await outbox.add(doc('by-size', 4096));
      await outbox.flush();
      expect(await objects()).toBe(before + 1);
      const inline = [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail)).filter((d) => d.name === 'inline');
      expect(inline).toEqual([{ name: 'inline', pad: 'p'.repeat(4096) }]);
      await indexReferences();
      expect(referenceFor('by-size')).toBeDefined();
      expect(referenceFor('inline')).toBeUndefined();
    } finally {
      await client.close({ deadlineMs: 1_000 });
    }
  });

  test('refused at add: claimCheck: false over the request limit (never sendable), and a flag that is not a boolean', async () => {
    const client = clientOf(endpoint.endpoint);
    try {
      const outbox = await client.outbox({ directory: join(directory, 'refused'), fsync: false });
      const tooLarge = outbox.add({ ...doc('too-large', 300_000), claimCheck: false });
      await expect(tooLarge).rejects.toBeInstanceOf(PutEventError);
      await expect(tooLarge).rejects.toMatchObject({ code: 'InvalidEntry' });
      await expect(tooLarge).rejects.toThrow(/expected at most 262144 \(maxRequestBytes\)/);
      // Without the flag, the same entry is taken: it goes through S3.
      await expect(outbox.add(doc('too-large', 300_000))).resolves.toBeUndefined();
      const odd = outbox.add({ ...doc('odd'), claimCheck: 'yes' as unknown as boolean });
      await expect(odd).rejects.toMatchObject({ code: 'InvalidEntry' });
      await expect(odd).rejects.toThrow("invalid entry: claimCheck is 'yes': expected true (through S3 whatever its size), false (never) or left out (by size)");
      await outbox.flush();
      expect(outbox.events).toBe(0);
    } finally {
      await client.close({ deadlineMs: 1_000 });
    }
  });

  test('the flag is stored with the entry: it holds for entries delivered after a restart', async () => {
    const dir = join(directory, 'restart');
    const offline = clientOf(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const first = await offline.outbox({ directory: dir, fsync: true, retryDelayMs: 60_000 });
    await first.add({ ...doc('forced-after-restart'), claimCheck: true });
    await first.add({ ...doc('inline-after-restart', 4096), claimCheck: false });
    await offline.close({ deadlineMs: 100 });
    expect(first.events).toBe(2);

    const online = clientOf(endpoint.endpoint);
    try {
      const second = await online.outbox({ directory: dir, fsync: true });
      await second.flush();
      expect(second.events).toBe(0);
      await indexReferences();
      expect(referenceFor('forced-after-restart')).toBeDefined();
      expect(referenceFor('inline-after-restart')).toBeUndefined();
      const inline = [...endpoint.accepted.values()].map((e) => JSON.parse(e.detail)).filter((d) => d.name === 'inline-after-restart');
      expect(inline).toHaveLength(1);
    } finally {
      await online.close({ deadlineMs: 1_000 });
    }
  });
});

test('without a claim-check store, outbox.add refuses claimCheck: true naming why', async () => {
  const client = clientFor(endpoint.endpoint);
  try {
    const outbox = await client.outbox({ directory: join(directory, 'no-store'), fsync: false });
    await expect(outbox.add({ ...doc('x'), claimCheck: true })).rejects.toThrow('claimCheck is true: expected a client with a claim-check store');
    await expect(outbox.add({ ...doc('y'), claimCheck: false })).resolves.toBeUndefined();
    await outbox.flush();
  } finally {
    await client.close({ deadlineMs: 1_000 });
  }
});
