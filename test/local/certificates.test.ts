import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCertificateFields } from '../../src/local/certificate-fields';
import { createCertificateAuthority } from '../../src/local/certificates';
import { KeyUsageBit, Oid } from '../../src/local/x509-oids';

const dir = mkdtempSync(join(tmpdir(), 'certificates-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(pem: string): string {
  const path = join(dir, `${files++}.pem`);
  writeFileSync(path, pem);
  return path;
}

/** `openssl x509 -noout -text`: what a third party reads in the certificate. */
function opensslText(pem: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-text', '-in', file(pem)], { encoding: 'utf8' });
}

/** `openssl verify`, trusting only `rootPem`; intermediates are offered as untrusted. */
function opensslVerify(rootPem: string, leafPem: string, chainPem: string): { ok: boolean; output: string } {
  const args = ['verify', '-CAfile', file(rootPem), ...(chainPem ? ['-untrusted', file(chainPem)] : []), file(leafPem)];
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

describe('a root certificate authority', () => {
  const root = createCertificateAuthority({ commonName: 'Test Root CA', keyType: 'rsa' });

  test('is a self-signed X.509 v3 CA certificate', () => {
    const cert = new X509Certificate(root.certificatePem);
    expect(cert.subject).toBe('CN=Test Root CA');
    expect(cert.issuer).toBe('CN=Test Root CA');
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(readCertificateFields(cert)).toEqual({
      version: 3,
      signatureAlgorithm: Oid.SHA256_WITH_RSA,
      basicConstraints: { ca: true, pathLength: undefined },
      keyUsage: [KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN],
    });
  });

  test('reads in OpenSSL with critical CA constraints, CA key usage and key identifiers', () => {
    const text = opensslText(root.certificatePem);
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    const ski = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(text)?.[1];
    const aki = /Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
    expect(ski).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(aki).toBe(ski);
  });

  test('holds the private key that matches its certificate, as PKCS#8 PEM', () => {
    expect(root.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(root.certificate.checkPrivateKey(createPrivateKey(root.privateKeyPem))).toBe(true);
    expect(root.chainPem).toBe('');
  });

  test('writes a path length constraint when given one', () => {
    const constrained = createCertificateAuthority({ commonName: 'Constrained Root', pathLength: 0 });
    expect(readCertificateFields(constrained.certificate).basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(opensslText(constrained.certificatePem)).toMatch(/CA:TRUE, pathlen:0/);
  });
});

describe('leaf certificates', () => {
  const root = createCertificateAuthority({ commonName: 'Leaf Test Root' });

  test.each([
    ['rsa', { keyType: 'rsa' as const }, /Public-Key: \(2048 bit\)/],
    ['rsa 3072', { keyType: 'rsa' as const, rsaBits: 3072 }, /Public-Key: \(3072 bit\)/],
    ['ec P-256', { keyType: 'ec' as const }, /NIST CURVE: P-256/],
    ['ec P-384', { keyType: 'ec' as const, curve: 'P-384' as const }, /NIST CURVE: P-384/],
  ])('%s: an end-entity certificate that may sign, with the key asked for', (_, keyOptions, keyLine) => {
    const leaf = root.issue({ commonName: 'workload', ...keyOptions });
    const text = opensslText(leaf.certificatePem);
    expect(text).toMatch(keyLine);
    expect(text).toMatch(/Issuer: CN ?= ?Leaf Test Root/);
    expect(text).toMatch(/Subject: CN ?= ?workload/);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/); // the EC root signs
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(leaf.certificate.ca).toBe(false);
    expect(leaf.certificate.checkPrivateKey(createPrivateKey(leaf.privateKeyPem))).toBe(true);
    expect(leaf.privateKey.asymmetricKeyType).toBe(keyOptions.keyType);
  });

  test('the authority key identifier is the issuer\'s subject key identifier', () => {
    const leaf = root.issue({ commonName: 'workload' });
    const issuerSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(opensslText(root.certificatePem))?.[1];
    const leafText = opensslText(leaf.certificatePem);
    expect(/Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(leafText)?.[1]).toBe(issuerSki);
    expect(/Subject Key Identifier:\s+([0-9A-F:]+)/.exec(leafText)?.[1]).not.toBe(issuerSki);
  });

  test('subject alternative names of each kind are written', () => {
    const leaf = root.issue({
      commonName: 'workload',
      subjectAltNames: ['app.example.com', 'DNS:*.svc.example.com', 'IP:10.0.0.1', 'IP:2001:db8::1', 'URI:spiffe://example.com/app', 'email:ops@example.com'],
    });
    expect(leaf.certificate.subjectAltName).toBe(
      'DNS:app.example.com, DNS:*.svc.example.com, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, URI:spiffe://example.com/app, email:ops@example.com',
    );
  });

  test('serial numbers are random, positive and at most 20 bytes, unless given', () => {
    const serials = Array.from({ length: 20 }, () => root.issue({ commonName: 'workload' }).certificate.serialNumber);
    expect(new Set(serials).size).toBe(serials.length);
    for (const serial of serials) {
      expect(serial.length).toBeLessThanOrEqual(40);
      expect(BigInt(`0x${serial}`) > 0n).toBe(true);
    }
    expect(root.issue({ commonName: 'workload', serialNumber: 0x1234n }).certificate.serialNumber).toBe('1234');
  });

  test('validity dates are the ones asked for, and default within the issuer\'s', () => {
    const notBefore = new Date('2024-01-01T00:00:00Z');
    const notAfter = new Date('2060-06-30T12:00:00Z'); // GeneralizedTime from 2050
    const leaf = root.issue({ commonName: 'workload', notBefore, notAfter });
    expect(new Date(leaf.certificate.validFrom)).toEqual(notBefore);
    expect(new Date(leaf.certificate.validTo)).toEqual(notAfter);

    const shortLived = createCertificateAuthority({ commonName: 'Short-lived Root', notAfter: new Date(Date.now() + 86_400_000) });
    const defaulted = shortLived.issue({ commonName: 'workload' });
    expect(new Date(defaulted.certificate.validTo)).toEqual(new Date(shortLived.certificate.validTo));
  });

  test('bad options are refused with the value and what was expected', () => {
    expect(() => root.issue({ commonName: 'w', keyType: 'dsa' as any })).toThrow("invalid keyType 'dsa': expected 'rsa' or 'ec'");
    expect(() => root.issue({ commonName: 'w', curve: 'P-192' as any })).toThrow("invalid curve 'P-192': expected P-256, P-384 or P-521");
    expect(() => root.issue({ commonName: 'w', keyType: 'rsa', rsaBits: 1024 })).toThrow('invalid rsaBits 1024: expected an integer from 2048 to 8192');
    expect(() => root.issue({ commonName: 'w', serialNumber: 0n })).toThrow('invalid serialNumber 0: expected a positive integer of at most 20 bytes');
    expect(() => root.issue({ commonName: '' })).toThrow("invalid commonName '': expected 1 to 64 characters");
    expect(() => root.issue({ commonName: 'w', subjectAltNames: ['IP:10.0.0'] })).toThrow("invalid IP subject alternative name '10.0.0'");
    const at = new Date('2030-01-01T00:00:00Z');
    expect(() => root.issue({ commonName: 'w', notBefore: at, notAfter: at })).toThrow(
      "invalid validity for 'w': notBefore 2030-01-01T00:00:00.000Z is not before notAfter 2030-01-01T00:00:00.000Z",
    );
    expect(() => createCertificateAuthority({ commonName: 'r', pathLength: -1 })).toThrow('invalid pathLength -1: expected a non-negative integer');
  });
});

describe('chains through intermediate CAs', () => {
  const root = createCertificateAuthority({ commonName: 'Chain Root', keyType: 'rsa' });
  const policy = root.createIntermediate({ commonName: 'Policy CA', keyType: 'rsa' });
  const issuing = policy.createIntermediate({ commonName: 'Issuing CA' });
  const leaf = issuing.issue({ commonName: 'workload', keyType: 'rsa' });

  test('intermediates are CAs signed by their parent', () => {
    expect(policy.certificate.ca).toBe(true);
    expect(policy.certificate.checkIssued(root.certificate)).toBe(true);
    expect(policy.certificate.verify(root.certificate.publicKey)).toBe(true);
    expect(issuing.certificate.verify(policy.certificate.publicKey)).toBe(true);
    expect(readCertificateFields(issuing.certificate).keyUsage).toEqual([KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN]);
  });

  test('a leaf\'s chainPem holds the intermediates, issuer first, without the root', () => {
    const subjects = leaf.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!.map((pem) => new X509Certificate(pem).subject);
    expect(subjects).toEqual(['CN=Issuing CA', 'CN=Policy CA']);
    expect(issuing.chainPem).toBe(policy.certificatePem);
  });

  test('OpenSSL verifies the chain to the root', () => {
    const result = opensslVerify(root.certificatePem, leaf.certificatePem, leaf.chainPem);
    expect(result.output).toMatch(/: OK/);
    expect(result.ok).toBe(true);
  });

  test('OpenSSL refuses the chain without its intermediates, or against another root', () => {
    expect(opensslVerify(root.certificatePem, leaf.certificatePem, '').ok).toBe(false);
    const other = createCertificateAuthority({ commonName: 'Chain Root' });
    const result = opensslVerify(other.certificatePem, leaf.certificatePem, leaf.chainPem);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unable to get local issuer certificate|certificate signature failure/);
  });

  test('OpenSSL refuses a chain longer than a CA\'s path length allows', () => {
    const strict = createCertificateAuthority({ commonName: 'Strict Root', pathLength: 0 });
    const below = strict.createIntermediate({ commonName: 'Too Deep CA' });
    const workload = below.issue({ commonName: 'workload' });
    const result = opensslVerify(strict.certificatePem, workload.certificatePem, workload.chainPem);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/path length constraint exceeded/);
  });
});
