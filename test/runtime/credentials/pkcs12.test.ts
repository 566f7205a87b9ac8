/**
 * PKCS#12 bundles beyond the happy path of the key-format matrix: passwords, what OpenSSL
 * writes with other flags, the order of the chain, and the messages for what cannot be read.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { ARNS } from './support/arns';
import { Issued, Pki } from './support/pki';
import { fromRolesAnywhere } from '../../../src/runtime/credentials';
import { readPkcs12 } from '../../../src/runtime/credentials/pkcs12';

let pki: Pki;
let root: Issued;
let intermediate: Issued;
let leaf: Issued;

beforeAll(() => {
  pki = Pki.create();
  root = pki.issue('root', 'p256', { ca: true });
  intermediate = pki.issue('intermediate', 'p256', { ca: true, issuer: root });
  leaf = pki.issue('app', 'p256', { issuer: intermediate });
});

afterAll(() => pki?.cleanup());

const subjectOf = (c: X509Certificate) => c.subject;

describe('passwords', () => {
  test('a wrong password is reported as such, before anything is decrypted', () => {
    const file = pki.pkcs12('wrong-password', leaf, 'right');
    expect(() => readPkcs12(pki.read(file), 'wrong')).toThrow(
      expect.objectContaining({ code: 'IncorrectPassword', message: expect.stringContaining('pkcs12 bundle MAC does not verify') }),
    );
  });

  test('the provider refuses a wrong pkcs12Password when it is created', () => {
    const file = pki.pkcs12('provider-wrong-password', leaf, 'right');
    expect(() => fromRolesAnywhere({ ...ARNS, pkcs12: pki.read(file), pkcs12Password: 'wrong' })).toThrow(/pkcs12Password/);
  });

  test.each([
    ['OpenSSL 3 default (PBES2, UTF-8 password)', []],
    ['-legacy with 3DES (PKCS#12 KDF, BMPString password)', ['-legacy', '-certpbe', 'PBE-SHA1-3DES']],
  ])('a non-ASCII password opens a bundle written with %s', (_, flags) => {
    const password = 'pässwörd-密码';
    const file = pki.pkcs12(`unicode-${flags.length}`, leaf, password, ...flags);
    expect(readPkcs12(pki.read(file), password).certificate.subject).toBe('CN=app');
    expect(() => readPkcs12(pki.read(file), 'passwörd')).toThrow(/MAC does not verify/);
  });

  test('a bundle exported with an empty password opens with no password given', () => {
    const file = pki.pkcs12('empty-password', leaf, '');
    expect(readPkcs12(pki.read(file)).certificate.subject).toBe('CN=app');
    expect(readPkcs12(pki.read(file), '').certificate.subject).toBe('CN=app');
  });
});

describe('what OpenSSL writes with other flags', () => {
  test('an unencrypted bundle (-certpbe NONE -keypbe NONE) still has its MAC checked and loads', () => {
    const file = pki.pkcs12('unencrypted', leaf, 'mac-only', '-certpbe', 'NONE', '-keypbe', 'NONE');
    expect(readPkcs12(pki.read(file), 'mac-only').certificate.subject).toBe('CN=app');
    expect(() => readPkcs12(pki.read(file), 'other')).toThrow(/MAC does not verify/);
  });

  test('plain -legacy encrypts certificates with RC2-40, which this Node.js lacks: the message names it and how to re-export', () => {
    const file = pki.pkcs12('legacy-rc2', leaf, 'pw', '-legacy');
    let error: Error & { code?: string } = new Error('not thrown');
    try {
      readPkcs12(pki.read(file), 'pw');
    } catch (e) {
      error = e as Error;
    }
    expect(error.code).toBe('UnsupportedAlgorithm');
    expect(error.message).toContain('pbeWithSHAAnd40BitRC2-CBC');
    expect(error.message).toContain('openssl pkcs12 -export -certpbe AES-256-CBC -keypbe AES-256-CBC');
    expect(error.message).toContain('--openssl-legacy-provider');
  });

  test('plain -legacy loads when node runs with --openssl-legacy-provider, as the message says', () => {
    const file = pki.pkcs12('legacy-rc2-provider', leaf, 'pw', '-legacy');
    const script = `
      const { readPkcs12 } = require(${JSON.stringify(join(__dirname, '../../../src/runtime/credentials/pkcs12'))});
      const r = readPkcs12(require('fs').readFileSync(${JSON.stringify(pki.path(file))}), 'pw');
      process.stdout.write(JSON.stringify({ subject: r.certificate.subject, chain: r.intermediates.length, key: r.privateKey.asymmetricKeyType }));`;
    const out = execFileSync(process.execPath, ['--openssl-legacy-provider', '-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ subject: 'CN=app', chain: 0, key: 'ec' });
  });
});

describe('certificates in the bundle', () => {
  test('the leaf is the certificate matching the key, and the others follow issuer first whatever their order in the file', () => {
    const rootFirst = pki.bundle('root-first.pem', root.cert, intermediate.cert);
    const file = pki.pkcs12('with-chain', leaf, 'pw', '-certfile', rootFirst);
    const contents = readPkcs12(pki.read(file), 'pw');
    expect(contents.certificate.subject).toBe('CN=app');
    expect(contents.intermediates.map(subjectOf)).toEqual(['CN=intermediate', 'CN=root']);
    expect(contents.certificate.checkPrivateKey(contents.privateKey)).toBe(true);
  });

  test('a bundle without a key says so', () => {
    pki.openssl('pkcs12', '-export', '-nokeys', '-in', leaf.cert, '-passout', 'pass:pw', '-out', 'no-key.p12');
    expect(() => readPkcs12(pki.read('no-key.p12'), 'pw')).toThrow(/pkcs12 bundle holds no private key \(1 certificates\)/);
  });

  test('a bundle whose key matches none of its certificates says so', () => {
    pki.openssl('pkcs12', '-export', '-nocerts', '-inkey', leaf.key, '-passout', 'pass:pw', '-out', 'no-cert.p12');
    expect(() => readPkcs12(pki.read('no-cert.p12'), 'pw')).toThrow(
      expect.objectContaining({ code: 'KeyMismatch', message: expect.stringContaining('but no certificate matches a key') }),
    );
  });
});

describe('files that are not PKCS#12', () => {
  test.each([
    ['a PEM certificate', () => pki.read(leaf.cert)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a truncated bundle', () => pki.read(pki.pkcs12('truncated', leaf, 'pw')).subarray(0, 200)],
  ])('%s is refused as malformed', (_, data) => {
    expect(() => readPkcs12(data(), 'pw')).toThrow(
      expect.objectContaining({ code: 'InvalidPkcs12', message: expect.stringMatching(/^pkcs12 bundle is malformed \(.+\): expected a PKCS#12/) }),
    );
  });

  test('a bundle changed after export fails its MAC', () => {
    const data = Buffer.from(pki.read(pki.pkcs12('tampered', leaf, 'pw')));
    data[data.length - 120] = (data[data.length - 120] + 1) % 256;
    expect(() => readPkcs12(data, 'pw')).toThrow(/MAC does not verify: expected the password .* and an unmodified file/);
  });
});
