/**
 * ML-DSA (AWS4-X509-MLDSA) end to end: the helper's own OpenSSL 3.5 keys, in every PKCS#8
 * encoding and encryption its tests use, sign CreateSession through `fromRolesAnywhere`, and
 * the loopback service verifies the pure ML-DSA signature before minting the session on moto.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileArn, roleArn, trustAnchorArn } from './support/arns';
import { createCertificateAuthority } from '../../src/local/certificates';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { fromRolesAnywhere } from '../../src/runtime/credentials';
import { readAsn1 } from '../../src/runtime/credentials/der';
import { ASSUME_ROLE_USER_CALLS, createAssumeRoleUser } from '../support/moto-iam';

const VECTORS = '/work/shared/vectors/mldsa';
const vector = (name: string) => readFileSync(join(VECTORS, name));
const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const ROLE = roleArn('orders-connector');
const root = createCertificateAuthority({ commonName: 'ML-DSA Test Root CA' });

/** An end-entity certificate from our CA for the public key of the helper's self-signed one. */
function leafFor(variant: 44 | 65 | 87): X509Certificate {
  const selfSigned = new X509Certificate(vector(`mldsa${variant}-cert.pem`));
  const spki = readAsn1(selfSigned.raw).children[0].children[6].raw;
  return root.issueForPublicKey(spki, { commonName: `mldsa${variant}-workload` });
}

let moto: MotoServer;
let service: RolesAnywhereService;
const warnings: string[] = [];

beforeAll(async () => {
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS });
  service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    stsCredentials: await createAssumeRoleUser(moto.endpoint, 'rolesanywhere-service'),
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE] }],
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
});

afterAll(async () => {
  await service?.stop();
  await moto?.stop();
});

const ENCODINGS = ['key.pem', 'key-pkcs8.pem', 'key-pkcs8-scrypt.pem', 'key-pkcs8-aes128cbc.pem', 'key-pkcs8-aes192cbc.pem', 'key-pkcs8-aes256cbc.pem',
  'key-pkcs8-hmacWithSHA256.pem', 'key-pkcs8-hmacWithSHA384.pem', 'key-pkcs8-hmacWithSHA512.pem'];
const CASES = ([44, 65, 87] as const).flatMap((variant) => ENCODINGS.map((encoding) => [variant, encoding] as const));

describe('sessions signed with ML-DSA keys', () => {
  const leaves = new Map<number, X509Certificate>();
  const leaf = (variant: 44 | 65 | 87) => leaves.get(variant) ?? leaves.set(variant, leafFor(variant)).get(variant)!;

  test.each(CASES)('ML-DSA-%i with mldsa-%s: the loopback service accepts the session', async (variant, encoding) => {
    const provider = fromRolesAnywhere({
      certificate: leaf(variant).raw,
      privateKey: vector(`mldsa${variant}-${encoding}`),
      passphrase: encoding.includes('pkcs8-') ? 'password' : undefined,
      trustAnchorArn: TRUST_ANCHOR,
      profileArn: PROFILE,
      roleArn: ROLE,
      endpoint: service.endpoint,
    });
    const credentials = await provider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
  });

  test('each session is counted by the service and nothing was refused', async () => {
    const before = service.sessionsCreated;
    await fromRolesAnywhere({ certificate: leaf(65).raw, privateKey: vector('mldsa65-key.pem'), trustAnchorArn: TRUST_ANCHOR, profileArn: PROFILE, roleArn: ROLE, endpoint: service.endpoint })();
    expect(service.sessionsCreated).toBe(before + 1);
    expect(warnings.join('\n')).not.toMatch(/refused/);
  });

  test('a key of another ML-DSA parameter set is refused locally, naming both', () => {
    expect(() => fromRolesAnywhere({ certificate: leaf(44).raw, privateKey: vector('mldsa65-key.pem'), trustAnchorArn: TRUST_ANCHOR, profileArn: PROFILE, roleArn: ROLE, endpoint: service.endpoint }))
      .toThrow("ML-DSA-65 private key does not match the certificate's ML-DSA-44 key: expected the key the certificate was issued for");
  });

  test('a wrong password is refused as such, and a missing one names the flag and the option', () => {
    const base = { certificate: leaf(44).raw, trustAnchorArn: TRUST_ANCHOR, profileArn: PROFILE, roleArn: ROLE, endpoint: service.endpoint };
    expect(() => fromRolesAnywhere({ ...base, privateKey: vector('mldsa44-key-pkcs8-scrypt.pem'), passphrase: 'wrong' }))
      .toThrow('cannot decrypt privateKey with the given password: expected the password the key was encrypted with');
    expect(() => fromRolesAnywhere({ ...base, privateKey: vector('mldsa44-key-pkcs8-aes256cbc.pem') }))
      .toThrow('privateKey is encrypted: expected its passphrase in the passphrase option');
  });

  test('a signature by the right key over another request is refused by the service', async () => {
    const tampering = async (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) =>
      fetch(url, { ...init, body: init.body.replace('3600', '3599') });
    const provider = fromRolesAnywhere({ certificate: leaf(44).raw, privateKey: vector('mldsa44-key.pem'), trustAnchorArn: TRUST_ANCHOR, profileArn: PROFILE, roleArn: ROLE, endpoint: service.endpoint, fetch: tampering });
    await expect(provider()).rejects.toMatchObject({ code: 'AccessDeniedException', message: expect.stringContaining('signature does not match') });
  });
});
