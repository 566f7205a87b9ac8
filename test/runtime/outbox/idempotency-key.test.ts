// The outbox fixes an entry's idempotency key when it is added: the record holds it, so the next
// outbox on the directory (a restart) resends the key the first delivery sent, and a given key is
// stored as given.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFor, logFiles, order } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { IDEMPOTENCY_KEY_FIELD } from '../../../src/runtime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The key each entry number arrived with, every copy of it (a number may arrive more than once). */
function keysByNumber(endpoint: EventBridgeEndpoint): Map<number, string[]> {
  const keys = new Map<number, string[]>();
  for (const event of endpoint.accepted.values()) {
    const detail = JSON.parse(event.detail) as { n: number; [IDEMPOTENCY_KEY_FIELD]: string };
    keys.set(detail.n, [...(keys.get(detail.n) ?? []), detail[IDEMPOTENCY_KEY_FIELD]]);
  }
  return keys;
}

describe('the outbox and the idempotency key', () => {
  let directory: string;
  const endpoints: EventBridgeEndpoint[] = [];
  beforeEach(async () => {
    directory = await fs.mkdtemp(join(tmpdir(), 'outbox-key-'));
  });
  afterEach(async () => {
    await Promise.all(endpoints.splice(0).map((e) => e.stop()));
    await fs.rm(directory, { recursive: true, force: true });
  });

  test('a restart resends the key the first delivery sent: stamped at add, kept in the record', async () => {
    // Every answer is lost after the entries were recorded: they arrive, and stay in the outbox.
    const lossy = await startEventBridgeEndpoint({ faults: { dropAfterRecording: 1 } });
    endpoints.push(lossy);
    const first = clientFor(lossy.endpoint, { putEvents: { maxAttempts: 1, stampIdempotencyKey: true } });
    const outbox = await first.outbox({ directory, retryDelayMs: 60_000 });
    await Promise.all(Array.from({ length: 12 }, (_, n) => outbox.add(order(n))));
    for (let i = 0; i < 100 && lossy.acceptedCount < 12; i++) await new Promise((r) => setTimeout(r, 10));
    await first.close({ deadlineMs: 50 });
    const before = keysByNumber(lossy);
    expect([...before.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    // Every copy the lossy endpoint took of one entry carries one key (a lost answer may be resent).
    for (const keys of before.values()) {
      expect(keys[0]).toMatch(UUID);
      expect(new Set(keys).size).toBe(1);
    }
    // The key is in the record itself, beside the detail as given.
    const segment = await fs.readFile(join(directory, (await logFiles(directory))[0]), 'utf8');
    for (const [key] of before.values()) expect(segment).toContain(`"IdempotencyKey":"${key}"`);
    expect(segment).not.toContain(`"${IDEMPOTENCY_KEY_FIELD}`);

    // The restart: another client (stamping too) opens the directory and delivers what is left.
    const healthy = await startEventBridgeEndpoint();
    endpoints.push(healthy);
    const second = clientFor(healthy.endpoint, { putEvents: { stampIdempotencyKey: true } });
    const reopened = await second.outbox({ directory });
    expect(reopened.events).toBe(12);
    await reopened.flush();
    await second.close();
    const after = keysByNumber(healthy);
    expect(after.size).toBe(12);
    for (const [n, keys] of after) expect(keys).toEqual([before.get(n)![0]]);
  });

  test('a given key is stored and resent as given, stamping off', async () => {
    const first = clientFor('http://127.0.0.1:9', { putEvents: { maxAttempts: 1 } });
    const outbox = await first.outbox({ directory, retryDelayMs: 60_000 });
    await outbox.add({ ...order(1), idempotencyKey: 'order-o-1' });
    await outbox.add(order(2));
    await first.close({ deadlineMs: 50 });
    const healthy = await startEventBridgeEndpoint();
    endpoints.push(healthy);
    const second = clientFor(healthy.endpoint);
    await (await second.outbox({ directory })).flush();
    await second.close();
    expect([...healthy.accepted.values()].map((e) => e.detail).sort()).toEqual([`{"${IDEMPOTENCY_KEY_FIELD}":"order-o-1","n":1}`, '{"n":2}']);
  });

  test('add refuses a hostile key, naming it, and stores nothing', async () => {
    const client = clientFor('http://127.0.0.1:9', { putEvents: { maxAttempts: 1 } });
    const outbox = await client.outbox({ directory });
    await expect(outbox.add({ ...order(1), idempotencyKey: 'a\nb' })).rejects.toMatchObject({
      errorCode: 'InvalidEntry',
      message: "invalid entry: invalid idempotencyKey 'a\\nb': expected a string of 1 to 256 printable characters (U+000a at character 1 is not one)",
    });
    expect(outbox.events).toBe(0);
    await client.close({ deadlineMs: 50 });
  });
});
