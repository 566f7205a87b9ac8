/**
 * How certificates, keys and intermediates are given, and what is said when they cannot be
 * read. (The matrix of key types and formats that sign correctly is key-formats.test.ts.)
 */
import { X509Certificate } from 'node:crypto';
import { ARNS } from './support/arns';
import { Issued, Pki } from './support/pki';
import { SessionServer } from './support/session-server';
import { fromRolesAnywhere, RolesAnywhereOptions } from '../../../src/runtime/credentials';
import { InputError } from '../../../src/runtime/errors';

let pki: Pki;
let server: SessionServer;
let root: Issued;
let intermediate: Issued;
let leaf: Issued;

beforeAll(async () => {
  pki = Pki.create();
  server = await SessionServer.start();
  root = pki.issue('root', 'p256', { ca: true });
  intermediate = pki.issue('intermediate', 'p256', { ca: true, issuer: root });
  leaf = pki.issue('app', 'rsa2048', { issuer: intermediate });
});

afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

const base = (extra: Partial<RolesAnywhereOptions>): RolesAnywhereOptions => ({ ...ARNS, endpoint: server.url, ...extra });
const subjects = (chain: readonly X509Certificate[]) => chain.map((c) => c.subject);

async function chainSent(opts: RolesAnywhereOptions): Promise<string[]> {
  await fromRolesAnywhere(opts)();
  const request = server.requests[server.count - 1];
  expect(request.signatureProblem).toBeUndefined();
  return subjects(request.chain);
}

describe('ways to give the chain', () => {
  test('a full-chain PEM as the certificate sends its CAs as intermediates, issuer first', async () => {
    const fullChain = pki.bundle('fullchain.pem', leaf.cert, intermediate.cert, root.cert);
    await expect(chainSent(base({ certificate: pki.text(fullChain), privateKey: pki.text(leaf.key) }))).resolves.toEqual(['CN=intermediate', 'CN=root']);
  });

  test('intermediates as a list of DER buffers, in any order, are sent issuer first', async () => {
    pki.openssl('x509', '-in', root.cert, '-outform', 'DER', '-out', 'root.der');
    pki.openssl('x509', '-in', intermediate.cert, '-outform', 'DER', '-out', 'intermediate.der');
    const opts = base({ certificate: pki.read(leaf.cert), privateKey: pki.read(leaf.key), intermediates: [pki.read('root.der'), pki.read('intermediate.der')] });
    await expect(chainSent(opts)).resolves.toEqual(['CN=intermediate', 'CN=root']);
  });

  test('one PEM file holding the certificate and the key can be given as both', async () => {
    const combined = pki.text(pki.bundle('combined.pem', leaf.cert, leaf.key));
    await expect(chainSent(base({ certificate: combined, privateKey: combined }))).resolves.toEqual([]);
  });

  test('a legacy encrypted PEM key (Proc-Type: 4,ENCRYPTED) loads with its passphrase', async () => {
    pki.openssl('rsa', '-in', leaf.key, '-traditional', '-aes256', '-passout', 'pass:old school', '-out', 'legacy-encrypted.pem');
    expect(pki.text('legacy-encrypted.pem')).toContain('Proc-Type: 4,ENCRYPTED');
    await expect(chainSent(base({ certificate: pki.text(leaf.cert), privateKey: pki.text('legacy-encrypted.pem'), passphrase: 'old school' }))).resolves.toEqual([]);
  });
});

describe('keys that cannot be read', () => {
  beforeAll(() => {
    pki.openssl('pkcs8', '-topk8', '-in', leaf.key, '-passout', 'pass:right', '-out', 'encrypted.pem');
  });

  test.each<[string, () => Partial<RolesAnywhereOptions>, string, RegExp]>([
    ['an encrypted key without a passphrase', () => ({ privateKey: pki.text('encrypted.pem') }), 'InvalidPrivateKey', /^privateKey is encrypted: expected its passphrase in the passphrase option$/],
    ['an encrypted key with the wrong passphrase', () => ({ privateKey: pki.text('encrypted.pem'), passphrase: 'wrong' }), 'IncorrectPassword', /^cannot decrypt privateKey with the given passphrase/],
    ['a certificate given as the key', () => ({ privateKey: pki.text(leaf.cert) }), 'InvalidPrivateKey', /^privateKey holds 'CERTIFICATE': expected an RSA or EC private key in PEM/],
    ['a PEM key block that is not a key', () => ({ privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), 'InvalidPrivateKey', /^privateKey cannot be read \(.+\): expected an RSA or EC private key/],
    ['bytes that are no key', () => ({ privateKey: Buffer.from('not a key at all') }), 'InvalidPrivateKey', /^privateKey cannot be read as DER \(it looks like text that is not PEM: "not a key at all"; .+\): expected .+ \(an encrypted key needs the passphrase option\)$/],
  ])('%s', (_, extra, code, message) => {
    expect(() => fromRolesAnywhere(base({ certificate: pki.text(leaf.cert), privateKey: pki.text(leaf.key), ...extra() }))).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});

describe('certificates that cannot be read', () => {
  test.each<[string, () => Partial<RolesAnywhereOptions>, RegExp]>([
    ['a key given as the certificate', () => ({ certificate: pki.text(leaf.key) }), /^certificate holds 'PRIVATE KEY': expected a PEM 'CERTIFICATE' block$/],
    ['bytes that are no certificate', () => ({ certificate: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]) }), /^certificate cannot be parsed \(it looks like DER \(an ASN\.1 SEQUENCE of 5 bytes\); .+\): expected a PEM or DER X.509 certificate$/],
    ['random bytes', () => ({ certificate: Buffer.from([0x9f, 0x00, 0xff, 0x10, 0x22]) }), /^certificate cannot be parsed \(it looks like binary data that is not DER \(first bytes 9f 00 ff 10\); .+\): expected/],
    ['a PEM whose base64 was corrupted (characters outside base64)', () => ({ certificate: pki.text(leaf.cert).replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!') }),
      /^certificate is a PEM 'CERTIFICATE' block whose content is damaged: its base64 does not decode \(characters outside base64, or a length that is not a multiple of 4\) \(.+\): expected a PEM or DER X.509 certificate$/],
    ['a PEM whose base64 decodes to something else', () => ({ certificate: pki.text(leaf.cert).replace(/\n[A-Za-z0-9+/]{8}/, '\nAAAAAAAA') }),
      /^certificate is a PEM 'CERTIFICATE' block whose content is damaged: its base64 decodes to \d+ bytes that are not a DER certificate \(.+\): expected/],
    ['an empty certificate', () => ({ certificate: '' }), /^certificate is empty: expected a PEM or DER X.509 certificate$/],
    ['a broken intermediate in a list', () => ({ intermediates: [pki.text(root.cert), 'AAAA'] }), /^intermediates\[1\] cannot be parsed/],
  ])('%s', (_, extra, message) => {
    expect(() => fromRolesAnywhere(base({ certificate: pki.text(leaf.cert), privateKey: pki.text(leaf.key), ...extra() }))).toThrow(
      expect.objectContaining({ code: 'InvalidCertificate', message: expect.stringMatching(message) }),
    );
  });
});

describe('which form of key material', () => {
  test.each<[string, () => Partial<RolesAnywhereOptions>, string]>([
    ['pkcs12 together with a certificate', () => ({ pkcs12: Buffer.alloc(1), certificate: pki.text(leaf.cert) }), 'pkcs12 was given together with certificate or privateKey: expected either pkcs12 or certificate and privateKey'],
    ['a certificate without its key', () => ({ certificate: pki.text(leaf.cert) }), 'missing privateKey: expected certificate and privateKey (PEM or DER), or pkcs12'],
    ['nothing at all', () => ({}), 'missing certificate: expected certificate and privateKey (PEM or DER), or pkcs12'],
    ['a pkcs12Password without pkcs12', () => ({ certificate: pki.text(leaf.cert), privateKey: pki.text(leaf.key), pkcs12Password: 'x' }), 'pkcs12Password was given without pkcs12: expected the passphrase option for an encrypted private key'],
    ['a file path instead of a pkcs12 Buffer', () => ({ pkcs12: '/etc/app.p12' as unknown as Buffer }), 'invalid pkcs12 of type string: expected a Buffer holding the .p12/.pfx file'],
  ])('%s is refused', (_, extra, message) => {
    let error: unknown;
    try {
      fromRolesAnywhere(base(extra()));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message);
  });
});
