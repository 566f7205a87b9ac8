// Helpers shared by the outbox tests: a client for a loopback endpoint, numbered entries, and
// what arrived.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient, ConnectorClientSettings } from '../../../src/runtime';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
/** Nothing listens there: every request fails with ECONNREFUSED, as during an outage. */
export const UNREACHABLE = 'http://127.0.0.1:9';

/**
 * The outbox tests' sizes (segments, maxBytes) were chosen for the 256 KiB request limit of
 * before 2026-01-29, so their client keeps it unless a test gives another.
 */
export function clientFor(endpoint: string, settings: ConnectorClientSettings = {}): ConnectorClient {
  const putEvents = { maxRequestBytes: 262_144, ...settings.putEvents };
  return new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint, ...settings, putEvents });
}
/** Entry number `n`, its detail padded with `pad` bytes. */
export const order = (n: number, pad = 0) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n, ...(pad && { pad: 'x'.repeat(pad) }) } });
/** The numbers of the entries the endpoint accepted, sorted. */
export const arrived = (endpoint: EventBridgeEndpoint) =>
  [...endpoint.accepted.values()].map((e) => (JSON.parse(e.detail) as { n: number }).n).sort((a, b) => a - b);
/** Waits for a condition that follows an acknowledgement asynchronously (a file removal), for at most 10 s. */
export async function until(condition: () => Promise<boolean>): Promise<void> {
  for (const started = Date.now(); !(await condition());) {
    if (Date.now() - started > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** The segment files in the directory, oldest first. */
export const logFiles = async (directory: string) => (await fs.readdir(directory)).filter((name) => name.endsWith('.log')).sort();
/** Bytes of the segment files in the directory, as measured on disk. */
export async function segmentBytesOnDisk(directory: string): Promise<number> {
  // A segment the outbox deletes between the listing and its stat counts nothing.
  const sizeOf = (name: string) => fs.stat(join(directory, name)).then((s) => s.size, (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return 0;
    throw e;
  });
  const sizes = await Promise.all((await logFiles(directory)).map(sizeOf));
  return sizes.reduce((sum, size) => sum + size, 0);
}
