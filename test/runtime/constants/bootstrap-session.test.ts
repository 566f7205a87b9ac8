/**
 * The whole bootstrap outside AWS, on loopback services: a certificate, its key and the four
 * bootstrap values give a Roles Anywhere session (the loopback service mints it through moto's
 * STS), and the rest of the contract is read from moto's SSM with that session. moto checks
 * signatures after the set-up calls, so every read below is signed with the session's keys.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT, edit, PROFILE_ARN, REGION, ROLE_ARN, SESSION_CONTRACT, TRUST_ANCHOR_ARN } from './support/contracts';
import { putParameters, TEST_CREDENTIALS } from './support/moto-ssm';
import { BootstrapEnvironment as E, certificateId, ParameterKeys as K } from '../../../src/contract';
import { createCertificateAuthority, IssuedCertificate } from '../../../src/local/certificates';
import { startMoto, MotoServer } from '../../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../../src/local/rolesanywhere-service';
import { bootstrap, ConstantsError, loadConstants, parseConstants, ServiceError } from '../../../src/runtime';
import { ASSUME_ROLE_USER_CALLS, CONNECTOR_ROLE_CALLS, createAssumeRoleUser, createConnectorRole } from '../../support/moto-iam';

const NO_SSM_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-no-ssm`;
const OTHER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/payments-connector`;
const OTHER_FINGERPRINT = 'ab'.repeat(32);

const root = createCertificateAuthority({ commonName: 'Orders Test Root CA' });
const issuing = root.createIntermediate({ commonName: 'Orders Test Issuing CA' });
const leaf: IssuedCertificate = issuing.issue({ commonName: 'orders-app' });

const ORDERS = edit(SESSION_CONTRACT, { [K.CLIENT_CERTIFICATE_ID]: certificateId(leaf.certificatePem) });
const CONTRACTS: Record<string, Record<string, string>> = {
  '/eventbridge-connector/orders': ORDERS,
  '/eventbridge-connector/drifted': edit(ORDERS, { [K.ROLE_ARN]: OTHER_ROLE_ARN }),
  '/eventbridge-connector/other-certificate': edit(ORDERS, { [K.CLIENT_CERTIFICATE_ID]: OTHER_FINGERPRINT }),
};
const PARAMETER_COUNT = Object.values(CONTRACTS).reduce((n, c) => n + Object.keys(c).length, 0);

let moto: MotoServer;
let rolesAnywhere: RolesAnywhereService;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS + 2 * CONNECTOR_ROLE_CALLS + PARAMETER_COUNT });
  const servicePrincipal = await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service');
  const servicePrincipalArn = `arn:aws:iam::${ACCOUNT}:user/rolesanywhere-service`;
  await createConnectorRole(moto.endpoint, 'orders-connector', servicePrincipalArn, ['ssm:GetParametersByPath', 'sts:GetCallerIdentity']);
  await createConnectorRole(moto.endpoint, 'orders-no-ssm', servicePrincipalArn, ['sts:GetCallerIdentity']);
  const ssm = new SSMClient({ endpoint: moto.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  for (const [path, contract] of Object.entries(CONTRACTS)) await putParameters(ssm, path, contract);
  ssm.destroy();

  rolesAnywhere = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: servicePrincipal,
    trustAnchors: [{ arn: TRUST_ANCHOR_ARN, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE_ARN, roleArns: [ROLE_ARN, NO_SSM_ROLE_ARN] }],
  });

  dir = mkdtempSync(join(tmpdir(), 'bootstrap-session-'));
  writeFileSync(join(dir, 'client.pem'), leaf.certificatePem);
  writeFileSync(join(dir, 'client.key'), leaf.privateKeyPem);
  writeFileSync(join(dir, 'chain.pem'), leaf.chainPem);
  env = {
    [E.REGION]: REGION,
    [E.TRUST_ANCHOR_ARN]: TRUST_ANCHOR_ARN,
    [E.PROFILE_ARN]: PROFILE_ARN,
    [E.ROLE_ARN]: ROLE_ARN,
    [E.PARAMETER_PATH]: '/eventbridge-connector/orders',
    [E.CERTIFICATE]: join(dir, 'client.pem'),
    [E.PRIVATE_KEY]: join(dir, 'client.key'),
    [E.INTERMEDIATES]: join(dir, 'chain.pem'),
  };
});

afterAll(async () => {
  await rolesAnywhere?.stop();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function endpoints() {
  return { ssm: moto.endpoint, rolesAnywhere: rolesAnywhere.endpoint };
}

describe('bootstrap outside AWS', () => {
  test('from environment variables: one session reads the constants and is the credentials returned', async () => {
    const before = rolesAnywhere.sessionsCreated;
    const { constants, credentials } = await bootstrap({ env, endpoints: endpoints() });

    expect(constants).toEqual(parseConstants(ORDERS, { path: '/eventbridge-connector/orders' }));
    const session = await credentials();
    expect(session.sessionToken).toEqual(expect.any(String));
    expect(session.expiration).toBeInstanceOf(Date);

    const sts = new STSClient({ endpoint: moto.endpoint, region: REGION, credentials });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/orders-connector/`));
    // The session that read the contract is the one handed back: no second CreateSession.
    expect(rolesAnywhere.sessionsCreated).toBe(before + 1);
  });

  test('moto really checks the signatures: keys it does not know are refused', async () => {
    const error = await loadConstants({ path: '/eventbridge-connector/orders', region: REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('AccessDenied');
  });

  test('from a bootstrap file whose key files are relative to it', async () => {
    const file = join(dir, 'bootstrap.json');
    writeFileSync(file, JSON.stringify({
      region: REGION,
      trustAnchorArn: TRUST_ANCHOR_ARN,
      profileArn: PROFILE_ARN,
      roleArn: ROLE_ARN,
      parameterPath: '/eventbridge-connector/orders',
      certificate: 'client.pem',
      privateKey: 'client.key',
      intermediates: 'chain.pem',
    }));
    const { constants } = await bootstrap({ env: { [E.BOOTSTRAP_FILE]: file }, endpoints: endpoints() });
    expect(constants.session?.clientCertificateId).toBe(certificateId(leaf.certificatePem));
  });

  test('a role without ssm:GetParametersByPath: the error names the path and the permission', async () => {
    const error = await bootstrap({ env: { ...env, [E.ROLE_ARN]: NO_SSM_ROLE_ARN }, endpoints: endpoints() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('AccessDenied');
    expect((error as Error).message).toContain(
      'access denied reading the connector constants at /eventbridge-connector/orders: the principal needs ssm:GetParametersByPath on arn:aws:ssm:us-east-1:<account>:parameter/eventbridge-connector/orders');
  });

  test('constants that disagree with the bootstrap values are refused', async () => {
    const error = await bootstrap({ env: { ...env, [E.PARAMETER_PATH]: '/eventbridge-connector/drifted' }, endpoints: endpoints() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as Error).message).toBe(
      `invalid RoleARN '${OTHER_ROLE_ARN}' at /eventbridge-connector/drifted/RoleARN: expected '${ROLE_ARN}' as ${E.ROLE_ARN} says`);
  });

  test('a contract bound to another certificate is refused', async () => {
    const error = await bootstrap({ env: { ...env, [E.PARAMETER_PATH]: '/eventbridge-connector/other-certificate' }, endpoints: endpoints() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).key).toBe(K.CLIENT_CERTIFICATE_ID);
    expect((error as Error).message).toContain(`invalid AWS_ClientCertificateID '${OTHER_FINGERPRINT}'`);
    expect((error as Error).message).toContain(`which is ${certificateId(leaf.certificatePem)}`);
  });
});
