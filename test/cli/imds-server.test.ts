/**
 * The IMDSv2 endpoint behind `serve`, with a provider that counts calls and a clock the test
 * moves: tokens expire, are capped at 256, and every credentials read needs one.
 */
import { request } from 'node:http';
import { startImdsServer, ImdsServer } from '../../src/cli/imds-server';
import type { AwsCredentials } from '../../src/runtime/types';

let now = Date.parse('2026-11-29T12:00:00Z');
let calls = 0;
let failing = false;
const errors: string[] = [];
let server: ImdsServer;
let base: string;

beforeAll(async () => {
  server = await startImdsServer({
    roleName: 'orders-connector',
    port: 0,
    clock: () => now,
    onError: (m) => errors.push(m),
    credentials: async (): Promise<AwsCredentials> => {
      calls++;
      if (failing) throw new Error('CreateSession refused');
      return { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(now + 3600_000) };
    },
  });
  base = server.endpoint.replace(/\/$/, '');
});

afterAll(() => server.stop());

const token = async (ttl = '60') => (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } })).text();
const tokenResponse = (ttl: string) => fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
const credentials = (t: string) => fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': t } });

test('a token is good for its TTL and refused after it, as IMDSv2 refuses it', async () => {
  const t = await token('60');
  expect(t).toHaveLength(100);
  const ok = await credentials(t);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe('60');
  expect(await ok.json()).toEqual({
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: 'ASIAEXAMPLE',
    SecretAccessKey: 'secret',
    Token: 'token',
    Expiration: '2026-11-29T13:00:00Z',
    LastUpdated: '2026-11-29T12:00:00Z',
  });
  now += 61_000;
  const late = await credentials(t);
  expect([late.status, await late.text()]).toEqual([401, 'invalid token provided']);
});

test('the role path answers with and without its trailing slash; other paths 404; wrong methods 405', async () => {
  const t = await token();
  for (const path of ['/latest/meta-data/iam/security-credentials', '/latest/meta-data/iam/security-credentials/']) {
    const res = await fetch(`${base}${path}`, { headers: { 'X-aws-ec2-metadata-token': t } });
    expect([res.status, await res.text()]).toEqual([200, 'orders-connector']);
  }
  expect((await fetch(`${base}/latest/meta-data/iam/security-credentials/other-role`, { headers: { 'X-aws-ec2-metadata-token': t } })).status).toBe(404);
  expect((await fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { method: 'POST', headers: { 'X-aws-ec2-metadata-token': t } })).status).toBe(405);
  const forwarded = await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-Forwarded-For': '10.0.0.1' } });
  expect([forwarded.status, await forwarded.text()]).toEqual([400, 'unable to process requests with X-Forwarded-For header']);
  for (const ttl of ['0', '21601', 'abc']) expect((await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } })).status).toBe(400);
});

test('at most 256 unexpired tokens: expired ones are dropped first, then new ones are refused (503), never a valid one evicted', async () => {
  now += 86_400_000; // every token of the tests before has expired (but is still held)
  const first = await token('10');
  for (let i = 0; i < 255; i++) expect((await tokenResponse('600')).status).toBe(200);
  const full = await tokenResponse('600');
  expect([full.status, await full.text()]).toEqual([503, 'too many tokens: at most 256 unexpired tokens are kept; retry when one expires']);
  expect((await credentials(first)).status).toBe(200);
  now += 11_000; // first has expired: its place is free
  expect((await tokenResponse('600')).status).toBe(200);
  now += 601_000;
});

test('a token PUT without the TTL header is a 400, as IMDSv2 answers', async () => {
  const res = await fetch(`${base}/latest/api/token`, { method: 'PUT' });
  expect([res.status, await res.text()]).toEqual([400, 'missing token TTL header X-aws-ec2-metadata-token-ttl-seconds']);
});

test('only loopback Host headers are answered (DNS rebinding): others get 403', async () => {
  const port = new URL(base).port;
  const put = (host: string | undefined) => new Promise<number>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/latest/api/token',
      method: 'PUT',
      setHost: host !== undefined,
      headers: { ...(host !== undefined && { host }), 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
    }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, '127.0.0.1', 'localhost', '[::1]']) expect([host, await put(host)]).toEqual([host, 200]);
  for (const host of ['attacker.example', `attacker.example:${port}`, '127.0.0.1:1', `127.0.0.2:${port}`, `localhost.attacker.example:${port}`]) expect([host, await put(host)]).toEqual([host, 403]);
  expect(await put(undefined)).toBe(400); // Node's server refuses HTTP/1.1 without Host before we see it
});

test('every credentials read asks the provider (which caches); a failed refresh answers 500 and is reported', async () => {
  const t = await token();
  const before = calls;
  await Promise.all([credentials(t), credentials(t), credentials(t)]);
  expect(calls).toBe(before + 3);
  failing = true;
  const res = await credentials(t);
  expect([res.status, await res.text()]).toEqual([500, 'failed to get credentials']);
  expect(errors).toEqual(['cannot get credentials: CreateSession refused; next try in 1 s']);
  failing = false;
});
