/**
 * The bundled CLI as third parties run it: `lib/cli.js rolesanywhere-service` as a process, and
 * the AWS CLI reading credentials from `lib/cli.js credential-process` through ~/.aws/config.
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { ACCOUNT, profileArn, REGION, roleArn, trustAnchorArn } from '../local/support/arns';
import { ensureBundles } from '../support/bundles';
import { ASSUME_ROLE_USER_CALLS, createAssumeRoleUser } from '../support/moto-iam';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'lib', 'cli.js');
const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const ROLE = roleArn('orders-connector');

const root = createCertificateAuthority({ commonName: 'AWS CLI Root CA' });
const issuing = root.createIntermediate({ commonName: 'AWS CLI Issuing CA' });
const leaf = issuing.issue({ commonName: 'aws-cli-workload', keyType: 'rsa' });

const dir = mkdtempSync(join(tmpdir(), 'aws-cli-test-'));
const path = (name: string, content: string) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};

let moto: MotoServer;
let service: ChildProcess;
let serviceStderr = '';
let endpoint: string;

beforeAll(async () => {
  // The bundles are what the package ships; build them from the current sources.
  ensureBundles();
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS });
  const stsCredentials = await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service');
  path('ca.pem', root.certificatePem);
  const config = path('rolesanywhere.json', JSON.stringify({
    stsCredentials,
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesFile: 'ca.pem' }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE], durationSeconds: 3600 }],
  }));
  service = spawn(process.execPath, [CLI, 'rolesanywhere-service', '--config', config, '--sts-endpoint', moto.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
  service.stderr!.on('data', (chunk: Buffer) => (serviceStderr += chunk.toString()));
  endpoint = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    service.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.trim());
    });
    service.once('exit', (code) => reject(new Error(`rolesanywhere-service exited with ${code}: ${serviceStderr}`)));
  });
});

afterAll(async () => {
  if (service && service.exitCode === null) {
    service.kill('SIGKILL');
  }
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the AWS CLI without blocking, so the service's log lines keep arriving meanwhile. */
function aws(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('aws', args, { env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** An environment with only the AWS settings under test: no keys, no real config. */
function awsEnv(configFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' };
  return { ...env, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path('credentials', '') };
}

describe('the AWS CLI with a credential_process profile', () => {
  test('aws sts get-caller-identity runs as the role Roles Anywhere assumed', async () => {
    const command = [
      process.execPath, CLI, 'credential-process',
      '--certificate', path('cert.pem', leaf.certificatePem),
      '--private-key', path('key.pem', leaf.privateKeyPem),
      '--intermediates', path('chain.pem', leaf.chainPem),
      '--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE,
      '--endpoint', endpoint,
    ].join(' ');
    const config = path('config', `[profile p]\ncredential_process = ${command}\n`);
    const run = await aws(['sts', 'get-caller-identity', '--endpoint-url', moto.endpoint, '--profile', 'p', '--region', REGION, '--output', 'json'], awsEnv(config));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/${leaf.certificate.serialNumber.toLowerCase()}`,
    });
    expect(serviceStderr).toMatch(/rolesanywhere: session arn:aws:sts::\d+:assumed-role\/orders-connector\//);
  });

  test('a credential_process that fails makes the AWS CLI fail', async () => {
    const command = `${process.execPath} ${CLI} credential-process --certificate ${join(dir, 'missing.pem')} --private-key ${join(dir, 'missing.key')} --trust-anchor-arn ${TRUST_ANCHOR} --profile-arn ${PROFILE} --role-arn ${ROLE} --endpoint ${endpoint}`;
    const config = path('config-broken', `[profile p]\ncredential_process = ${command}\n`);
    const run = await aws(['sts', 'get-caller-identity', '--endpoint-url', moto.endpoint, '--profile', 'p', '--region', REGION], awsEnv(config));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`cannot read --certificate file '${join(dir, 'missing.pem')}': no such file`);
  });
});

/** Starts a long-running CLI command and resolves with its first stdout line (an endpoint). */
function startCommand(args: string[]): Promise<{ child: ChildProcess; line: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve({ child, line: stdout.trim(), stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
  });
}

const sessionFlags = () => [
  '--certificate', path('cert.pem', leaf.certificatePem),
  '--private-key', path('key.pem', leaf.privateKeyPem),
  '--intermediates', path('chain.pem', leaf.chainPem),
  '--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE,
  '--endpoint', endpoint,
];

describe('the AWS CLI with credentials from serve (IMDSv2 on 127.0.0.1)', () => {
  test('aws sts get-caller-identity through AWS_EC2_METADATA_SERVICE_ENDPOINT runs as the role, on one session', async () => {
    const serve = await startCommand(['serve', '--port', '0', ...sessionFlags()]);
    try {
      expect(serve.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const env = { ...awsEnv(path('config-serve', '')), AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: serve.line };
      const sessionsBefore = (serviceStderr.match(/rolesanywhere: session /g) ?? []).length;
      for (let i = 0; i < 2; i++) {
        const run = await aws(['sts', 'get-caller-identity', '--endpoint-url', moto.endpoint, '--region', REGION, '--output', 'json'], env);
        expect(run.stderr).toBe('');
        expect(JSON.parse(run.stdout)).toMatchObject({ Account: ACCOUNT, Arn: expect.stringContaining(':assumed-role/orders-connector/') });
      }
      // Fetched once at start; both CLI calls were served from the cached session.
      expect((serviceStderr.match(/rolesanywhere: session /g) ?? []).length).toBe(sessionsBefore);
      expect(serve.stderr()).toContain(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=${serve.line}`);
    } finally {
      serve.child.kill('SIGTERM');
    }
  });

  test('requests without a token, or with an unknown one, are refused with 401 as IMDSv2 refuses them', async () => {
    const serve = await startCommand(['serve', '--port', '0', ...sessionFlags()]);
    try {
      const base = serve.line.replace(/\/$/, '');
      const noToken = await fetch(`${base}/latest/meta-data/iam/security-credentials/`);
      expect([noToken.status, await noToken.text()]).toEqual([401, 'no token provided']);
      const badToken = await fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': 'forged' } });
      expect([badToken.status, await badToken.text()]).toEqual([401, 'invalid token provided']);
      const badTtl = await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21601' } });
      expect([badTtl.status, await badTtl.text()]).toEqual([400, 'invalid token TTL']);
      const getToken = await fetch(`${base}/latest/api/token`);
      expect(getToken.status).toBe(405);

      const token = await (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
      const role = await fetch(`${base}/latest/meta-data/iam/security-credentials/`, { headers: { 'X-aws-ec2-metadata-token': token } });
      expect([role.status, await role.text()]).toEqual([200, 'orders-connector']);
      const credentials = await (await fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': token } })).json();
      expect(credentials).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: expect.stringMatching(/^ASIA/), Token: expect.any(String), Expiration: expect.stringMatching(/Z$/) });
    } finally {
      serve.child.kill('SIGTERM');
    }
  });
});

describe('the AWS CLI with credentials from the file update writes', () => {
  test('update --once writes the profile and keeps other profiles and comments; aws uses it', async () => {
    const credentialsFile = path('credentials-update', '# managed by hand\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other-secret\n\n[p]\nregion = eu-west-1\naws_access_key_id = OLD\n');
    chmodSync(credentialsFile, 0o640); // kept when rewriting
    const run = spawnSync(process.execPath, [CLI, 'update', '--once', '--profile', 'p', '--credentials-file', credentialsFile, ...sessionFlags()], { encoding: 'utf8' });
    expect(run.stderr).toMatch(new RegExp(`^updated profile 'p' in ${credentialsFile}; credentials expire at \\d{4}-`));
    expect(run.status).toBe(0);
    expect(statSync(credentialsFile).mode.toString(8).slice(-3)).toBe('640');
    const written = readFileSync(credentialsFile, 'utf8');
    expect(written).toMatch(/^# managed by hand\n\[other\]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other-secret\n\n\[p\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\nregion = eu-west-1\n$/);

    const env = { ...awsEnv(path('config-update', '')), AWS_SHARED_CREDENTIALS_FILE: credentialsFile };
    const identity = await aws(['sts', 'get-caller-identity', '--endpoint-url', moto.endpoint, '--profile', 'p', '--region', REGION, '--output', 'json'], env);
    expect(identity.stderr).toBe('');
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: ACCOUNT, Arn: expect.stringContaining(':assumed-role/orders-connector/') });
  });
});

describe('the bundled CLI', () => {
  test('--version prints the package version', () => {
    const run = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
    expect(run.stdout).toBe(`${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}\n`);
  });

  test('a certificate path that does not exist: exit 1, one line on stderr, nothing on stdout', () => {
    const run = spawnSync(process.execPath, [CLI, 'credential-process', '--certificate', join(dir, 'nope.pem'), '--private-key', join(dir, 'nope.key'),
      '--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`eventbridge-connector credential-process: cannot read --certificate file '${join(dir, 'nope.pem')}': no such file\n`);
  });

  test('rolesanywhere-service with a bad config exits 1 naming the problem', () => {
    const config = path('bad.json', JSON.stringify({ trustAnchors: [{ arn: TRUST_ANCHOR }], profiles: [] }));
    const run = spawnSync(process.execPath, [CLI, 'rolesanywhere-service', '--config', config, '--sts-endpoint', moto.endpoint], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`eventbridge-connector rolesanywhere-service: config file '${config}': trustAnchors[0] must have either certificatesPem or certificatesFile\n`);
  });

  test('rolesanywhere-service stops cleanly on SIGTERM', async () => {
    const code = await new Promise<number | null>((resolve) => {
      service.once('exit', (exitCode) => resolve(exitCode));
      service.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
