// Inputs shared by the construct tests: the example CA the repository ships, a client certificate,
// and a fresh stack per test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { App, Stack, StackProps } from 'aws-cdk-lib';

/** The CA certificate the reference app trusts (valid ten years from its creation). */
export const EXAMPLE_CA_PATH = 'examples/reference/example-ca.pem';
export const EXAMPLE_CA = readFileSync(EXAMPLE_CA_PATH, 'utf8');

/** A self-signed RSA certificate standing in for an application's client certificate. */
export const CLIENT_CERTIFICATE_PATH = 'test/fixtures/vectors/rsa-selfsigned/testcert.pem';
export const CLIENT_CERTIFICATE = readFileSync(CLIENT_CERTIFICATE_PATH, 'utf8');

/** SHA-256 fingerprint of a PEM certificate file as OpenSSL computes it, in lowercase hex. */
export function opensslFingerprint(path: string): string {
  const out = execFileSync('openssl', ['x509', '-in', path, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  return out.trim().split('=')[1].replace(/:/g, '').toLowerCase();
}

export function newStack(id = 'Connector', props: StackProps = {}): Stack {
  return new Stack(new App(), id, props);
}
