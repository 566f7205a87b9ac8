/**
 * Path validation on its own, including certificates our PKI will not write (SHA-1, version 1,
 * a non-CA issuer, no digitalSignature), which OpenSSL makes for us.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCertificateChain } from '../../src/local/certificate-chain';
import { createCertificateAuthority } from '../../src/local/certificates';

const dir = mkdtempSync(join(tmpdir(), 'certificate-chain-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = createCertificateAuthority({ commonName: 'Chain Root' });
const policy = root.createIntermediate({ commonName: 'Policy CA' });
const issuing = policy.createIntermediate({ commonName: 'Issuing CA' });

writeFileSync(join(dir, 'root.pem'), root.certificatePem);
writeFileSync(join(dir, 'root.key'), root.privateKeyPem);

/** A certificate for `subject` signed by the root with OpenSSL, with the given extensions and digest. */
function opensslIssued(subject: string, options: { extensions?: string; digest?: string } = {}): X509Certificate {
  const key = join(dir, `${subject}.key`);
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  execFileSync('openssl', ['req', '-new', '-key', key, '-subj', `/CN=${subject}`, '-out', join(dir, `${subject}.csr`)]);
  const args = ['x509', '-req', '-in', join(dir, `${subject}.csr`), '-CA', join(dir, 'root.pem'), '-CAkey', join(dir, 'root.key'), '-days', '2', `-${options.digest ?? 'sha256'}`, '-out', join(dir, `${subject}.pem`)];
  if (options.extensions) {
    writeFileSync(join(dir, `${subject}.ext`), options.extensions);
    args.push('-extfile', join(dir, `${subject}.ext`));
  }
  execFileSync('openssl', args, { stdio: 'pipe' });
  return new X509Certificate(readFileSync(join(dir, `${subject}.pem`)));
}

const LEAF_EXTENSIONS = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n';

describe('a valid chain', () => {
  test('is returned leaf first, up to the anchor\'s CA', () => {
    const leaf = issuing.issue({ commonName: 'workload' });
    const intermediates = [issuing.certificate, policy.certificate];
    const path = verifyCertificateChain({ leaf: leaf.certificate, intermediates, anchors: [root.certificate], at: new Date() });
    expect(path.map((c) => c.subject)).toEqual(['CN=workload', 'CN=Issuing CA', 'CN=Policy CA', 'CN=Chain Root']);
  });

  test('is found whatever the order of the intermediates, and unrelated ones are ignored', () => {
    const leaf = issuing.issue({ commonName: 'workload' });
    const unrelated = createCertificateAuthority({ commonName: 'Unrelated CA' }).certificate;
    const intermediates = [unrelated, policy.certificate, issuing.certificate];
    const path = verifyCertificateChain({ leaf: leaf.certificate, intermediates, anchors: [root.certificate], at: new Date() });
    expect(path).toHaveLength(4);
  });

  test('may end at an intermediate the trust anchor holds', () => {
    const leaf = issuing.issue({ commonName: 'workload' });
    const path = verifyCertificateChain({ leaf: leaf.certificate, intermediates: [], anchors: [issuing.certificate], at: new Date() });
    expect(path.map((c) => c.subject)).toEqual(['CN=workload', 'CN=Issuing CA']);
  });

  test('OpenSSL\'s own certificates pass when they meet the rules', () => {
    const leaf = opensslIssued('openssl-leaf', { extensions: LEAF_EXTENSIONS });
    expect(verifyCertificateChain({ leaf, intermediates: [], anchors: [root.certificate], at: new Date() })).toHaveLength(2);
  });
});

describe('a refused chain says which certificate breaks which rule', () => {
  test('a certificate signed with SHA-1', () => {
    const leaf = opensslIssued('sha1-leaf', { extensions: LEAF_EXTENSIONS, digest: 'sha1' });
    expect(() => verifyCertificateChain({ leaf, intermediates: [], anchors: [root.certificate], at: new Date() })).toThrow(
      /^certificate 'CN=sha1-leaf' \(serial [0-9A-F]+\) is signed with algorithm 1\.2\.840\.10045\.4\.1: expected SHA-256 or stronger with RSA or ECDSA$/);
  });

  test('an X.509 version 1 certificate', () => {
    const leaf = opensslIssued('v1-leaf');
    expect(() => verifyCertificateChain({ leaf, intermediates: [], anchors: [root.certificate], at: new Date() })).toThrow(
      /^certificate 'CN=v1-leaf' .* is X\.509 version 1: expected version 3$/);
  });

  test('an end-entity certificate without digitalSignature', () => {
    const leaf = opensslIssued('encipher-only', { extensions: 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\n' });
    expect(() => verifyCertificateChain({ leaf, intermediates: [], anchors: [root.certificate], at: new Date() })).toThrow(
      /^certificate 'CN=encipher-only' .* may not sign: expected keyUsage with digitalSignature$/);
  });

  test('an issuer that is not a CA', () => {
    const notCa = opensslIssued('not-a-ca', { extensions: 'basicConstraints=critical,CA:FALSE\n' });
    writeFileSync(join(dir, 'not-a-ca.crt'), notCa.toString());
    const leafKey = join(dir, 'below.key');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', leafKey]);
    execFileSync('openssl', ['req', '-new', '-key', leafKey, '-subj', '/CN=below', '-out', join(dir, 'below.csr')]);
    writeFileSync(join(dir, 'below.ext'), LEAF_EXTENSIONS);
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'below.csr'), '-CA', join(dir, 'not-a-ca.crt'), '-CAkey', join(dir, 'not-a-ca.key'),
      '-days', '1', '-sha256', '-extfile', join(dir, 'below.ext'), '-out', join(dir, 'below.pem')], { stdio: 'pipe' });
    const leaf = new X509Certificate(readFileSync(join(dir, 'below.pem')));
    expect(() => verifyCertificateChain({ leaf, intermediates: [notCa], anchors: [root.certificate], at: new Date() })).toThrow(
      /^certificate 'CN=not-a-ca' .* signed another certificate but is not a CA: expected basicConstraints CA:true$/);
  });

  test('a chain checked at a time when the anchor\'s CA had expired', () => {
    const leaf = issuing.issue({ commonName: 'workload', notAfter: new Date(Date.now() + 20 * 365 * 86_400_000) });
    const later = new Date(Date.now() + 15 * 365 * 86_400_000);
    const intermediates = [issuing.certificate, policy.certificate];
    expect(() => verifyCertificateChain({ leaf: leaf.certificate, intermediates, anchors: [root.certificate], at: later })).toThrow(
      /^certificate 'CN=Issuing CA' .* expired at /);
  });
});
