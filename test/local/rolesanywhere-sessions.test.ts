import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT, profileArn, REGION, roleArn, trustAnchorArn } from './support/arns';
import { requestSession, SessionRequest } from './support/create-session-request';
import { createCertificateAuthority, IssuedCertificate } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { serialNumberDecimal } from '../../src/runtime/credentials/x509-signature';
import { ASSUME_ROLE_USER_CALLS, createAssumeRoleUser } from '../support/moto-iam';

const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const NAMING_PROFILE = profileArn();
const ROLE = roleArn('orders-connector');

const root = createCertificateAuthority({ commonName: 'Sessions Root CA', keyType: 'rsa' });
const issuing = root.createIntermediate({ commonName: 'Sessions Issuing CA' });

let moto: MotoServer;
let service: RolesAnywhereService;

beforeAll(async () => {
  // Moto checks every signature after the set-up calls: the service's AssumeRole is signed with
  // the user's keys and the minted credentials must sign GetCallerIdentity.
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS });
  const stsCredentials = await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service');
  service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials,
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [
      { arn: PROFILE, roleArns: [ROLE], durationSeconds: 3600 },
      { arn: NAMING_PROFILE, roleArns: [ROLE], acceptRoleSessionName: true },
    ],
  });
});

afterAll(async () => {
  await service?.stop();
  await moto?.stop();
});

function sessionFor(leaf: IssuedCertificate, extra: Partial<SessionRequest> = {}) {
  return requestSession({
    endpoint: service.endpoint,
    certificate: leaf.certificate,
    privateKey: leaf.privateKey,
    intermediates: leaf.chainPem ? [issuing.certificate] : [],
    trustAnchorArn: TRUST_ANCHOR,
    profileArn: PROFILE,
    roleArn: ROLE,
    ...extra,
  });
}

async function callerArn(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): Promise<string | undefined> {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const sts = new STSClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId, secretAccessKey, sessionToken } });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
}

describe('CreateSession with a certificate the trust anchor vouches for', () => {
  test.each([
    ['an RSA leaf issued by the root', () => root.issue({ commonName: 'rsa-workload', keyType: 'rsa' })],
    ['an EC leaf issued by the root', () => root.issue({ commonName: 'ec-workload', keyType: 'ec' })],
    ['an RSA leaf issued by an intermediate', () => issuing.issue({ commonName: 'rsa-workload', keyType: 'rsa' })],
    ['an EC leaf issued by an intermediate', () => issuing.issue({ commonName: 'ec-workload', curve: 'P-384' })],
  ])('%s gets session credentials that moto accepts', async (_, issue) => {
    const leaf = issue();
    const response = await sessionFor(leaf);

    expect(response.status).toBe(201);
    const [set] = response.body.credentialSet;
    const sessionName = leaf.certificate.serialNumber.toLowerCase();
    expect(set).toEqual({
      assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/${sessionName}`, assumedRoleId: expect.stringMatching(new RegExp(`:${sessionName}$`)) },
      credentials: {
        accessKeyId: expect.stringMatching(/^ASIA/),
        secretAccessKey: expect.any(String),
        sessionToken: expect.any(String),
        expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
      packedPolicySize: expect.any(Number),
      roleArn: ROLE,
      sourceIdentity: leaf.certificate.subject.slice(3),
    });
    expect(response.body.subjectArn).toMatch(new RegExp(`^arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:subject/[0-9a-f-]{36}$`));
    await expect(callerArn(set.credentials)).resolves.toBe(set.assumedRoleUser.arn);
  });

  test('moto checks signatures here, so a changed secret key is refused', async () => {
    const response = await sessionFor(root.issue({ commonName: 'workload' }));
    const credentials = { ...response.body.credentialSet[0].credentials, secretAccessKey: 'not-the-secret' };
    await expect(callerArn(credentials)).rejects.toThrow(/signature/i);
  });

  test('the ARNs may travel in the JSON body instead of the query string', async () => {
    const response = await sessionFor(root.issue({ commonName: 'workload' }), { arnsIn: 'body' });
    expect(response.status).toBe(201);
    expect(response.body.credentialSet[0].roleArn).toBe(ROLE);
  });

  test('the session lasts the shorter of the requested duration and the profile\'s', async () => {
    const leaf = root.issue({ commonName: 'workload' });
    const lifetime = async (durationSeconds?: number) => {
      const before = Date.now();
      const response = await sessionFor(leaf, { durationSeconds });
      return (Date.parse(response.body.credentialSet[0].credentials.expiration) - before) / 1000;
    };
    // Moto stamps expiration from its own clock: allow a minute either way.
    expect(Math.abs((await lifetime(900)) - 900)).toBeLessThan(60);
    expect(Math.abs((await lifetime(7200)) - 3600)).toBeLessThan(60); // the profile allows 3600
    expect(Math.abs((await lifetime(undefined)) - 3600)).toBeLessThan(60);
  });

  test('a profile that accepts role session names names the session as asked', async () => {
    const response = await sessionFor(root.issue({ commonName: 'workload' }), { profileArn: NAMING_PROFILE, roleSessionName: 'orders-worker-1' });
    expect(response.status).toBe(201);
    const [set] = response.body.credentialSet;
    expect(set.assumedRoleUser.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/orders-worker-1`);
    await expect(callerArn(set.credentials)).resolves.toBe(set.assumedRoleUser.arn);
  });

  test('a request signed four minutes ago is still within the allowed clock skew', async () => {
    const response = await sessionFor(root.issue({ commonName: 'workload' }), { date: new Date(Date.now() - 4 * 60_000) });
    expect(response.status).toBe(201);
  });

  test('sessionsCreated counts sessions handed out, not refusals', async () => {
    const leaf = root.issue({ commonName: 'workload' });
    const before = service.sessionsCreated;
    expect((await sessionFor(leaf)).status).toBe(201);
    expect((await sessionFor(leaf, { durationSeconds: 60 })).status).toBe(400);
    expect(service.sessionsCreated).toBe(before + 1);
  });

  test('the credential in the Authorization header is the certificate serial in decimal', async () => {
    const leaf = root.issue({ commonName: 'workload', serialNumber: 0xabcdefn });
    let authorization = '';
    const response = await sessionFor(leaf, { sendHeaders: (h) => ((authorization = h.Authorization), h) });
    expect(response.status).toBe(201);
    expect(serialNumberDecimal(leaf.certificate)).toBe('11259375');
    expect(authorization).toMatch(/Credential=11259375\//);
  });
});

describe('when STS refuses the service', () => {
  test('the caller gets AccessDeniedException naming the role and what STS said', async () => {
    const impostor = await startRolesAnywhereService({
      stsEndpoint: moto.endpoint,
      stsCredentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-a-key-moto-knows' },
      trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
      profiles: [{ arn: PROFILE, roleArns: [ROLE] }],
    });
    try {
      const leaf = root.issue({ commonName: 'workload' });
      const response = await sessionFor(leaf, { endpoint: impostor.endpoint });
      expect(response.status).toBe(403);
      expect(response.errorType).toBe('AccessDeniedException');
      expect(response.body.message).toMatch(new RegExp(`^sts:AssumeRole of role '${ROLE}' was refused: InvalidClientTokenId`));
      expect(impostor.sessionsCreated).toBe(0);
    } finally {
      await impostor.stop();
    }
  });
});
