/**
 * credential-process and serve against a Roles Anywhere endpoint that answers badly: a flood of
 * control characters in an error, or credentials that already expired.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli';
import { createCertificateAuthority } from '../../src/local/certificates';
import { profileArn, roleArn, trustAnchorArn } from '../local/support/arns';

const dir = mkdtempSync(join(tmpdir(), 'hostile-session-'));
const issued = createCertificateAuthority({ commonName: 'Hostile Root CA' }).issue({ commonName: 'app' });
const certificate = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
writeFileSync(certificate, issued.certificatePem);
writeFileSync(key, issued.privateKeyPem);

let answer: () => { status: number; body: string } = () => ({ status: 500, body: '' });
let requests = 0;
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      const { status, body } = answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const flags = () => ['--certificate', certificate, '--private-key', key, '--trust-anchor-arn', trustAnchorArn(), '--profile-arn', profileArn(),
  '--role-arn', roleArn('r'), '--endpoint', endpoint];
export const session = (expiration: string) => JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't', expiration } }] });

describe('credential-process', () => {
  test('a 100 KB error with ESC and BEL is printed as one bounded, escaped line', async () => {
    const hostile = `\x1b]0;owned\x07\r\n${'x'.repeat(100_000)}`;
    answer = () => ({ status: 400, body: JSON.stringify({ __type: 'ValidationException', message: hostile }) });
    const run = await runCli(['credential-process', ...flags()]);
    expect(run.code).toBe(1);
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.slice(0, -1)).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(run.stderr.length).toBeLessThan(2000);
    expect(run.stderr).toContain('failed with 400 ValidationException: \\x1b]0;owned\\x07\\r\\nxxx');
  });
});

describe('credentials that already expired, or expire within the 5-minute refresh margin', () => {
  test.each([
    ['expired in 2001', () => '2001-01-01T00:00:00Z', /answered 201 with credentials that expire at 2001-01-01T00:00:00\.000Z, \d+ s before .*: expected credentials valid for more than 300 s \(the refresh margin\)\n$/],
    ['expiring in 2 minutes', () => new Date(Date.now() + 120_000).toISOString(), /, 1[12]\d s from .*: expected credentials valid for more than 300 s/],
  ])('credential-process refuses them (%s), exit 1', async (_, expiration, message) => {
    answer = () => ({ status: 201, body: session(expiration()) });
    const run = await runCli(['credential-process', ...flags()]);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  test('serve answers the last good session while the refresh gets expired ones, backing off instead of asking CreateSession on every GET', async () => {
    // Fresh for one more second at start, then inside the refresh window; every later answer is expired.
    const startExpiration = new Date(Date.now() + 301_000).toISOString();
    answer = () => ({ status: 201, body: session(startExpiration) });
    let base = '';
    const stop = new Promise<void>((resolveStop) => {
      void (async () => {
        while (base === '') await new Promise((r) => setTimeout(r, 20));
        answer = () => ({ status: 201, body: session('2001-01-01T00:00:00Z') });
        await new Promise((r) => setTimeout(r, 1100));
        const token = await (await fetch(`${base}latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
        const get = () => fetch(`${base}latest/meta-data/iam/security-credentials/r`, { headers: { 'X-aws-ec2-metadata-token': token } });
        const before = requests;
        const answers = [];
        for (let i = 0; i < 10; i++) {
          const res = await get();
          answers.push([res.status, ((await res.json()) as { Expiration: string }).Expiration]);
        }
        expect(answers).toEqual(Array(10).fill([200, startExpiration.replace(/\.\d{3}Z$/, 'Z')]));
        expect(requests - before).toBe(1);
        resolveStop();
      })();
    });
    const run = await runCli(['serve', '--port', '0', ...flags()], { serve: { stopSignal: stop }, onStdout: (text) => (base = text.trim()) });
    expect(run.stderr).toMatch(/warning: cannot refresh credentials \(failed try 1\): roles anywhere endpoint .* answered 201 with credentials that expire at 2001-01-01T00:00:00\.000Z.*; answering with the last good credentials, which expire at \S+ \(in 29\d s\); next try in 1 s\n/);
    expect(run.stderr.match(/^warning:/gm)).toHaveLength(1);
    expect(run.stderr.match(/^error:/gm)).toBeNull();
    expect(run.stderr).toMatch(/stopped: 1 tokens issued, 0 requests refused 401; 10 credentials served \(10 with the last good ones during failed refreshes\), 0 answered 500; 1 refresh failures\n$/);
  });
});
