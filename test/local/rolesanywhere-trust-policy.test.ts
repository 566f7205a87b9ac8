/**
 * The loopback Roles Anywhere service evaluates the role's trust policy, read from IAM (moto),
 * as AWS does before it assumes the role: a role that trusts another trust anchor, another
 * principal, too few actions or other certificates is refused with AccessDeniedException.
 */
import { ACCOUNT, profileArn, roleArn, trustAnchorArn } from './support/arns';
import { createCertificateAuthority } from '../../src/local/certificates';
import { iamQuery } from '../../src/local/iam-role-lookup';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { fromRolesAnywhere } from '../../src/runtime/credentials';

const TRUST_ANCHOR = trustAnchorArn();
const OTHER_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'moto-does-not-check-these-here' };
const root = createCertificateAuthority({ commonName: 'Trust Root CA' });
const leaf = root.issue({ commonName: 'orders-app' });
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

/** A trust policy as the construct writes it, with parts swapped per test. */
function trust(overrides: { principal?: unknown; actions?: string[]; condition?: unknown } = {}) {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: overrides.principal ?? { Service: 'rolesanywhere.amazonaws.com' },
      Action: overrides.actions ?? ACTIONS,
      Condition: overrides.condition ?? { ArnEquals: { 'aws:SourceArn': TRUST_ANCHOR } },
    }],
  };
}

const ROLES: Record<string, unknown> = {
  'trusts-this-anchor': trust(),
  'trusts-another-anchor': trust({ condition: { ArnEquals: { 'aws:SourceArn': OTHER_ANCHOR } } }),
  'trusts-another-principal': trust({ principal: { Service: 'ec2.amazonaws.com' } }),
  'lacks-tag-session': trust({ actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }),
  'wants-subject-cn': trust({ condition: { ArnEquals: { 'aws:SourceArn': TRUST_ANCHOR }, StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'orders-app' } } }),
  'wants-other-cn': trust({ condition: { ArnEquals: { 'aws:SourceArn': TRUST_ANCHOR }, StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'billing-app' } } }),
  'wants-issuer-and-account': trust({ condition: { StringLike: { 'aws:PrincipalTag/x509Issuer/CN': 'Trust * CA' }, StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
  'denies-this-anchor': { Version: '2012-10-17', Statement: [trust({ actions: ['sts:*'] }).Statement[0], { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:SourceArn': `${TRUST_ANCHOR.split('/')[0]}/*` } } }] },
};

let moto: MotoServer;
let service: RolesAnywhereService;
const warnings: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  for (const [name, policy] of Object.entries(ROLES)) {
    const created = await iamQuery(moto.endpoint, KEYS, { Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: JSON.stringify(policy) });
    if (created.status !== 200) throw new Error(`CreateRole ${name}: ${created.text}`);
  }
  service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [...Object.keys(ROLES), 'not-in-iam'].map(roleArn) }],
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
});

afterAll(async () => {
  await service?.stop();
  await moto?.stop();
});

const session = (role: string) => fromRolesAnywhere({
  certificate: leaf.certificatePem,
  privateKey: leaf.privateKeyPem,
  trustAnchorArn: TRUST_ANCHOR,
  profileArn: PROFILE,
  roleArn: roleArn(role),
  endpoint: service.endpoint,
})();

describe('roles whose trust policy lets Roles Anywhere in', () => {
  test.each(['trusts-this-anchor', 'wants-subject-cn', 'wants-issuer-and-account'])('%s: the session is created', async (role) => {
    await expect(session(role)).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
  });
});

describe('roles whose trust policy keeps this session out: AccessDeniedException', () => {
  test('a role that trusts another trust anchor (aws:SourceArn)', async () => {
    await expect(session('trusts-another-anchor')).rejects.toMatchObject({
      code: 'AccessDeniedException',
      statusCode: 403,
      message: expect.stringContaining(`Unable to assume role for ${roleArn('trusts-another-anchor')}: the role's trust policy allows sts:AssumeRole only under conditions this request does not meet: ArnEquals aws:SourceArn "${OTHER_ANCHOR}" does not hold for '${TRUST_ANCHOR}'`),
    });
  });

  test.each([
    ['trusts-another-principal', 'does not allow rolesanywhere.amazonaws.com to perform sts:AssumeRole'],
    ['lacks-tag-session', 'does not allow rolesanywhere.amazonaws.com to perform sts:TagSession'],
    ['wants-other-cn', 'StringEquals aws:PrincipalTag/x509Subject/CN "billing-app" does not hold for \'orders-app\''],
    ['denies-this-anchor', 'denies rolesanywhere.amazonaws.com sts:AssumeRole'],
  ])('%s', async (role, reason) => {
    await expect(session(role)).rejects.toMatchObject({ code: 'AccessDeniedException', message: expect.stringContaining(reason) });
  });

  test('a role IAM does not have is let through with one warning that says the policy was not evaluated', async () => {
    await session('not-in-iam');
    await session('not-in-iam');
    expect(warnings.filter((w) => w.includes('not-in-iam'))).toEqual([
      `rolesanywhere: the trust policy of '${roleArn('not-in-iam')}' was not evaluated (role '${roleArn('not-in-iam')}' is not in IAM); AWS would evaluate it`,
    ]);
  });
});
