// Entry sizing as AWS documents it ("Calculating Amazon EventBridge PutEvents event entry size"),
// the two request limits, and agreement with the sizing the put-events engine uses today.
import {
  DEFAULT_REQUEST_LIMIT_BYTES,
  entrySizeWithoutDetail,
  exceedsRequestLimit,
  LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES,
  PUT_EVENTS_REQUEST_LIMIT_BYTES,
  putEventsEntrySize,
} from '../../../src/runtime/claim-check/entry-size';
import { putEventsEntrySize as engineEntrySize } from '../../../src/runtime/put-events/entries';

test('the limits: 1 MiB since 2026-01-29 (the default), 256 KiB before', () => {
  expect(PUT_EVENTS_REQUEST_LIMIT_BYTES).toBe(1_048_576);
  expect(LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES).toBe(262_144);
  expect(DEFAULT_REQUEST_LIMIT_BYTES).toBe(PUT_EVENTS_REQUEST_LIMIT_BYTES);
});

test('Time counts 14 bytes; Source, DetailType, Detail and each Resources item their UTF-8 bytes; nothing else counts', () => {
  const entry = {
    Source: 'com.example.orders', // 18
    DetailType: 'Bestellung aufgegeben: Größe', // 28 characters, 30 bytes
    Detail: '{"city":"東京","emoji":"🚀"}', // 25 characters, 32 bytes
    Resources: ['arn:aws:s3:::bucket-ü'], // 22 bytes
    Time: new Date(0),
    EventBusName: 'a'.repeat(200),
    TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
  };
  expect(putEventsEntrySize(entry)).toBe(14 + 18 + 30 + 32 + 22);
  expect(entrySizeWithoutDetail(entry)).toBe(14 + 18 + 30 + 22);
  expect(putEventsEntrySize({ Source: 'a', DetailType: 'b' })).toBe(2);
});

test('agrees with the engine\'s sizing (src/runtime/put-events/entries.ts) on entries of every shape', () => {
  const shapes = [
    { Source: 's', DetailType: 't', Detail: '{}' },
    { Source: 'com.example', DetailType: 'Ä', Detail: JSON.stringify({ x: '€'.repeat(1000) }), Time: new Date(), Resources: ['arn:aws:sqs:eu-west-1:123456789012:q', 'arn:aws:s3:::b'] },
    { Source: '𝄞', DetailType: 'x', Detail: '{"a":"\\u0000"}', Resources: [] },
  ];
  for (const entry of shapes) expect(putEventsEntrySize(entry)).toBe(engineEntrySize(entry as any));
});

test('one byte over the limit goes through the claim check, at the limit it does not; the 256 KiB limit pins its own line', () => {
  const base = { Source: 'com.example.orders', DetailType: 'OrderPlaced' };
  const detailOf = (size: number) => JSON.stringify({ d: 'x'.repeat(size - entrySizeWithoutDetail(base) - 8) });
  const atLimit = { ...base, Detail: detailOf(PUT_EVENTS_REQUEST_LIMIT_BYTES) };
  expect(putEventsEntrySize(atLimit)).toBe(PUT_EVENTS_REQUEST_LIMIT_BYTES);
  expect(exceedsRequestLimit(atLimit)).toBe(false);
  expect(exceedsRequestLimit({ ...base, Detail: detailOf(PUT_EVENTS_REQUEST_LIMIT_BYTES + 1) })).toBe(true);
  const atLegacy = { ...base, Detail: detailOf(LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES) };
  expect(exceedsRequestLimit(atLegacy, LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES)).toBe(false);
  const overLegacy = { ...base, Detail: detailOf(LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES + 1) };
  expect(exceedsRequestLimit(overLegacy, LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES)).toBe(true);
  expect(exceedsRequestLimit(overLegacy)).toBe(false);
});
