/**
 * sign-string, read-certificate-data and update as the helper defines them, run in-process;
 * and the shared credentials file editing that update relies on.
 */
import { spawnSync } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli';
import { setProfileCredentials, sharedCredentialsPath } from '../../src/cli/credentials-file';
import { createCertificateAuthority } from '../../src/local/certificates';
import { mlDsaPublicKeyOf, verifyMlDsa } from '../../src/runtime/credentials/ml-dsa';
import { profileArn, roleArn, trustAnchorArn } from '../local/support/arns';

const dir = mkdtempSync(join(tmpdir(), 'helper-commands-'));
const file = (name: string, content: string | Buffer) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
const root = createCertificateAuthority({ commonName: 'Helper Root CA' });
const rsa = root.issue({ commonName: 'rsa-app', keyType: 'rsa' });
const ec = root.issue({ commonName: 'ec-app' });
const MLDSA_KEY = '/work/shared/vectors/mldsa/mldsa65-key-pkcs8-scrypt.pem';
const MLDSA_CERT = '/work/shared/vectors/mldsa/mldsa65-cert.pem';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sign-string signs stdin with the private key', () => {
  test.each([
    ['RSA, SHA256, json (the default)', rsa, 'json', [], 'sha256'],
    ['EC, SHA384, text', ec, 'text', ['--digest', 'SHA384', '--format', 'text'], 'sha384'],
    ['RSA, SHA512, bin', rsa, 'bin', ['--digest', 'SHA512', '--format', 'bin'], 'sha512'],
  ] as const)('%s', async (_, issued, format, flags, digest) => {
    const run = await runCli(['sign-string', '--private-key', file(`${issued.certificate.serialNumber}.pem`, issued.privateKeyPem), ...flags], { stdin: Buffer.from('string to sign') });
    expect(run.stderr).toBe('');
    const signature = format === 'bin' ? run.stdoutBytes : Buffer.from(format === 'json' ? JSON.parse(run.stdout) : run.stdout, 'hex');
    expect(verify(digest, Buffer.from('string to sign'), { key: issued.certificate.publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  test('an encrypted ML-DSA-65 key signs the data itself (pure ML-DSA), verified with the certificate\'s key', async () => {
    const run = await runCli(['sign-string', '--private-key', MLDSA_KEY, '--pkcs8-password', 'password', '--format', 'text'], { stdin: Buffer.from('post-quantum') });
    expect(run.stderr).toBe('');
    const certified = mlDsaPublicKeyOf(new X509Certificate(readFileSync(MLDSA_CERT)))!;
    expect(verifyMlDsa(certified.variant, certified.publicKey, Buffer.from('post-quantum'), Buffer.from(run.stdout, 'hex'))).toBe(true);
  });

  test('bad --format and --digest name the value and what is expected', async () => {
    const key = file('k.pem', ec.privateKeyPem);
    expect((await runCli(['sign-string', '--private-key', key, '--format', 'xml'], { stdin: Buffer.from('x') })).stderr)
      .toBe("eventbridge-connector sign-string: invalid --format 'xml': expected json, text or bin\n");
    expect((await runCli(['sign-string', '--private-key', key, '--digest', 'MD5'], { stdin: Buffer.from('x') })).stderr)
      .toBe("eventbridge-connector sign-string: invalid --digest 'MD5': expected SHA256, SHA384 or SHA512\n");
  });
});

describe('read-certificate-data', () => {
  test('prints the helper\'s CertificateData for an RSA certificate', async () => {
    const run = await runCli(['read-certificate-data', '--certificate', file('rsa-cert.pem', rsa.certificatePem)]);
    expect(JSON.parse(run.stdout)).toEqual({
      keyType: 'RSA',
      certificateData: rsa.certificate.raw.toString('base64'),
      serialNumber: BigInt(`0x${rsa.certificate.serialNumber}`).toString(10),
      supportedAlgorithms: ['SHA256', 'SHA384', 'SHA512'],
    });
  });

  test('names the ML-DSA parameter set of a post-quantum certificate', async () => {
    const run = await runCli(['read-certificate-data', '--certificate', MLDSA_CERT]);
    expect(JSON.parse(run.stdout)).toMatchObject({ keyType: 'ML-DSA-65', supportedAlgorithms: ['ML-DSA-65'] });
  });
});

describe('the shared credentials file', () => {
  const credentials = { accessKeyId: 'ASIANEW', secretAccessKey: 'new-secret', sessionToken: 'new-token' };

  test('replaces the three keys of the profile, keeping its other keys, other profiles and comments', () => {
    const before = '# top comment\n[default]\naws_access_key_id = AKIADEFAULT\n\n[app] ; inline\nregion = eu-west-1\naws_access_key_id=OLD\naws_session_token = OLD\n# app note\n\n[later]\nx = 1\n';
    expect(setProfileCredentials(before, 'app', credentials)).toBe(
      '# top comment\n[default]\naws_access_key_id = AKIADEFAULT\n\n[app] ; inline\naws_access_key_id = ASIANEW\naws_secret_access_key = new-secret\naws_session_token = new-token\nregion = eu-west-1\n# app note\n\n[later]\nx = 1\n');
  });

  test('adds a missing profile at the end, and keeps CRLF files CRLF', () => {
    expect(setProfileCredentials('', 'default', credentials)).toBe('[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = new-secret\naws_session_token = new-token\n');
    expect(setProfileCredentials('[a]\r\nx = 1\r\n', 'b', credentials)).toBe('[a]\r\nx = 1\r\n\r\n[b]\r\naws_access_key_id = ASIANEW\r\naws_secret_access_key = new-secret\r\naws_session_token = new-token\r\n');
  });

  test('is where the SDKs look: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials', () => {
    expect(sharedCredentialsPath({ AWS_SHARED_CREDENTIALS_FILE: '/x/creds' })).toBe('/x/creds');
    expect(sharedCredentialsPath({ HOME: '/home/app' })).toBe('/home/app/.aws/credentials');
  });
});

describe('update', () => {
  const flags = () => ['--certificate', file('ec-cert.pem', ec.certificatePem), '--private-key', file('ec-key.pem', ec.privateKeyPem),
    '--trust-anchor-arn', trustAnchorArn(), '--profile-arn', profileArn(), '--role-arn', roleArn('r'), '--endpoint', 'http://127.0.0.1:9'];

  test('exits 1 on a failed refresh by default (fail fast), naming the cause; the file is not touched', async () => {
    const target = file('untouched', '[keep]\nx = 1\n');
    const run = await runCli(['update', '--credentials-file', target, ...flags()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^eventbridge-connector update: cannot reach the roles anywhere endpoint http:\/\/127\.0\.0\.1:9\/sessions/);
    expect(readFileSync(target, 'utf8')).toBe('[keep]\nx = 1\n');
  });

  test('--retry-errors keeps trying with backoff until stopped', async () => {
    const stop = new Promise((r) => setTimeout(r, 1500));
    const run = await runCli(['update', '--retry-errors', '--credentials-file', join(dir, 'retried'), ...flags()], { serve: { stopSignal: stop } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^error: cannot reach the roles anywhere endpoint .*; retrying in 1 s\nerror: .*; retrying in 2 s\n$/);
  });

  test('--once and --retry-errors together, and a bad profile name, are refused', async () => {
    expect((await runCli(['update', '--once', '--retry-errors', ...flags()])).stderr).toBe('eventbridge-connector update: --once and --retry-errors were given together: expected at most one of them\n');
    expect((await runCli(['update', '--profile', 'a]b', ...flags()])).stderr).toBe("eventbridge-connector update: invalid --profile 'a]b': expected 1 to 64 letters, digits and _ . @ + -\n");
  });
});

describe('update refuses a credentials file it must not rewrite (all under a fresh temp directory)', () => {
  const flags = () => ['--once', '--certificate', file('ec-cert.pem', ec.certificatePem), '--private-key', file('ec-key.pem', ec.privateKeyPem),
    '--trust-anchor-arn', trustAnchorArn(), '--profile-arn', profileArn(), '--role-arn', roleArn('r'), '--endpoint', 'http://127.0.0.1:9'];
  const own = mkdtempSync(join(tmpdir(), 'update-guard-'));
  afterAll(() => rmSync(own, { recursive: true, force: true }));
  const refused = async (target: string) => {
    const run = await runCli(['update', '--credentials-file', target, ...flags()]);
    expect(run.code).toBe(1);
    return run.stderr;
  };

  test('a directory, a FIFO, a symlink to one, a binary, a NUL byte, a huge file and a read-only file are refused and left as they were', async () => {
    const fifo = join(own, 'fifo');
    spawnSync('mkfifo', [fifo]);
    expect(await refused(own)).toBe(`eventbridge-connector update: invalid credentials file '${own}': expected a regular file (or a symlink to one), got a directory\n`);
    expect(await refused(fifo)).toMatch(/got a FIFO\n$/);
    symlinkSync(fifo, join(own, 'to-fifo'));
    expect(await refused(join(own, 'to-fifo'))).toMatch(/got a FIFO\n$/);
    const binary = join(own, 'binary');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe]));
    expect(await refused(binary)).toMatch(/it holds NUL bytes: expected an INI text file\n$/);
    const latin1 = join(own, 'latin1');
    writeFileSync(latin1, Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0xe9, 0x0a]));
    expect(await refused(latin1)).toMatch(/it is not UTF-8 text/);
    const prose = join(own, 'prose');
    writeFileSync(prose, 'unrelated file\n');
    expect(await refused(prose)).toMatch(/line 1 'unrelated file' is not a section, key = value, comment or continuation: expected an INI credentials file\n$/);
    const huge = join(own, 'huge');
    writeFileSync(huge, `[a]\nx = ${'y'.repeat(1024 * 1024)}\n`);
    expect(await refused(huge)).toMatch(/it has 1048585 bytes: expected at most 1048576 bytes\n$/);
    const readOnly = join(own, 'read-only');
    writeFileSync(readOnly, '[keep]\nx = 1\n', { mode: 0o444 });
    expect(await refused(readOnly)).toMatch(/it is read-only \(mode 0444\): expected the owner's write bit\n$/);
    expect(statSync(readOnly).mode.toString(8).slice(-3)).toBe('444');
    expect(readFileSync(prose, 'utf8')).toBe('unrelated file\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  test('a symlink to a regular INI file is followed (the checks apply to the target); a dangling one is refused', async () => {
    const target = join(own, 'real');
    writeFileSync(target, '[keep]\nx = 1\n', { mode: 0o640 });
    symlinkSync(target, join(own, 'link'));
    // Passes the file checks and reaches the (unreachable) endpoint.
    expect(await refused(join(own, 'link'))).toMatch(/cannot reach the roles anywhere endpoint/);
    symlinkSync(join(own, 'nowhere'), join(own, 'dangling'));
    expect(await refused(join(own, 'dangling'))).toMatch(/got a symlink whose target does not exist\n$/);
  });

  test('the file\'s name is shown bounded and escaped', async () => {
    const name = join(own, `x\x1b[31m${'n'.repeat(200)}`);
    mkdirSync(name);
    const stderr = await refused(name);
    expect(stderr).toContain('\\x1b[31m');
    expect(stderr).not.toContain('\x1b');
    expect(stderr).toMatch(/\.\.\.' \(\d+ characters\)/);
  });
});

describe('version', () => {
  test('takes no arguments, as the other commands refuse stray ones', async () => {
    const run = await runCli(['version', 'extra']);
    expect([run.code, run.stdout, run.stderr]).toEqual([1, '', "eventbridge-connector version: unexpected argument 'extra': version takes none\n"]);
    expect((await runCli(['version'])).code).toBe(0);
  });
});
