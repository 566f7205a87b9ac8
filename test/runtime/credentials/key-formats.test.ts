/**
 * Every key type IAM Roles Anywhere accepts, in every format users hold keys in, with and
 * without an intermediate CA: each loads, signs CreateSession, and the signature verifies at a
 * loopback service that checks it as the real one does.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { ARNS } from './support/arns';
import { Issued, KeySpec, Pki } from './support/pki';
import { SessionServer } from './support/session-server';
import { fromRolesAnywhere, RolesAnywhereOptions } from '../../../src/runtime/credentials';

const KEY_SPECS: readonly KeySpec[] = ['rsa2048', 'rsa4096', 'p256', 'p384'];
const FORMATS = [
  'PKCS#1 or SEC1 PEM',
  'PKCS#8 PEM',
  'encrypted PKCS#8 PEM',
  'DER certificate and PKCS#8 DER key',
  'PKCS#12 as OpenSSL 3 writes it by default',
  'PKCS#12 -legacy with 3DES',
] as const;
type Format = (typeof FORMATS)[number];

const KEY_PASSPHRASE = 'key passphrase';
const P12_PASSWORD = 'bundle password';

let pki: Pki;
let server: SessionServer;
let root: Issued;
let intermediate: Issued;

beforeAll(async () => {
  pki = Pki.create();
  server = await SessionServer.start();
  root = pki.issue('root', 'p256', { ca: true });
  intermediate = pki.issue('intermediate', 'p384', { ca: true, issuer: root });
  for (const spec of KEY_SPECS) {
    const key = pki.key(spec, spec);
    for (const chained of [false, true]) {
      const name = `${spec}-${chained ? 'chained' : 'direct'}`;
      const leaf = pki.issue(name, spec, { key, issuer: chained ? intermediate : root });
      pki.openssl('x509', '-in', leaf.cert, '-outform', 'DER', '-out', `${name}.cert.der`);
      const chain = chained ? ['-certfile', intermediate.cert] : [];
      pki.pkcs12(`${name}-default`, leaf, P12_PASSWORD, ...chain);
      pki.pkcs12(`${name}-legacy`, leaf, P12_PASSWORD, '-legacy', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', ...chain);
    }
    pki.openssl('pkey', '-in', key, '-traditional', '-out', `${spec}.traditional.pem`);
    pki.openssl('pkcs8', '-topk8', '-in', key, '-passout', `pass:${KEY_PASSPHRASE}`, '-out', `${spec}.encrypted.pem`);
    pki.openssl('pkey', '-in', key, '-outform', 'DER', '-out', `${spec}.key.der`);
  }
});

afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

function material(spec: KeySpec, format: Format, chained: boolean): Partial<RolesAnywhereOptions> {
  const name = `${spec}-${chained ? 'chained' : 'direct'}`;
  const certificate = pki.text(`${name}.cert.pem`);
  const intermediates = chained ? { intermediates: pki.text(intermediate.cert) } : {};
  switch (format) {
    case 'PKCS#1 or SEC1 PEM':
      return { certificate, privateKey: pki.text(`${spec}.traditional.pem`), ...intermediates };
    case 'PKCS#8 PEM':
      return { certificate, privateKey: pki.text(`${spec}.key.pem`), ...intermediates };
    case 'encrypted PKCS#8 PEM':
      return { certificate, privateKey: pki.text(`${spec}.encrypted.pem`), passphrase: KEY_PASSPHRASE, ...intermediates };
    case 'DER certificate and PKCS#8 DER key':
      return { certificate: pki.read(`${name}.cert.der`), privateKey: pki.read(`${spec}.key.der`), ...intermediates };
    case 'PKCS#12 as OpenSSL 3 writes it by default':
      return { pkcs12: pki.read(`${name}-default.p12`), pkcs12Password: P12_PASSWORD };
    case 'PKCS#12 -legacy with 3DES':
      return { pkcs12: pki.read(`${name}-legacy.p12`), pkcs12Password: P12_PASSWORD };
  }
}

const fingerprint = (c: X509Certificate) => createHash('sha256').update(c.raw).digest('hex');

const ISSUED = { 'by the root CA': false, 'by an intermediate CA': true } as const;
const cases = KEY_SPECS.flatMap((spec) =>
  FORMATS.flatMap((format) => Object.keys(ISSUED).map((issued) => [spec, format, issued as keyof typeof ISSUED] as const)));

test.each(cases)('%s key as %s, certificate issued %s, signs a CreateSession that verifies', async (spec, format, issued) => {
  const chained = ISSUED[issued];
  const provider = fromRolesAnywhere({ ...ARNS, ...material(spec, format, chained), endpoint: server.url });

  const credentials = await provider();

  const request = server.requests[server.count - 1];
  expect(request.signatureProblem).toBeUndefined();
  expect(credentials.accessKeyId).toBe(`ASIASESSION${server.count}`);
  expect(request.authorization?.algorithm).toBe(spec.startsWith('rsa') ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256');
  const leaf = new X509Certificate(pki.read(`${spec}-${chained ? 'chained' : 'direct'}.cert.der`));
  expect(fingerprint(request.certificate!)).toBe(fingerprint(leaf));
  const expectedChain = chained ? [fingerprint(new X509Certificate(pki.read(intermediate.cert)))] : [];
  expect(request.chain.map(fingerprint)).toEqual(expectedChain);
});
