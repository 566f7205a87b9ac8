/**
 * What `serve` hands out over time: the IMDSv2 endpoint in front of `fromRolesAnywhere`, with a
 * clock the test moves. Concurrent SDK reads share one CreateSession; the session is replaced
 * 5 minutes before it expires, not earlier.
 */
import { startImdsServer, ImdsServer } from '../../src/cli/imds-server';
import { fromRolesAnywhere } from '../../src/runtime/credentials';
import { ARNS } from '../runtime/credentials/support/arns';
import { Pki } from '../runtime/credentials/support/pki';
import { SessionServer } from '../runtime/credentials/support/session-server';

let pki: Pki;
let sessions: SessionServer;
let imds: ImdsServer;
let now = new Date();

beforeAll(async () => {
  pki = Pki.create();
  sessions = await SessionServer.start();
  const leaf = pki.issue('app', 'p256', { issuer: pki.issue('root', 'p256', { ca: true }) });
  const provider = fromRolesAnywhere({
    ...ARNS, certificate: pki.text(leaf.cert), privateKey: pki.text(leaf.key), endpoint: sessions.url, durationSeconds: 3600, clock: () => now,
  });
  // Reads wait for the refresh however slow a loaded machine makes it: this file is about replacement, not fallback.
  imds = await startImdsServer({ roleName: 'orders-connector', port: 0, credentials: provider, clock: () => now.getTime(), lastGoodWaitMs: 30_000 });
});

afterAll(async () => {
  await imds?.stop();
  await sessions?.close();
  pki?.cleanup();
});

async function read(): Promise<{ AccessKeyId: string; Expiration: string }> {
  const base = imds.endpoint.replace(/\/$/, '');
  const token = await (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text();
  const res = await fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': token } });
  return res.json() as Promise<{ AccessKeyId: string; Expiration: string }>;
}

test('50 concurrent SDK reads make one CreateSession and get the same keys', async () => {
  const all = await Promise.all(Array.from({ length: 50 }, read));
  expect(sessions.count).toBe(1);
  expect(new Set(all.map((c) => c.AccessKeyId))).toEqual(new Set(['ASIASESSION1']));
});

test('the session is kept until 5 minutes before it expires, then replaced once', async () => {
  const start = now.getTime();
  now = new Date(start + 3600_000 - 301_000);
  expect((await read()).AccessKeyId).toBe('ASIASESSION1');
  now = new Date(start + 3600_000 - 299_000);
  const refreshed = await Promise.all(Array.from({ length: 20 }, read));
  expect(sessions.count).toBe(2);
  expect(new Set(refreshed.map((c) => c.AccessKeyId))).toEqual(new Set(['ASIASESSION2']));
});
