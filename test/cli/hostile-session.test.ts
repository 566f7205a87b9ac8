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
