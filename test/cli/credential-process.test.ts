import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { runCli } from './support/run-cli';
import { createCertificateAuthority } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { ACCOUNT, profileArn, REGION, roleArn, trustAnchorArn } from '../local/support/arns';
import { ASSUME_ROLE_USER_CALLS, createAssumeRoleUser } from '../support/moto-iam';

const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const ROLE = roleArn('orders-connector');

const root = createCertificateAuthority({ commonName: 'CLI Root CA', keyType: 'rsa' });
const issuing = root.createIntermediate({ commonName: 'CLI Issuing CA' });
const leaf = issuing.issue({ commonName: 'cli-workload', keyType: 'rsa' });

const dir = mkdtempSync(join(tmpdir(), 'credential-process-test-'));
const files = {
  certificate: join(dir, 'cert.pem'),
  privateKey: join(dir, 'key.pem'),
  intermediates: join(dir, 'chain.pem'),
  pkcs12: join(dir, 'bundle.p12'),
};
writeFileSync(files.certificate, leaf.certificatePem);
writeFileSync(files.privateKey, leaf.privateKeyPem);
writeFileSync(files.intermediates, leaf.chainPem);

let moto: MotoServer;
let service: RolesAnywhereService;

beforeAll(async () => {
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS });
  service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service'),
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE], durationSeconds: 3600, acceptRoleSessionName: true }],
  });
});

afterAll(async () => {
  await service?.stop();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const arnFlags = () => ['--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', service.endpoint];

async function callerArn(output: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }) {
  const sts = new STSClient({
    endpoint: moto.endpoint,
    region: REGION,
    credentials: { accessKeyId: output.AccessKeyId, secretAccessKey: output.SecretAccessKey, sessionToken: output.SessionToken },
  });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
}

describe('credential-process prints credential_process JSON', () => {
  test('from a certificate, its key and its intermediates', async () => {
    const run = await runCli(['credential-process', '--certificate', files.certificate, '--private-key', files.privateKey, '--intermediates', files.intermediates, ...arnFlags()]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.endsWith('\n')).toBe(true);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(output.Version).toBe(1);
    expect(output.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await expect(callerArn(output)).resolves.toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/${leaf.certificate.serialNumber.toLowerCase()}`);
  });

  test('from a PKCS#12 bundle whose password is in the environment', async () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', files.certificate, '-inkey', files.privateKey, '-certfile', files.intermediates, '-out', files.pkcs12, '-passout', 'pass:bundle-secret']);
    const run = await runCli(['credential-process', '--pkcs12', files.pkcs12, ...arnFlags()], { env: { EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD: 'bundle-secret' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await expect(callerArn(JSON.parse(run.stdout))).resolves.toMatch(/:assumed-role\/orders-connector\//);
  });

  test('from a PKCS#12 bundle given as --certificate without --private-key, as the helper takes it', async () => {
    const bundle = join(dir, 'as-certificate.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-in', files.certificate, '-inkey', files.privateKey, '-certfile', files.intermediates, '-out', bundle, '-passout', 'pass:p12-secret']);
    const run = await runCli(['credential-process', '--certificate', bundle, '--pkcs8-password', 'p12-secret', ...arnFlags()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await expect(callerArn(JSON.parse(run.stdout))).resolves.toMatch(/:assumed-role\/orders-connector\//);
  });

  test('from an encrypted PKCS#8 key whose password is given with --pkcs8-password', async () => {
    const encrypted = join(dir, 'key-encrypted.pem');
    execFileSync('openssl', ['pkcs8', '-topk8', '-in', files.privateKey, '-out', encrypted, '-v2', 'aes-256-cbc', '-passout', 'pass:key-secret']);
    const run = await runCli(['credential-process', '--certificate', files.certificate, '--private-key', encrypted, '--pkcs8-password', 'key-secret', '--intermediates', files.intermediates, ...arnFlags()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  test('--debug logs what it signs with and the session it got, on stderr only', async () => {
    const run = await runCli(['credential-process', '--certificate', files.certificate, '--private-key', files.privateKey, '--intermediates', files.intermediates, '--debug', ...arnFlags()]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).Version).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^debug: signing with ${files.certificate}; CreateSession at ${service.endpoint}\ndebug: credentials ASIA\\w+ until \\d{4}-.* \\(\\d+ ms\\)\n$`));
  });

  test('with a session duration and a role session name', async () => {
    const before = Date.now();
    const run = await runCli(['credential-process', '--certificate', files.certificate, '--private-key', files.privateKey, '--intermediates', files.intermediates,
      ...arnFlags(), '--session-duration', '900', '--role-session-name', 'cli-session', '--region', REGION]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    // Moto stamps expiration from its own clock: allow a minute either way.
    expect(Math.abs((Date.parse(output.Expiration) - before) / 1000 - 900)).toBeLessThan(60);
    await expect(callerArn(output)).resolves.toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/cli-session`);
  });
});

describe('credential-process failures: exit 1 and one line on stderr', () => {
  const expectFailure = async (args: string[], message: string | RegExp) => {
    const run = await runCli(['credential-process', ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([expect.any(String), '']);
    expect(run.stderr.trimEnd()).toMatch(message);
  };

  test('a certificate file that does not exist', async () => {
    await expectFailure(['--certificate', join(dir, 'missing.pem'), '--private-key', files.privateKey, ...arnFlags()],
      `eventbridge-connector credential-process: cannot read --certificate file '${join(dir, 'missing.pem')}': no such file`);
  });

  test('a missing required flag', async () => {
    await expectFailure(['--certificate', files.certificate, '--private-key', files.privateKey, '--trust-anchor-arn', TRUST_ANCHOR, '--role-arn', ROLE],
      'eventbridge-connector credential-process: missing --profile-arn: expected the ARN of the Roles Anywhere profile');
    await expectFailure(['--private-key', files.privateKey, ...arnFlags()],
      'eventbridge-connector credential-process: missing --certificate: expected the client certificate file, a PKCS#12 bundle or a pkcs11: URI (or --pkcs12)');
  });

  test('a flag the command does not know', async () => {
    await expectFailure(['--no-such-flag', ...arnFlags()],
      /^eventbridge-connector credential-process: unknown option '--no-such-flag': run 'eventbridge-connector credential-process --help' for the flags$/);
  });

  test('a helper flag this package cannot honour is refused as not supported, with the reason', async () => {
    await expectFailure(['--no-verify-ssl', ...arnFlags()],
      /^eventbridge-connector credential-process: --no-verify-ssl is not supported: CreateSession carries session credentials back; .*$/);
    await expectFailure(['--cert-selector', 'Key=x509Subject,Value=CN=app', ...arnFlags()],
      /^eventbridge-connector credential-process: --cert-selector is not supported: the Windows and macOS certificate stores /);
  });

  test('an encrypted key without its password names the flag and the environment variable, not a library option', async () => {
    const encrypted = join(dir, 'key-needs-password.pem');
    execFileSync('openssl', ['pkcs8', '-topk8', '-in', files.privateKey, '-out', encrypted, '-v2', 'aes-128-cbc', '-passout', 'pass:s3cret']);
    await expectFailure(['--certificate', files.certificate, '--private-key', encrypted, ...arnFlags()],
      /^eventbridge-connector credential-process: --private-key is encrypted: expected its passphrase in --pkcs8-password or EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE$/);
  });

  test('a repeated flag is refused, naming it', async () => {
    await expectFailure(['--region', 'eu-west-1', '--region', 'us-east-1', ...arnFlags()],
      /^eventbridge-connector credential-process: --region was given more than once: expected it at most once$/);
  });

  test('an argument with a line break says credential_process is one line', async () => {
    await expectFailure(['--certificate', 'cert.pem\n  --private-key key.pem', ...arnFlags()],
      /^eventbridge-connector credential-process: invalid argument "cert.pem\\n  --private-key key.pem": expected no line breaks \(a credential_process command must be on one line in ~\/.aws\/config\)$/);
  });

  test('a file argument that is not a regular file is refused without reading it', async () => {
    await expectFailure(['--certificate', '/dev/zero', '--private-key', '/dev/zero', ...arnFlags()],
      /^eventbridge-connector credential-process: cannot read --certificate file '\/dev\/zero': it is not a regular file: expected a certificate or key file$/);
  });

  test('a session duration out of bounds', async () => {
    await expectFailure(['--certificate', files.certificate, '--private-key', files.privateKey, ...arnFlags(), '--session-duration', '60'],
      "eventbridge-connector credential-process: invalid --session-duration '60': expected a whole number from 900 to 43200");
  });

  test('both a PKCS#12 bundle and a certificate', async () => {
    await expectFailure(['--pkcs12', files.pkcs12, '--certificate', files.certificate, ...arnFlags()],
      /--pkcs12 was given together with --certificate or --private-key/);
  });

  test('a key that does not belong to the certificate', async () => {
    const other = root.issue({ commonName: 'other' });
    const otherKey = join(dir, 'other-key.pem');
    writeFileSync(otherKey, other.privateKeyPem);
    await expectFailure(['--certificate', files.certificate, '--private-key', otherKey, ...arnFlags()],
      /^eventbridge-connector credential-process: private key does not match certificate 'CN=cli-workload'/);
  });

  test('a refusal from the service (the chain without its intermediate), with its error type and message', async () => {
    await expectFailure(['--certificate', files.certificate, '--private-key', files.privateKey, ...arnFlags()],
      /failed with 403 AccessDeniedException: untrusted signing certificate 'CN=cli-workload'/);
  });
});

describe('help', () => {
  test('each command explains its flags on stdout and exits 0', async () => {
    const credential = await runCli(['credential-process', '--help']);
    expect(credential).toMatchObject({ code: 0, stderr: '' });
    for (const flag of ['--certificate', '--private-key', '--pkcs12', '--intermediates', '--trust-anchor-arn', '--profile-arn', '--role-arn', '--region', '--endpoint', '--session-duration', '--role-session-name']) {
      expect(credential.stdout).toContain(`  ${flag} `);
    }
    const serviceHelp = await runCli(['rolesanywhere-service', '--help']);
    expect(serviceHelp).toMatchObject({ code: 0, stderr: '' });
    expect(serviceHelp.stdout).toMatch(/--config FILE[\s\S]*--sts-endpoint URL[\s\S]*--port N/);
  });

  test('no command prints the usage on stderr and exits 1; an unknown one says which exist', async () => {
    const none = await runCli([]);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/^Usage: eventbridge-connector <command>/);
    expect(await runCli(['assume'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "eventbridge-connector: unknown command 'assume': expected one of credential-process, serve, update, sign-string, read-certificate-data, rolesanywhere-service, version\n",
    });
  });
});
