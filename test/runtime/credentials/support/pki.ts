/**
 * Certificates and keys for the tests, made by the openssl CLI in a temporary directory so
 * that every format is one a real user would hold (and none of it is committed).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec = 'rsa1024' | 'rsa2048' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519';

const GENPKEY: Record<KeySpec, string[]> = {
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ED25519'],
};

/** A certificate and its key, as file paths (PEM; the key in PKCS#8). */
export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export interface IssueOptions {
  readonly issuer?: Issued;
  readonly ca?: boolean;
  readonly days?: number;
  /** Reuse an existing key instead of generating one. */
  readonly key?: string;
}

export class Pki {
  static create(): Pki {
    return new Pki(mkdtempSync(join(tmpdir(), 'credentials-test-')));
  }

  private constructor(public readonly dir: string) {}

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  text(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  key(name: string, spec: KeySpec): string {
    const file = `${name}.key.pem`;
    this.openssl('genpkey', ...GENPKEY[spec], '-out', file);
    return file;
  }

  /** A certificate for `CN=<name>`: self-signed without an issuer, else signed by it. */
  issue(name: string, spec: KeySpec, options: IssueOptions = {}): Issued {
    const key = options.key ?? this.key(name, spec);
    const cert = `${name}.cert.pem`;
    const ext = `${name}.ext`;
    writeFileSync(this.path(ext), options.ca
      ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n'
      : 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\n');
    // A random 16-byte serial, so the decimal serial in Authorization is exercised beyond 64 bits.
    const serial = `0x${randomBytes(16).toString('hex')}`;
    const days = String(options.days ?? 30);
    this.openssl('req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
    if (options.issuer) {
      this.openssl('x509', '-req', '-in', `${name}.csr`, '-CA', options.issuer.cert, '-CAkey', options.issuer.key,
        '-set_serial', serial, '-days', days, '-extfile', ext, '-out', cert);
    } else {
      this.openssl('x509', '-req', '-in', `${name}.csr`, '-signkey', key, '-set_serial', serial, '-days', days, '-extfile', ext, '-out', cert);
    }
    return { cert, key };
  }

  /** `openssl pkcs12 -export` with extra arguments (e.g. `-legacy`, `-certfile chain.pem`). */
  pkcs12(name: string, issued: Issued, password: string, ...extra: string[]): string {
    const file = `${name}.p12`;
    this.openssl('pkcs12', '-export', '-in', issued.cert, '-inkey', issued.key, '-passout', `pass:${password}`, '-out', file, ...extra);
    return file;
  }

  /** Writes the concatenation of PEM files (a bundle) and returns its name. */
  bundle(name: string, ...files: string[]): string {
    writeFileSync(this.path(name), files.map((f) => this.text(f)).join(''));
    return name;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
