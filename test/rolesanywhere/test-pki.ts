// A throwaway PKI made with openssl for the Roles Anywhere tests: CAs, a leaf, and a CRL.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly dir: string;
  /** `CN=Test Root CA`, the CA that signs the leaf and the CRL. */
  readonly caPem: string;
  readonly secondCaPem: string;
  readonly thirdCaPem: string;
  /** `CN=app.example.com`, an end-entity certificate (CA:FALSE). */
  readonly leafPem: string;
  readonly crlPem: string;
  readonly crlDer: Buffer;
  /** Paths of the CA bundle (first CA), the CRL in PEM and in DER. */
  readonly caFile: string;
  readonly crlPemFile: string;
  readonly crlDerFile: string;
  readonly cleanup: () => void;
}

const CA_EXTENSIONS = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'rolesanywhere-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const file = (name: string) => join(dir, name);

  const selfSignedCa = (name: string, cn: string) => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${cn}`, ...CA_EXTENSIONS);
    return readFileSync(file(`${name}.pem`), 'utf8');
  };
  const caPem = selfSignedCa('ca', 'Test Root CA');
  const secondCaPem = selfSignedCa('ca2', 'Second Test CA');
  const thirdCaPem = selfSignedCa('ca3', 'Third Test CA');

  writeFileSync(file('leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=app.example.com');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '30', '-extfile', 'leaf.ext', '-out', 'leaf.pem');

  // `openssl ca -gencrl` needs a CA database; one revoked certificate makes the CRL non-trivial.
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('crlnumber'), '01\n');
  writeFileSync(file('ca.cnf'), [
    '[ ca ]', 'default_ca = test_ca',
    '[ test_ca ]', 'database = ./index.txt', 'crlnumber = ./crlnumber', 'default_md = sha256', 'default_crl_days = 30',
  ].join('\n'));
  openssl('ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-revoke', 'leaf.pem');
  openssl('ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-gencrl', '-out', 'crl.pem');
  openssl('crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der');

  return {
    dir,
    caPem,
    secondCaPem,
    thirdCaPem,
    leafPem: readFileSync(file('leaf.pem'), 'utf8'),
    crlPem: readFileSync(file('crl.pem'), 'utf8'),
    crlDer: readFileSync(file('crl.der')),
    caFile: file('ca.pem'),
    crlPemFile: file('crl.pem'),
    crlDerFile: file('crl.der'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The committed CA fixtures whose validity window lies in the past or the future. */
export const FIXTURES = {
  expiredCa: join(__dirname, '..', 'fixtures', 'certs', 'expired-ca.pem'),
  notYetValidCa: join(__dirname, '..', 'fixtures', 'certs', 'not-yet-valid-ca.pem'),
};
