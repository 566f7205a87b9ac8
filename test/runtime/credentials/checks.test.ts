/**
 * What the provider checks locally, when it is created and before any request: each problem a
 * certificate or key can have gets its own code and a message naming it, and no request leaves.
 */
import { X509Certificate } from 'node:crypto';
import { ARNS } from './support/arns';
import { Issued, KeySpec, Pki } from './support/pki';
import { SessionServer } from './support/session-server';
import { certificateId } from '../../../src/contract';
import { CertificateError, fromRolesAnywhere, RolesAnywhereOptions } from '../../../src/runtime/credentials';
import { isoSeconds } from '../../../src/runtime/credentials/checks';

let pki: Pki;
let server: SessionServer;
let root: Issued;
let leaf: Issued;
let leafCertificate: X509Certificate;

beforeAll(async () => {
  pki = Pki.create();
  server = await SessionServer.start();
  root = pki.issue('root', 'p256', { ca: true });
  leaf = pki.issue('app', 'p256', { issuer: root, days: 10 });
  leafCertificate = new X509Certificate(pki.read(leaf.cert));
});

afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

function options(issued: Issued, extra: Partial<RolesAnywhereOptions> = {}): RolesAnywhereOptions {
  return { ...ARNS, certificate: pki.text(issued.cert), privateKey: pki.text(issued.key), endpoint: server.url, ...extra };
}

/** The error `fromRolesAnywhere` throws, checking that nothing reached the service. */
function creationError(opts: RolesAnywhereOptions): CertificateError {
  const before = server.count;
  try {
    fromRolesAnywhere(opts);
  } catch (e) {
    expect(server.count).toBe(before);
    expect(e).toBeInstanceOf(CertificateError);
    return e as CertificateError;
  }
  throw new Error('fromRolesAnywhere did not throw');
}

const notBefore = () => new Date(leafCertificate.validFrom);
const notAfter = () => new Date(leafCertificate.validTo);

describe('validity dates', () => {
  test('an expired certificate is refused with the date it expired, beyond the service\'s 5-minute tolerance', () => {
    const now = new Date(notAfter().getTime() + 5 * 60_000 + 1000);
    const error = creationError(options(leaf, { clock: () => now }));
    expect(error.code).toBe('CertificateExpired');
    expect(error.message).toBe(`certificate 'CN=app' expired on ${isoSeconds(notAfter())}: expected a certificate valid now (${isoSeconds(now)}, allowing the service's 5-minute clock tolerance)`);
  });

  test('a certificate not yet valid is refused with the date it becomes valid, beyond the tolerance', () => {
    const now = new Date(notBefore().getTime() - 5 * 60_000 - 1000);
    const error = creationError(options(leaf, { clock: () => now }));
    expect(error.code).toBe('CertificateNotYetValid');
    expect(error.message).toBe(`certificate 'CN=app' is not valid before ${isoSeconds(notBefore())}: expected a certificate valid now (${isoSeconds(now)}, allowing the service's 5-minute clock tolerance; is this clock behind?)`);
  });

  test('a clock 2 minutes behind a certificate issued just now is accepted, as the service accepts it, and the logger hears why', () => {
    const now = new Date(notBefore().getTime() - 2 * 60_000);
    const warnings: string[] = [];
    fromRolesAnywhere(options(leaf, { clock: () => now, logger: { warn: (m: string) => warnings.push(m), error: () => undefined } }));
    expect(warnings).toEqual([`certificate 'CN=app' is valid from ${isoSeconds(notBefore())} to ${isoSeconds(notAfter())}, not at this clock's ${isoSeconds(now)}; accepted within the service's 5-minute clock tolerance`]);
  });

  test('a certificate that expires while the process runs is refused at the next refresh, without a request', async () => {
    let now = new Date(notAfter().getTime() - 2 * 3600_000);
    const provider = fromRolesAnywhere(options(leaf, { clock: () => now }));
    await provider();
    const sessions = server.count;

    now = new Date(notAfter().getTime() + 6 * 60_000);
    await expect(provider()).rejects.toMatchObject({ code: 'CertificateExpired', message: expect.stringContaining(`expired on ${isoSeconds(notAfter())}`) });
    expect(server.count).toBe(sessions);
  });
});

test('a key that is not the certificate\'s is refused', () => {
  const other = pki.issue('other', 'p256', { issuer: root });
  const error = creationError(options(leaf, { privateKey: pki.text(other.key) }));
  expect(error.code).toBe('KeyMismatch');
  expect(error.message).toBe("private key does not match certificate 'CN=app': expected the key the certificate was issued for");
});

test('a CA certificate is refused as the client certificate', () => {
  const error = creationError(options(root));
  expect(error.code).toBe('CertificateIsCa');
  expect(error.message).toBe("certificate 'CN=root' is a CA certificate (basicConstraints CA:TRUE): expected an end-entity client certificate");
});

describe('AWS_ClientCertificateID', () => {
  test('a certificate with another fingerprint is refused, naming both', () => {
    const other = pki.issue('expected-app', 'p256', { issuer: root });
    const expected = certificateId(pki.read(other.cert));
    const error = creationError(options(leaf, { clientCertificateId: expected }));
    expect(error.code).toBe('CertificateIdMismatch');
    expect(error.message).toBe(`certificate 'CN=app' has SHA-256 fingerprint ${certificateId(leafCertificate)}: expected ${expected} (AWS_ClientCertificateID)`);
  });

  test('the matching fingerprint is accepted as OpenSSL prints it (upper case, colons)', async () => {
    const provider = fromRolesAnywhere(options(leaf, { clientCertificateId: leafCertificate.fingerprint256 }));
    await expect(provider()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
  });
});

describe('key types and sizes Roles Anywhere does not sign with', () => {
  test.each<[KeySpec, string]>([
    ['rsa1024', 'RSA key of 1024 bits is not supported: expected 2048 to 4096 bits'],
    ['p521', 'EC key on curve secp521r1 is not supported: expected P-256 (prime256v1) or P-384 (secp384r1)'],
    ['ed25519', 'ed25519 key is not supported: expected an RSA (2048-4096 bits) or EC (P-256, P-384) key'],
  ])('a %s key is refused', (spec, message) => {
    const issued = pki.issue(`unsupported-${spec}`, spec, { issuer: root });
    const error = creationError(options(issued));
    expect(error.code).toBe('UnsupportedKey');
    expect(error.message).toBe(message);
  });
});
