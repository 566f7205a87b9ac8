/**
 * serve's endpoint in front of `fromRolesAnywhere` and a loopback Roles Anywhere stand-in made to
 * fail inside the refresh window (the last 5 minutes of a session): 500s, a hung CreateSession,
 * and answers with empty credentials. Every read keeps answering 200 with the last good session
 * while it is valid, the service is asked again only after the backoff, and nothing empty or
 * expired is ever served.
 */
import { startImdsServer, ImdsServer } from '../../src/cli/imds-server';
import { fromRolesAnywhere } from '../../src/runtime/credentials';
import { ARNS } from '../runtime/credentials/support/arns';
import { Pki } from '../runtime/credentials/support/pki';
import { Reply, serviceError, sessionCreated, SessionServer, verifyThenCreate } from '../runtime/credentials/support/session-server';

let pki: Pki;
let sessions: SessionServer;
let imds: ImdsServer;
let now = Math.floor(Date.now() / 1000) * 1000;
const warnings: string[] = [];
const errors: string[] = [];
const infos: string[] = [];

beforeAll(async () => {
  pki = Pki.create();
  sessions = await SessionServer.start();
  const leaf = pki.issue('app', 'p256', { issuer: pki.issue('root', 'p256', { ca: true }) });
  const provider = fromRolesAnywhere({
    ...ARNS,
    certificate: pki.text(leaf.cert),
    privateKey: pki.text(leaf.key),
    endpoint: sessions.url,
    durationSeconds: 3600,
    clock: () => new Date(now),
    requestTimeoutMs: 3000,
  });
  imds = await startImdsServer({
    roleName: 'orders-connector',
    port: 0,
    credentials: provider,
    clock: () => now,
    onWarning: (m) => warnings.push(m),
    onError: (m) => errors.push(m),
    onInfo: (m) => infos.push(m),
  });
});

afterAll(async () => {
  await imds?.stop();
  await sessions?.close();
  pki?.cleanup();
});

interface Answer { status: number; accessKeyId?: string; expiration?: string }

async function read(): Promise<Answer> {
  const base = imds.endpoint.replace(/\/$/, '');
  const token = await (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text();
  const res = await fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': token } });
  if (res.status !== 200) return { status: res.status };
  const body = (await res.json()) as { AccessKeyId: string; Expiration: string };
  return { status: 200, accessKeyId: body.AccessKeyId, expiration: body.Expiration };
}

const start = now;
/** Waits for what a refresh finishing in the background does (no sleep where the event can be awaited). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}
const emptyCredentials = (request: Parameters<typeof sessionCreated>[0], index: number): Reply => {
  const reply = sessionCreated(request, index);
  const body = JSON.parse(reply.body!);
  body.credentialSet[0].credentials.accessKeyId = '';
  body.credentialSet[0].credentials.secretAccessKey = '';
  return { ...reply, body: JSON.stringify(body) };
};

test('a session is fetched and served', async () => {
  expect(await read()).toMatchObject({ status: 200, accessKeyId: 'ASIASESSION1' });
  expect(sessions.count).toBe(1);
});

test('CreateSession answering 500 inside the refresh window: 200 with the last session, one request per backoff step', async () => {
  sessions.respond = () => serviceError(500, 'InternalServerException', 'the service is having a bad day');
  now = start + 3600_000 - 290_000; // inside the last 5 minutes
  const reads = await Promise.all(Array.from({ length: 20 }, read));
  expect(reads.map((r) => [r.status, r.accessKeyId])).toEqual(Array(20).fill([200, 'ASIASESSION1']));
  await until(() => warnings.length === 1);
  expect(sessions.count).toBe(2); // 20 concurrent reads, one CreateSession
  expect(warnings[0]).toMatch(/^cannot refresh credentials \(failed try 1\): .*InternalServerException.*; answering with the last good credentials, which expire at \S+Z \(in 290 s\); next try in 1 s$/);

  // Within the backoff no request goes out; after it, one; the backoff doubles.
  expect((await read()).status).toBe(200);
  expect(sessions.count).toBe(2);
  now += 1000;
  expect((await read()).status).toBe(200);
  await until(() => warnings.length === 2);
  expect(sessions.count).toBe(3);
  expect(warnings[1]).toMatch(/failed try 2\).*next try in 2 s$/);
  now += 1000;
  expect((await read()).status).toBe(200);
  expect(sessions.count).toBe(3);
  now += 1000;
  expect((await read()).status).toBe(200);
  await until(() => warnings.length === 3);
  expect(sessions.count).toBe(4);
  expect(imds.stats()).toMatchObject({ refreshFailures: 3, servedFromLastGood: 24, unavailable: 0 });
});

test('a hung CreateSession: reads still answer the last session without waiting for it', async () => {
  let release: (reply: Reply) => void = () => undefined;
  sessions.respond = () => new Promise<Reply>((resolve) => (release = resolve));
  now += 4000; // past the backoff, 4 s after the third failure
  const reads = await Promise.all(Array.from({ length: 5 }, read));
  expect(reads.map((r) => [r.status, r.accessKeyId])).toEqual(Array(5).fill([200, 'ASIASESSION1']));
  await until(() => sessions.count === 5);
  // The service recovers: the answer that was hanging arrives and becomes the session served.
  release(verifyThenCreate(sessions.requests[4], 5) as Reply);
  await new Promise<void>((resolve) => {
    const poll = () => (infos.length > 0 ? resolve() : setTimeout(poll, 10));
    poll();
  });
  expect(infos).toEqual([expect.stringMatching(/^credentials refreshed after 3 failed tries; 29 reads were answered with the last good credentials meanwhile$/)]);
  sessions.respond = verifyThenCreate;
  expect(await read()).toMatchObject({ status: 200, accessKeyId: 'ASIASESSION5' });
});

test('credentials that are empty are never served; once the last ones expired a failing refresh is a 500, never expired keys', async () => {
  const second = now;
  sessions.respond = emptyCredentials;
  now = second + 3600_000 - 200_000;
  const during = await read();
  expect(during).toMatchObject({ status: 200, accessKeyId: 'ASIASESSION5' });
  await until(() => warnings.length === 4);
  expect(warnings[warnings.length - 1]).toMatch(/^cannot refresh credentials \(failed try 1\): /);
  now = second + 3600_000 + 1000; // the last good session has expired
  const after = await read();
  expect(after).toEqual({ status: 500 });
  expect(errors[errors.length - 1]).toMatch(/^cannot get credentials \(failed try 2\): .*; next try in 2 s$/);
  sessions.respond = verifyThenCreate;
  now += 2000;
  expect(await read()).toMatchObject({ status: 200, accessKeyId: expect.stringMatching(/^ASIASESSION\d+$/) });
});
