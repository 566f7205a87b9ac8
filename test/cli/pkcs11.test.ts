/**
 * Keys inside a PKCS#11 token: SoftHSM2 (Debian `softhsm2`) holds an RSA and an EC key and
 * their certificates; sessions signed inside the token are accepted by the loopback Roles
 * Anywhere service and minted on moto.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { verify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, IssuedCertificate } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { readAsn1 } from '../../src/runtime/credentials/der';
import { parsePkcs11Uri } from '../../src/runtime/credentials/pkcs11-uri';
import { profileArn, roleArn, trustAnchorArn } from '../local/support/arns';
import { ensureBundles } from '../support/bundles';
import { ASSUME_ROLE_USER_CALLS, createAssumeRoleUser } from '../support/moto-iam';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '1234';
const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const ROLE = roleArn('orders-connector');
const root = createCertificateAuthority({ commonName: 'Token Root CA' });
const rsa = root.issue({ commonName: 'token-rsa', keyType: 'rsa' });
const ec = root.issue({ commonName: 'token-ec', keyType: 'ec', curve: 'P-384' });
const dir = mkdtempSync(join(tmpdir(), 'softhsm-'));

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'lib', 'cli.js');
// SoftHSM2 reads SOFTHSM2_CONF from the real environment, which jest's process.env does not
// reach: everything that opens the token runs in a child process with this environment.
const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'softhsm2.conf') };

/** Imports a key pair with softhsm2-util and writes its certificate as an object beside it (with pkcs11js). */
function importIdentity(label: string, id: string, issued: IssuedCertificate): void {
  const keyFile = join(dir, `${label}.pem`);
  writeFileSync(keyFile, issued.privateKeyPem);
  execFileSync('softhsm2-util', ['--import', keyFile, '--token', 'connector', '--label', label, '--id', id, '--pin', PIN], { env, stdio: 'pipe' });
  const script = `
    const p = require('pkcs11js'); const m = new p.PKCS11(); m.load(${JSON.stringify(MODULE)}); m.C_Initialize();
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === 'connector');
    const session = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    m.C_Login(session, p.CKU_USER, ${JSON.stringify(PIN)});
    m.C_CreateObject(session, [
      { type: p.CKA_CLASS, value: p.CKO_CERTIFICATE }, { type: p.CKA_CERTIFICATE_TYPE, value: p.CKC_X_509 },
      { type: p.CKA_TOKEN, value: true }, { type: p.CKA_LABEL, value: ${JSON.stringify(label)} },
      { type: p.CKA_ID, value: Buffer.from(${JSON.stringify(id)}, 'hex') },
      { type: p.CKA_VALUE, value: Buffer.from(${JSON.stringify(issued.certificate.raw.toString('base64'))}, 'base64') },
      { type: p.CKA_SUBJECT, value: Buffer.from(${JSON.stringify(readAsn1(issued.certificate.raw).children[0].children[5].raw.toString('base64'))}, 'base64') },
    ]);
    m.C_CloseSession(session); m.C_Finalize();`;
  execFileSync(process.execPath, ['-e', script], { env, cwd: REPO, stdio: 'pipe' });
}

/** Runs the bundled CLI without blocking: the loopback service answers from this process. */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let moto: MotoServer;
let service: RolesAnywhereService;

beforeAll(async () => {
  if (!existsSync(MODULE)) throw new Error(`SoftHSM2 is not installed (${MODULE}): run apt-get install -y softhsm2 (build-tools/ensure-softhsm.sh)`);
  mkdirSync(join(dir, 'tokens'));
  writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\n`);
  ensureBundles();
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'connector', '--pin', PIN, '--so-pin', '5678'], { env, stdio: 'pipe' });
  importIdentity('rsa-key', '01', rsa);
  importIdentity('ec-key', '02', ec);
  writeFileSync(join(dir, 'rsa-cert.pem'), rsa.certificatePem);
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS });
  service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service'),
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE] }],
  });
});

afterAll(async () => {
  await service?.stop();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sessionFlags = () => ['--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', service.endpoint, '--pkcs11-lib', MODULE];

describe('sessions signed inside a SoftHSM2 token', () => {
  test.each([
    ['RSA', 'rsa-key'],
    ['EC (P-384)', 'ec-key'],
  ])('%s: certificate and key named by one pkcs11: URI; the loopback service accepts the session', async (_, label) => {
    const before = service.sessionsCreated;
    const run = await cli(['credential-process', '--certificate', `pkcs11:token=connector;object=${label}?pin-value=${PIN}`, ...sessionFlags()]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(service.sessionsCreated).toBe(before + 1);
  });

  test('a certificate file with the key in the token (by CKA_ID), the PIN from the environment', async () => {
    const run = await cli(['credential-process', '--certificate', join(dir, 'rsa-cert.pem'), '--private-key', 'pkcs11:token=connector;id=%01;type=private', ...sessionFlags()], { EVENTBRIDGE_CONNECTOR_PKCS11_PIN: PIN });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('a token key that is not the certificate\'s is refused locally', async () => {
    const run = await cli(['credential-process', '--certificate', join(dir, 'rsa-cert.pem'), '--private-key', 'pkcs11:token=connector;object=ec-key', ...sessionFlags()], { EVENTBRIDGE_CONNECTOR_PKCS11_PIN: PIN });
    expect(run.stderr).toMatch(/does not match certificate 'CN=token-rsa'/);
    expect(run.status).toBe(1);
  });

  test('sign-string and read-certificate-data work on the token', async () => {
    const signed = spawnSync(process.execPath, [CLI, 'sign-string', '--certificate', 'pkcs11:token=connector;object=ec-key', '--private-key', 'pkcs11:token=connector;object=ec-key', '--pkcs11-lib', MODULE, '--format', 'text'],
      { env: { ...env, EVENTBRIDGE_CONNECTOR_PKCS11_PIN: PIN }, input: 'to sign', encoding: 'utf8' });
    expect(signed.stderr).toBe('');
    expect(verify('sha256', Buffer.from('to sign'), { key: ec.certificate.publicKey, dsaEncoding: 'der' }, Buffer.from(signed.stdout, 'hex'))).toBe(true);
    const read = await cli(['read-certificate-data', '--certificate', 'pkcs11:token=connector;object=rsa-key', '--pkcs11-lib', MODULE], { EVENTBRIDGE_CONNECTOR_PKCS11_PIN: PIN });
    expect(read.stdout).toMatch(/^Matching identities\n1\) [0-9a-f]{40} "CN=token-rsa"\n\tURI: pkcs11:token=connector;object=rsa-key\n$/);
  });

  test('sign-string of empty input signs the empty string with RSA and EC token keys, as the AWS helper does (not CKR_ARGUMENTS_BAD)', () => {
    for (const [label, issued, digest] of [['rsa-key', rsa, 'SHA256'], ['rsa-key', rsa, 'SHA512'], ['ec-key', ec, 'SHA384']] as const) {
      const uri = `pkcs11:token=connector;object=${label}`;
      const signed = spawnSync(process.execPath, [CLI, 'sign-string', '--certificate', uri, '--private-key', uri, '--pkcs11-lib', MODULE, '--format', 'text', '--digest', digest],
        { env: { ...env, EVENTBRIDGE_CONNECTOR_PKCS11_PIN: PIN }, input: '', encoding: 'utf8' });
      expect([label, digest, signed.stderr, signed.status]).toEqual([label, digest, '', 0]);
      const signature = Buffer.from(signed.stdout, 'hex');
      expect([label, digest, verify(digest.toLowerCase(), Buffer.alloc(0), { key: issued.certificate.publicKey, dsaEncoding: 'der' }, signature)]).toEqual([label, digest, true]);
    }
  });

  test('no PIN names where to give it; a wrong PIN says the login failed; no module names the flag', async () => {
    const uri = 'pkcs11:token=connector;object=rsa-key';
    expect((await cli(['credential-process', '--certificate', uri, ...sessionFlags()])).stderr)
      .toBe("eventbridge-connector credential-process: PKCS#11 token 'connector' needs its user PIN: expected pin-value in the pkcs11: URI or EVENTBRIDGE_CONNECTOR_PKCS11_PIN\n");
    expect((await cli(['credential-process', '--certificate', uri, ...sessionFlags()], { EVENTBRIDGE_CONNECTOR_PKCS11_PIN: '0000' })).stderr)
      .toMatch(/^eventbridge-connector credential-process: PKCS#11 login to token 'connector' failed \(.*CKR_PIN_INCORRECT.*\): expected its user PIN\n$/);
    const noModule = sessionFlags().slice(0, -2);
    expect((await cli(['credential-process', '--certificate', uri, ...noModule])).stderr)
      .toBe('eventbridge-connector credential-process: missing the PKCS#11 module: expected --pkcs11-lib or module-path in the pkcs11: URI (such as /usr/lib/softhsm/libsofthsm2.so)\n');
  });
});

describe('pkcs11: URIs (RFC 7512)', () => {
  test('path and query attributes, percent-decoded', () => {
    expect(parsePkcs11Uri('pkcs11:token=My%20Token;object=app;id=%01%a2;type=private?pin-value=12%3B4&module-path=/usr/lib/x.so', 'certificate')).toEqual({
      token: 'My Token',
      object: 'app',
      id: Buffer.from([1, 0xa2]),
      type: 'private',
      pinValue: '12;4',
      modulePath: '/usr/lib/x.so',
      manufacturer: undefined,
      serial: undefined,
      model: undefined,
      slotId: undefined,
    });
  });

  test('unknown attributes, repeats and bad escapes are refused naming them', () => {
    expect(() => parsePkcs11Uri('pkcs11:tokn=x', 'certificate')).toThrow("invalid certificate 'pkcs11:tokn=x': unknown path attribute 'tokn'");
    expect(() => parsePkcs11Uri('pkcs11:token=a;token=b', 'certificate')).toThrow("attribute 'token' given twice");
    expect(() => parsePkcs11Uri('pkcs11:object=%zz', 'certificate')).toThrow('invalid object in PKCS#11 URI');
    expect(() => parsePkcs11Uri('pkcs11:object=a?pin-source=/etc/pin', 'certificate')).toThrow('pin-source in certificate');
  });
});
