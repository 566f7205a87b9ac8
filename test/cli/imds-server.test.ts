/**
 * The IMDSv2 endpoint behind `serve`, with a provider that counts calls and a clock the test
 * moves: tokens expire, are stateless (nothing to fill), and every request but the token PUT needs one.
 */
import { request } from 'node:http';
import { startImdsServer, ImdsServer } from '../../src/cli/imds-server';
import { TOKEN_CHARACTERS } from '../../src/cli/imds-tokens';
import type { AwsCredentials } from '../../src/runtime/types';

let now = Date.parse('2026-11-29T12:00:00Z');
let calls = 0;
let failing = false;
const errors: string[] = [];
const warnings: string[] = [];
const infos: string[] = [];
let server: ImdsServer;
let base: string;

beforeAll(async () => {
  server = await startImdsServer({
    roleName: 'orders-connector',
    port: 0,
    clock: () => now,
    onError: (m) => errors.push(m),
    onWarning: (m) => warnings.push(m),
    onInfo: (m) => infos.push(m),
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
  expect(t).toHaveLength(TOKEN_CHARACTERS);
  expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
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

test('tokens are stateless: 1,000 long-lived tokens later, the first and a new one both work, and an altered one is refused', async () => {
  const first = await token('600');
  for (let i = 0; i < 1000; i++) expect((await tokenResponse('21600')).status).toBe(200);
  expect((await credentials(first)).status).toBe(200);
  expect((await credentials(await token('1'))).status).toBe(200);
  const altered = `${first.slice(0, 10)}${first[10] === 'A' ? 'B' : 'A'}${first.slice(11)}`;
  expect([(await credentials(altered)).status, (await credentials(`${first}A`)).status, (await credentials('x')).status]).toEqual([401, 401, 401]);
});

test('a token whose expiry is further off than 6 hours (the clock stepped back) is refused', async () => {
  const t = await token('21600');
  now -= 60_000;
  expect((await credentials(t)).status).toBe(401);
  now += 60_000;
  expect((await credentials(t)).status).toBe(200);
});

test('without a valid token every path but the token PUT answers 401, known or not, as IMDSv2 does', async () => {
  for (const path of ['/latest/meta-data/', '/nowhere', '/latest/meta-data/iam/security-credentials/other-role', '/latest/meta-data/iam/security-credentials']) {
    const none = await fetch(`${base}${path}`);
    expect([path, none.status, await none.text()]).toEqual([path, 401, 'no token provided']);
    const bad = await fetch(`${base}${path}`, { headers: { 'X-aws-ec2-metadata-token': 'not-a-token' } });
    expect([path, bad.status, await bad.text()]).toEqual([path, 401, 'invalid token provided']);
  }
  const t = await token();
  expect((await fetch(`${base}/nowhere`, { headers: { 'X-aws-ec2-metadata-token': t } })).status).toBe(404);
});

test('the TTL header must be a whole number of seconds from 1 to 21600', async () => {
  for (const ttl of ['1', '21600', '0060']) expect([ttl, (await tokenResponse(ttl)).status]).toEqual([ttl, 200]);
  for (const ttl of ['0', '21601', '-1', '1.5', '60s', '', '100000000000000000000']) expect([ttl, (await tokenResponse(ttl)).status]).toEqual([ttl, 400]);
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

test('every credentials read asks the provider (which caches); a failed refresh answers the last good credentials while they are valid, then 500', async () => {
  const t = await token('21600');
  const before = calls;
  await Promise.all([credentials(t), credentials(t), credentials(t)]);
  expect(calls).toBe(before + 3);
  const good = (await (await credentials(t)).json()) as Record<string, unknown>;
  const served = server.stats();
  failing = true;
  const res = await credentials(t);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ...good, LastUpdated: expect.any(String) });
  expect(warnings).toEqual([expect.stringMatching(/^cannot refresh credentials \(failed try 1\): CreateSession refused; answering with the last good credentials, which expire at \S+Z \(in 3600 s\); next try in 1 s$/)]);
  expect(server.stats()).toMatchObject({ refreshFailures: served.refreshFailures + 1, servedFromLastGood: served.servedFromLastGood + 1 });
  // Inside the backoff the provider is not asked again.
  const asked = calls;
  expect((await credentials(t)).status).toBe(200);
  expect(calls).toBe(asked);
  // Once the last good credentials expired there is nothing valid to answer with.
  now += 3601_000;
  const t2 = await token('60');
  const gone = await credentials(t2);
  expect([gone.status, await gone.text()]).toEqual([500, 'failed to get credentials']);
  expect(errors).toEqual([expect.stringMatching(/^cannot get credentials \(failed try 2\): CreateSession refused; next try in 2 s$/)]);
  expect(server.stats().unavailable).toBe(1);
  failing = false;
  now += 2_000;
  expect((await credentials(t2)).status).toBe(200);
  expect(infos).toEqual(['credentials refreshed after 2 failed tries; 2 reads were answered with the last good credentials meanwhile']);
});
