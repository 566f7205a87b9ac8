import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { profileArn, roleArn, trustAnchorArn } from './support/arns';
import { requestSession, SessionRequest } from './support/create-session-request';
import { createCertificateAuthority, IssuedCertificate } from '../../src/local/certificates';
import { freePort } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';

// Every refusal happens before the service calls STS: it points at a port nobody listens on, so
// a request that got through would answer 500 instead of the refusal under test.
const TRUST_ANCHOR = trustAnchorArn();
const DISABLED_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const DISABLED_PROFILE = profileArn();
const ROLE = roleArn('orders-connector');

const root = createCertificateAuthority({ commonName: 'Refusals Root CA', keyType: 'rsa' });
const issuing = root.createIntermediate({ commonName: 'Refusals Issuing CA' });
const stranger = createCertificateAuthority({ commonName: 'Refusals Root CA' }); // same name, other key
const rsaLeaf = root.issue({ commonName: 'workload', keyType: 'rsa' });
const ecLeaf = root.issue({ commonName: 'workload' });

let service: RolesAnywhereService;

beforeAll(async () => {
  service = await startRolesAnywhereService({
    stsEndpoint: `http://127.0.0.1:${await freePort()}`,
    trustAnchors: [
      { arn: TRUST_ANCHOR, certificatesPem: root.certificatePem },
      { arn: DISABLED_ANCHOR, certificatesPem: root.certificatePem, enabled: false },
    ],
    profiles: [
      { arn: PROFILE, roleArns: [ROLE] },
      { arn: DISABLED_PROFILE, roleArns: [ROLE], enabled: false },
    ],
  });
});

afterAll(() => service?.stop());

function sessionFor(leaf: IssuedCertificate, extra: Partial<SessionRequest> = {}) {
  return requestSession({
    endpoint: service.endpoint,
    certificate: leaf.certificate,
    privateKey: leaf.privateKey,
    trustAnchorArn: TRUST_ANCHOR,
    profileArn: PROFILE,
    roleArn: ROLE,
    ...extra,
  });
}

async function expectRefusal(pending: ReturnType<typeof requestSession>, status: number, errorType: string, message: RegExp | string) {
  const response = await pending;
  expect({ status: response.status, errorType: response.errorType }).toEqual({ status, errorType });
  expect(Object.keys(response.body)).toEqual(['message']);
  expect(response.body.message).toMatch(message);
}

describe('authentication: AccessDeniedException (403)', () => {
  test('a request signed with a key other than the certificate\'s', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expectRefusal(sessionFor(ecLeaf, { privateKey: otherKey }), 403, 'AccessDeniedException',
      /^signature does not match: the request was not signed with the private key of certificate 'CN=workload'/);
  });

  test('a body changed after signing', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { durationSeconds: 900, sendBody: (body) => body.replace('900', '3600') }),
      403, 'AccessDeniedException', /^signature does not match/);
  });

  test('a query string changed after signing', async () => {
    const other = roleArn('billing-connector');
    await expectRefusal(
      sessionFor(rsaLeaf, { sendQuery: (q) => ({ ...q, roleArn: other }) }),
      403, 'AccessDeniedException', /^signature does not match/);
  });

  test('a Host header changed after signing', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { sendHeaders: (h) => ({ ...h, Host: h.Host.replace('127.0.0.1', 'localhost') }) }),
      403, 'AccessDeniedException', /^signature does not match/);
  });

  test('a request signed more than 5 minutes before the service\'s clock', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { date: new Date(Date.now() - 6 * 60_000) }), 403, 'AccessDeniedException',
      /is more than 5 minutes from the service time .*: check the client's clock$/);
  });

  test('a request signed more than 5 minutes after the service\'s clock', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { date: new Date(Date.now() + 6 * 60_000) }), 403, 'AccessDeniedException',
      /is more than 5 minutes from the service time/);
  });

  test('an algorithm that does not fit the certificate\'s key', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { sendHeaders: (h) => ({ ...h, Authorization: h.Authorization.replace('AWS4-X509-RSA-SHA256', 'AWS4-X509-ECDSA-SHA256') }) }),
      403, 'AccessDeniedException', /^signing algorithm AWS4-X509-ECDSA-SHA256 does not fit the rsa key of certificate 'CN=workload'.*: expected AWS4-X509-RSA-SHA256$/);
  });

  test('a credential that is not the certificate\'s serial', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { sendHeaders: (h) => ({ ...h, Authorization: h.Authorization.replace(/Credential=\d+/, 'Credential=42') }) }),
      403, 'AccessDeniedException', /^credential serial 42 is not the serial of certificate 'CN=workload'/);
  });

  test('a certificate header the signature does not cover', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { sendHeaders: (h) => ({ ...h, Authorization: h.Authorization.replace(';x-amz-x509,', ',').replace(/;x-amz-x509(?=[,;])/, '') }) }),
      403, 'AccessDeniedException', /^header\(s\) x-amz-x509 not signed/);
  });

  test('no Authorization header at all', async () => {
    await expectRefusal(
      sessionFor(rsaLeaf, { sendHeaders: ({ Authorization: _, ...rest }) => rest }),
      403, 'AccessDeniedException', /^missing Authorization header: expected AWS4-X509-RSA-SHA256, AWS4-X509-ECDSA-SHA256 or AWS4-X509-MLDSA/);
  });
});

describe('the certificate chain: AccessDeniedException (403)', () => {
  test('an expired certificate', async () => {
    const expired = root.issue({ commonName: 'expired', notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await expectRefusal(sessionFor(expired), 403, 'AccessDeniedException', /^certificate 'CN=expired' .* expired at /);
  });

  test('a certificate not valid yet', async () => {
    const early = root.issue({ commonName: 'early', notBefore: new Date(Date.now() + 86_400_000) });
    await expectRefusal(sessionFor(early), 403, 'AccessDeniedException', /^certificate 'CN=early' .* is not valid before /);
  });

  test('a certificate from a CA the trust anchor does not hold', async () => {
    await expectRefusal(sessionFor(stranger.issue({ commonName: 'stranger' })), 403, 'AccessDeniedException',
      new RegExp(`^untrusted signing certificate 'CN=stranger' .*: no chain .* to a CA certificate of the trust anchor \\(trust anchor '${TRUST_ANCHOR}'\\)$`));
  });

  test('a certificate whose intermediate CA is not sent', async () => {
    const leaf = issuing.issue({ commonName: 'orphan' });
    await expectRefusal(sessionFor(leaf, { intermediates: [] }), 403, 'AccessDeniedException', /^untrusted signing certificate 'CN=orphan'/);
    expect((await sessionFor(leaf, { intermediates: [issuing.certificate], roleArn: roleArn('not-in-profile') })).body.message).toMatch(/is not in profile/);
  });

  test('a CA certificate used as the signing certificate', async () => {
    await expectRefusal(sessionFor(issuing, { intermediates: [] }), 403, 'AccessDeniedException',
      /^certificate 'CN=Refusals Issuing CA' .* is a CA certificate: expected an end-entity certificate/);
  });

  test('a chain longer than a CA\'s path length allows', async () => {
    const strict = createCertificateAuthority({ commonName: 'Strict Root', pathLength: 0 });
    const tooDeep = strict.createIntermediate({ commonName: 'Too Deep CA' });
    const anchor = trustAnchorArn();
    service.addTrustAnchor({ arn: anchor, certificatesPem: strict.certificatePem });
    await expectRefusal(
      sessionFor(tooDeep.issue({ commonName: 'deep' }), { trustAnchorArn: anchor, intermediates: [tooDeep.certificate] }),
      403, 'AccessDeniedException', /^CA certificate 'CN=Strict Root' .* allows 0 intermediate CA\(s\) below it, the chain has 1/);
  });

  test('a certificate the service\'s clock finds expired', async () => {
    const later = new Date(Date.now() + 2 * 365 * 86_400_000);
    const future = await startRolesAnywhereService({
      stsEndpoint: 'http://127.0.0.1:9',
      clock: () => later,
      trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
      profiles: [{ arn: PROFILE, roleArns: [ROLE] }],
    });
    try {
      await expectRefusal(sessionFor(rsaLeaf, { endpoint: future.endpoint, date: later }), 403, 'AccessDeniedException', /^certificate 'CN=workload' .* expired at /);
    } finally {
      await future.stop();
    }
  });
});

describe('trust anchors, profiles and roles', () => {
  test('an unknown trust anchor: ResourceNotFoundException (404)', async () => {
    const unknown = trustAnchorArn();
    await expectRefusal(sessionFor(rsaLeaf, { trustAnchorArn: unknown }), 404, 'ResourceNotFoundException', `trust anchor '${unknown}' not found`);
  });

  test('an unknown profile: ResourceNotFoundException (404)', async () => {
    const unknown = profileArn();
    await expectRefusal(sessionFor(rsaLeaf, { profileArn: unknown }), 404, 'ResourceNotFoundException', `profile '${unknown}' not found`);
  });

  test('a role the profile does not list: AccessDeniedException (403)', async () => {
    const other = roleArn('billing-connector');
    await expectRefusal(sessionFor(rsaLeaf, { roleArn: other }), 403, 'AccessDeniedException',
      `role '${other}' is not in profile '${PROFILE}': expected one of ${ROLE}`);
  });

  test('a disabled trust anchor: AccessDeniedException (403)', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { trustAnchorArn: DISABLED_ANCHOR }), 403, 'AccessDeniedException', `trust anchor '${DISABLED_ANCHOR}' is disabled`);
  });

  test('a disabled profile: AccessDeniedException (403)', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { profileArn: DISABLED_PROFILE }), 403, 'AccessDeniedException', `profile '${DISABLED_PROFILE}' is disabled`);
  });

  test('a role session name the profile does not accept: AccessDeniedException (403)', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { roleSessionName: 'worker-1' }), 403, 'AccessDeniedException',
      `not authorized to set roleSessionName 'worker-1': profile '${PROFILE}' does not accept role session names (acceptRoleSessionName is false)`);
  });

  test('a request signed for another region than the trust anchor\'s: AccessDeniedException (403)', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { region: 'us-east-1' }), 403, 'AccessDeniedException',
      `credential scope region 'us-east-1' is not the region of trust anchor '${TRUST_ANCHOR}': expected 'eu-west-1'`);
  });
});

describe('input: ValidationException (400)', () => {
  test.each([600, 43201, 1800.5])('durationSeconds %s', async (durationSeconds) => {
    await expectRefusal(sessionFor(rsaLeaf, { durationSeconds }), 400, 'ValidationException',
      `invalid durationSeconds ${durationSeconds}: expected an integer from 900 to 43200`);
  });

  test('a role session name with characters STS refuses', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { roleSessionName: 'has space' }), 400, 'ValidationException',
      'invalid roleSessionName "has space": expected 2 to 64 characters of letters, digits and _+=,.@-');
  });

  test('a malformed ARN', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/nope' }), 400, 'ValidationException',
      /^invalid profileArn 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile\/nope': expected a Roles Anywhere profile ARN/);
  });

  test('a trust anchor and a profile in different regions', async () => {
    await expectRefusal(sessionFor(rsaLeaf, { profileArn: profileArn('us-east-1') }), 400, 'ValidationException',
      /^trust anchor '.*' is in eu-west-1 but profile '.*' is in us-east-1: expected both in one region$/);
  });
});

describe('other routes', () => {
  test('answer UnknownOperationException (404)', async () => {
    const url = new URL(service.endpoint);
    const response = await new Promise<{ status?: number; type?: string | string[] }>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/trustanchors', method: 'GET' }, (res) => {
        res.resume();
        resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'] });
      }).on('error', reject).end();
    });
    expect(response).toEqual({ status: 404, type: 'UnknownOperationException' });
  });
});

describe('configuration', () => {
  const start = (overrides: object) => startRolesAnywhereService({ stsEndpoint: 'http://127.0.0.1:9', ...overrides });

  test('is checked when the service starts, naming the bad value', async () => {
    await expect(start({ stsEndpoint: 'moto' })).rejects.toThrow("invalid stsEndpoint 'moto': expected a URL such as http://127.0.0.1:5000");
    await expect(start({ trustAnchors: [{ arn: 'trust-anchor/1', certificatesPem: root.certificatePem }] })).rejects.toThrow(
      /^invalid trust anchor ARN 'trust-anchor\/1': expected a Roles Anywhere trust anchor ARN/);
    const anchor = trustAnchorArn();
    await expect(start({ trustAnchors: [{ arn: anchor, certificatesPem: rsaLeaf.certificatePem }] })).rejects.toThrow(
      `trust anchor '${anchor}' holds 'CN=workload', which is not a CA certificate: expected basicConstraints CA:true`);
    await expect(start({ trustAnchors: [{ arn: anchor, certificatesPem: [] }] })).rejects.toThrow(`trust anchor '${anchor}' has no certificates`);
    await expect(start({ trustAnchors: [{ arn: anchor, certificatesPem: 'not a certificate' }] })).rejects.toThrow(
      `certificatesPem of trust anchor '${anchor}' cannot be parsed`);
    const profile = profileArn();
    await expect(start({ profiles: [{ arn: profile, roleArns: [ROLE], durationSeconds: 60 }] })).rejects.toThrow(
      `invalid durationSeconds 60 of profile '${profile}': expected an integer from 900 to 43200`);
    await expect(start({ profiles: [{ arn: profile, roleArns: [] }] })).rejects.toThrow(`profile '${profile}' has no roleArns`);
  });

  test('a busy port is reported with the port', async () => {
    await expect(start({ port: service.port })).rejects.toThrow(new RegExp(`^cannot listen on 127.0.0.1:${service.port}: .*EADDRINUSE`));
  });

  test('a logger hears about refusals; without one the service is silent', async () => {
    const lines: string[] = [];
    const logged = await start({
      trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
      logger: { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) },
    });
    try {
      await sessionFor(rsaLeaf, { endpoint: logged.endpoint, durationSeconds: 60 });
      expect(lines).toEqual([
        `info rolesanywhere: loopback IAM Roles Anywhere on ${logged.endpoint}, minting sessions with STS at http://127.0.0.1:9`,
        'warn rolesanywhere: CreateSession refused with 400 ValidationException: invalid durationSeconds 60: expected an integer from 900 to 43200',
      ]);
    } finally {
      await logged.stop();
    }
  });
});
