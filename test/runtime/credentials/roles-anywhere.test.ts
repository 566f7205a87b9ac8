/**
 * `fromRolesAnywhere` as a credential provider: its options are checked when it is created, it
 * caches the session, refreshes it inside the window before expiry and not before, and keeps
 * one CreateSession in flight however many callers wait. Time is an injected clock; sessions
 * are counted by the loopback service.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ARNS, PROFILE_ARN, TRUST_ANCHOR_ARN } from './support/arns';
import { Issued, Pki } from './support/pki';
import { SessionServer, serviceError, signingTime, verifyThenCreate } from './support/session-server';
import { fromRolesAnywhere, RolesAnywhereError, RolesAnywhereOptions } from '../../../src/runtime/credentials';
import { InputError } from '../../../src/runtime/errors';
import { AwsCredentials } from '../../../src/runtime/types';

let pki: Pki;
let server: SessionServer;
let leaf: Issued;

beforeAll(async () => {
  pki = Pki.create();
  server = await SessionServer.start();
  leaf = pki.issue('app', 'p256', { issuer: pki.issue('root', 'p256', { ca: true }) });
});

afterEach(() => {
  server.respond = verifyThenCreate;
});

afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

/** A clock the test moves by hand; it starts at the real time (the certificate is valid from then). */
class ManualClock {
  now = new Date();
  readonly read = (): Date => this.now;
  set(date: Date): void {
    this.now = date;
  }
}

function options(extra: Partial<RolesAnywhereOptions> = {}): RolesAnywhereOptions {
  return { ...ARNS, certificate: pki.text(leaf.cert), privateKey: pki.text(leaf.key), endpoint: server.url, ...extra };
}

const SECOND = 1000;

describe('options are checked when the provider is created', () => {
  const otherRegionProfile = PROFILE_ARN.replace('eu-west-1', 'eu-central-1');
  test.each<[string, Partial<RolesAnywhereOptions>, string]>([
    ['a malformed trust anchor ARN', { trustAnchorArn: 'trust-anchor/123' }, "invalid trustAnchorArn 'trust-anchor/123'"],
    ['a trust anchor ARN given as the profile', { profileArn: TRUST_ANCHOR_ARN }, `invalid profileArn '${TRUST_ANCHOR_ARN}'`],
    ['a missing role ARN', { roleArn: undefined as unknown as string }, 'invalid roleArn of type undefined: expected an ARN string'],
    ['a profile in another region', { profileArn: otherRegionProfile }, `trust anchor '${TRUST_ANCHOR_ARN}' is in eu-west-1 but profile '${otherRegionProfile}' is in eu-central-1: expected both in one region`],
    ['a region other than the trust anchor\'s', { region: 'us-east-1' }, "invalid region 'us-east-1': expected the trust anchor's region 'eu-west-1'"],
    ['a duration below 900 seconds', { durationSeconds: 899 }, 'invalid durationSeconds 899: expected an integer from 900 to 43200'],
    ['a duration above 43200 seconds', { durationSeconds: 43201 }, 'invalid durationSeconds 43201: expected an integer from 900 to 43200'],
    ['a duration given as a string', { durationSeconds: '3600' as unknown as number }, "invalid durationSeconds '3600': expected an integer from 900 to 43200"],
    ['a one-letter role session name', { roleSessionName: 'a' }, "invalid roleSessionName 'a': expected 2 to 64 characters"],
    ['a role session name with a space', { roleSessionName: 'orders worker' }, "invalid roleSessionName 'orders worker'"],
    ['a client certificate id that is no fingerprint', { clientCertificateId: 'CN=app' }, "invalid clientCertificateId 'CN=app': expected a SHA-256 fingerprint"],
    ['a refresh window as long as the session', { durationSeconds: 900, refreshBeforeExpirySeconds: 900 }, 'invalid refreshBeforeExpirySeconds 900: expected an integer from 0 to 899'],
    ['a negative refresh window', { refreshBeforeExpirySeconds: -1 }, 'invalid refreshBeforeExpirySeconds -1: expected an integer from 0 to 3599'],
    ['an http endpoint that is not loopback', { endpoint: 'http://rolesanywhere.example.com' }, "invalid endpoint 'http://rolesanywhere.example.com': http is allowed on loopback addresses only"],
    ['a clock that is not a function', { clock: new Date() as unknown as () => Date }, 'invalid clock of type object: expected a function'],
    ['a region nobody knows and no endpoint', {
      trustAnchorArn: TRUST_ANCHOR_ARN.replace('eu-west-1', 'xx-nowhere-1'),
      profileArn: PROFILE_ARN.replace('eu-west-1', 'xx-nowhere-1'),
      endpoint: undefined,
      // The contract's ARN check refuses a region outside every partition before the endpoint is chosen.
    }, "'xx-nowhere-1' is not a region of partition aws, expected one such as af-south-1"],
  ])('%s', (_, extra, message) => {
    let error: unknown;
    try {
      fromRolesAnywhere(options(extra));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
  });
});

test('by default the session lasts 3600 seconds and is signed for the trust anchor\'s region', async () => {
  await fromRolesAnywhere(options())();
  const request = server.requests[server.count - 1];
  expect(JSON.parse(request.body)).toEqual({ durationSeconds: 3600 });
  expect(request.authorization?.region).toBe('eu-west-1');
});

test('any AWS SDK v3 client takes it as its credentials', async () => {
  const provider: AwsCredentialIdentityProvider = fromRolesAnywhere(options());
  const client = new STSClient({ region: 'eu-west-1', credentials: provider });
  const resolved = await client.config.credentials();
  expect(resolved.accessKeyId).toBe(`ASIASESSION${server.count}`);
  expect(resolved.sessionToken).toBe(`token-${server.count}`);
  client.destroy();
});

describe('caching and refresh', () => {
  async function sessionAt(clock: ManualClock, extra: Partial<RolesAnywhereOptions> = {}) {
    const provider = fromRolesAnywhere(options({ clock: clock.read, ...extra }));
    const first = await provider();
    return { provider, first, expiration: first.expiration!.getTime() };
  }

  test('the session is reused while it is outside the refresh window', async () => {
    const clock = new ManualClock();
    const { provider, first, expiration } = await sessionAt(clock);
    const sessions = server.count;

    clock.set(new Date(expiration - 301 * SECOND));
    await expect(provider()).resolves.toBe(first);
    expect(server.count).toBe(sessions);
  });

  test('a new session is created inside the 5-minute window, signed at the clock\'s time', async () => {
    const clock = new ManualClock();
    const { provider, first, expiration } = await sessionAt(clock);
    const sessions = server.count;

    clock.set(new Date(expiration - 299 * SECOND));
    const second = await provider();
    expect(server.count).toBe(sessions + 1);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(signingTime(server.requests[server.count - 1])).toEqual(clock.now);
    await expect(provider()).resolves.toBe(second);
    expect(server.count).toBe(sessions + 1);
  });

  test('refreshBeforeExpirySeconds moves the window', async () => {
    const clock = new ManualClock();
    const { provider, first, expiration } = await sessionAt(clock, { refreshBeforeExpirySeconds: 60 });
    const sessions = server.count;

    clock.set(new Date(expiration - 61 * SECOND));
    await expect(provider()).resolves.toBe(first);
    expect(server.count).toBe(sessions);

    clock.set(new Date(expiration - 59 * SECOND));
    await expect(provider()).resolves.not.toBe(first);
    expect(server.count).toBe(sessions + 1);
  });
});

describe('one CreateSession in flight', () => {
  const callers = 1000;

  test('1,000 concurrent first calls cause one CreateSession and share its credentials', async () => {
    const provider = fromRolesAnywhere(options());
    const before = server.count;
    const results = await Promise.all(Array.from({ length: callers }, () => provider()));
    expect(server.count).toBe(before + 1);
    expect(new Set(results).size).toBe(1);
  });

  test('1,000 concurrent calls across an expiry cause exactly one more CreateSession', async () => {
    const clock = new ManualClock();
    const provider = fromRolesAnywhere(options({ clock: clock.read, durationSeconds: 900 }));
    const first = await provider();
    const before = server.count;

    clock.set(new Date(first.expiration!.getTime() + SECOND));
    const results = await Promise.all(Array.from({ length: callers }, () => provider()));

    expect(server.count).toBe(before + 1);
    const accessKeyIds = new Set(results.map((c: AwsCredentials) => c.accessKeyId));
    expect([...accessKeyIds]).toEqual([`ASIASESSION${before + 1}`]);
  });

  test('a failed CreateSession rejects every waiter with the service error, and the next call tries again', async () => {
    const provider = fromRolesAnywhere(options());
    const before = server.count;
    server.respond = () => serviceError(403, 'AccessDeniedException', 'Profile is disabled');

    const outcomes = await Promise.allSettled(Array.from({ length: callers }, () => provider()));
    expect(server.count).toBe(before + 1);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    const reasons = new Set(outcomes.map((o) => (o as PromiseRejectedResult).reason));
    expect(reasons.size).toBe(1);
    const [reason] = reasons;
    expect(reason).toBeInstanceOf(RolesAnywhereError);
    expect(reason).toMatchObject({ code: 'AccessDeniedException', statusCode: 403, serviceMessage: 'Profile is disabled' });

    server.respond = verifyThenCreate;
    await expect(provider()).resolves.toMatchObject({ accessKeyId: `ASIASESSION${before + 2}` });
    expect(server.count).toBe(before + 2);
  });
});

describe('a secondary session target', () => {
  const secondaryArns = {
    trustAnchorArn: TRUST_ANCHOR_ARN.replace('eu-west-1', 'eu-central-1'),
    profileArn: PROFILE_ARN.replace('eu-west-1', 'eu-central-1'),
  };
  /** A fetch that records each URL: the loopback service answers; any other host is refused. */
  const recordingFetch = (urls: string[]): RolesAnywhereOptions['fetch'] => async (url, init) => {
    urls.push(url);
    if (url.startsWith(server.url)) return fetch(url, init);
    throw Object.assign(new Error(`connect ECONNREFUSED (no ${new URL(url).host} in the test)`), { code: 'ECONNREFUSED' });
  };

  test('is used when the primary answers 503, and without an endpoint of its own it goes to its region\'s endpoint, not the primary\'s override', async () => {
    server.respond = () => serviceError(503, 'ServiceUnavailableException', 'primary down');
    const urls: string[] = [];
    const provider = fromRolesAnywhere(options({ fetch: recordingFetch(urls), secondary: () => secondaryArns }));
    await expect(provider()).rejects.toThrow(/ECONNREFUSED/);
    expect(urls.map((url) => new URL(url).origin)).toEqual([server.url, 'https://rolesanywhere.eu-central-1.amazonaws.com']);
  });

  test('with its own endpoint, gives the session from there and tells onFallback', async () => {
    const fallbacks: string[] = [];
    let calls = 0;
    server.respond = (request, index) => (++calls === 1 ? serviceError(503, 'ServiceUnavailableException', 'primary down') : verifyThenCreate(request, index));
    const urls: string[] = [];
    const provider = fromRolesAnywhere(options({
      fetch: recordingFetch(urls),
      secondary: () => ({ ...secondaryArns, endpoint: server.url, onFallback: (from, to) => fallbacks.push(`${from} -> ${to}`) }),
    }));
    await expect(provider()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIASESSION/) });
    expect(fallbacks).toEqual(['eu-west-1 -> eu-central-1']);
    expect(server.requests[server.count - 1].authorization?.region).toBe('eu-central-1');
  });
});
