/**
 * `stats().retried` counts entries sent again, whichever path sent them: `putEvents`, `putEvent`,
 * the outbox; with both transports; against the loopback endpoint failing requests with 500 and
 * entries with InternalFailure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, ConnectorClientSettings } from '../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const order = (n: number) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } });
// 30 attempts: with 44 % of attempts failing, 10 left an entry failed in about one run of 20 (0.44^10 x 200 entries).
const FAST_RETRIES = { maxAttempts: 30, baseDelayMs: 1, maxDelayMs: 2 };

function clientFor(endpoint: string, settings: ConnectorClientSettings = {}): ConnectorClient {
  return new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint, ...settings });
}

describe.each(['lean', 'sdk'] as const)('retried over the %s transport', (transport) => {
  test('putEvents: 500 on some requests, InternalFailure on some entries: retried is the entries sent again', async () => {
    const endpoint = await startEventBridgeEndpoint({ faults: { internalFailure: 0.3, failEntry: 0.2 }, seed: 7 });
    const client = clientFor(endpoint.endpoint, { putEvents: { ...FAST_RETRIES, transport } });
    try {
      const result = await client.putEvents(Array.from({ length: 200 }, (_, n) => order(n)));
      expect(result.failedEntryCount).toBe(0);
      const stats = client.stats();
      // Every entry the endpoint saw beyond the first time is a retry: sent = 200, requests counted alike.
      const entriesSent = stats.batchFill.sum;
      expect(stats.requests).toBe(endpoint.requests);
      expect(stats.retried).toBe(entriesSent - 200);
      expect(stats.retried).toBeGreaterThan(0);
    } finally {
      await client.close();
      await endpoint.stop();
    }
  });

  test('putEvent: the same count through the producer', async () => {
    const endpoint = await startEventBridgeEndpoint({ faults: { internalFailure: 0.3, failEntry: 0.2 }, seed: 11 });
    const client = clientFor(endpoint.endpoint, { putEvents: { ...FAST_RETRIES, transport } });
    try {
      await Promise.all(Array.from({ length: 200 }, (_, n) => client.putEvent(order(n))));
      const stats = client.stats();
      expect(stats.retried).toBe(stats.batchFill.sum - 200);
      expect(stats.retried).toBeGreaterThan(0);
    } finally {
      await client.close();
      await endpoint.stop();
    }
  });

  test('outbox: entries kept after their attempts ran out and sent again count as retried too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-outbox-'));
    const endpoint = await startEventBridgeEndpoint({ faults: { internalFailure: 0.5 }, seed: 3 });
    const client = clientFor(endpoint.endpoint, { putEvents: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, transport } });
    try {
      const outbox = await client.outbox({ directory: dir, fsync: false, retryDelayMs: 5 });
      await Promise.all(Array.from({ length: 50 }, (_, n) => outbox.add(order(n))));
      await outbox.flush();
      expect(endpoint.acceptedCount).toBe(50);
      const stats = client.stats();
      expect(stats.retried).toBe(stats.batchFill.sum - 50);
    } finally {
      await client.close();
      await endpoint.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
