// The sender's default request limit is PutEvents' current one (1 MiB since 2026-01-29), and the
// 256 KiB one before it stays available as an option: counted in the requests a sender makes.
import { DEFAULT_MAX_REQUEST_BYTES, LEGACY_MAX_REQUEST_BYTES } from '../../../src/runtime/put-events/batcher';
import { resolveOptions } from '../../../src/runtime/put-events/options';
import { EventSender } from '../../../src/runtime/put-events/sender';
import type { PutEventsRequestEntry } from '../../../src/runtime/put-events/types';

function countingSender(maxRequestBytes?: number) {
  const requests: PutEventsRequestEntry[][] = [];
  const sender = new EventSender(async (entries) => {
    requests.push(entries);
    return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `id-${requests.length}-${i}` })) };
  }, { maxRequestBytes });
  return { sender, requests };
}

/** An entry of about `kib` KiB as EventBridge counts it. */
function entry(kib: number) {
  return { source: 'com.example.docs', detailType: 'DocumentStored', detail: { body: 'x'.repeat(kib * 1024 - 20) } };
}

test('the limits: 1 MiB by default, 256 KiB as the legacy option', () => {
  expect(DEFAULT_MAX_REQUEST_BYTES).toBe(1_048_576);
  expect(LEGACY_MAX_REQUEST_BYTES).toBe(262_144);
  expect(resolveOptions({}).maxRequestBytes).toBe(1_048_576);
  expect(resolveOptions({ maxRequestBytes: LEGACY_MAX_REQUEST_BYTES }).maxRequestBytes).toBe(262_144);
});

test('by default two 400 KiB entries share one request and a 900 KiB entry is sent', async () => {
  const { sender, requests } = countingSender();
  const result = await sender.send([entry(400), entry(400), entry(900)]);
  expect(result.failedEntryCount).toBe(0);
  expect(requests.map((r) => r.length)).toEqual([2, 1]);
});

test('with the 256 KiB option each 200 KiB entry goes alone and a 400 KiB one is refused before sending', async () => {
  const { sender, requests } = countingSender(LEGACY_MAX_REQUEST_BYTES);
  const result = await sender.send([entry(200), entry(200), entry(400)]);
  expect(requests.map((r) => r.length)).toEqual([1, 1]);
  expect(result.entries[2]).toMatchObject({ errorCode: 'InvalidEntry', attempts: 0 });
  expect(result.entries[2].errorMessage).toContain('expected at most 262144 (maxRequestBytes)');
});
