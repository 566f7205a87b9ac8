/* eslint-disable no-bitwise -- DER length octets, and one flipped bit */
/**
 * ML-DSA PKCS#8 keys whose parts disagree: the `both` form with the seed of one key pair and the
 * expanded key of another (which signed with the seed and was never checked), and damaged
 * expanded keys. Each is refused as OpenSSL refuses it; the intact vectors (OpenSSL 3.5's
 * output, /work/shared/vectors/mldsa) load in every form.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateError } from '../../../src/runtime/credentials/errors';
import { readMlDsaPrivateKey, schemeOf, MlDsaVariant } from '../../../src/runtime/credentials/ml-dsa';
import { runCli } from '../../cli/support/run-cli';

const VECTORS = '/work/shared/vectors/mldsa';
const OIDS: Record<MlDsaVariant, string> = { 'ML-DSA-44': '608648016503040311', 'ML-DSA-65': '608648016503040312', 'ML-DSA-87': '608648016503040313' };
const VARIANTS: Array<[MlDsaVariant, string]> = [['ML-DSA-44', 'mldsa44'], ['ML-DSA-65', 'mldsa65'], ['ML-DSA-87', 'mldsa87']];

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** PrivateKeyInfo { version 0, { id-ml-dsa-* }, OCTET STRING { privateKey } } */
function pkcs8(variant: MlDsaVariant, privateKey: Buffer): Buffer {
  const algorithm = tlv(0x30, tlv(0x06, Buffer.from(OIDS[variant], 'hex')));
  return tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), algorithm, tlv(0x04, privateKey)]));
}
const both = (variant: MlDsaVariant, seed: Buffer, expanded: Uint8Array) =>
  pkcs8(variant, tlv(0x30, Buffer.concat([tlv(0x04, seed), tlv(0x04, Buffer.from(expanded))])));
const seedOnly = (variant: MlDsaVariant, seed: Buffer) => pkcs8(variant, tlv(0x80, seed));
const expandedOnly = (variant: MlDsaVariant, expanded: Uint8Array) => pkcs8(variant, tlv(0x04, Buffer.from(expanded)));

const read = (key: Buffer) => readMlDsaPrivateKey(key, false, undefined, 'privateKey');

function refusal(key: Buffer): string {
  try {
    read(key);
  } catch (e) {
    expect(e).toBeInstanceOf(CertificateError);
    expect((e as CertificateError).code).toBe('InvalidPrivateKey');
    return (e as Error).message;
  }
  throw new Error('the key was accepted');
}

describe.each(VARIANTS)('%s', (variant, name) => {
  const vector = der(readFileSync(`${VECTORS}/${name}-key-pkcs8.pem`, 'utf8'));
  const loaded = read(vector)!;
  const scheme = schemeOf(variant);
  const other = scheme.keygen(randomBytes(32));

  test('the OpenSSL vector (both form) loads; the same key as seed only and as expanded only gives the same signing key', () => {
    expect(loaded.variant).toBe(variant);
    // ... 04 20 <seed> 04 82 LL LL <expanded key>
    const at = vector.indexOf(Buffer.from(loaded.secretKey));
    const seed = vector.subarray(at - 36, at - 4);
    expect(Buffer.from(scheme.keygen(seed).secretKey).equals(Buffer.from(loaded.secretKey))).toBe(true);
    expect(Buffer.from(read(seedOnly(variant, seed))!.secretKey)).toEqual(Buffer.from(loaded.secretKey));
    expect(Buffer.from(read(expandedOnly(variant, loaded.secretKey))!.secretKey)).toEqual(Buffer.from(loaded.secretKey));
    expect(Buffer.from(read(both(variant, seed, loaded.secretKey))!.secretKey)).toEqual(Buffer.from(loaded.secretKey));
  });

  test('the both form with the seed of one key pair and the expanded key of another is refused', () => {
    const at = vector.indexOf(Buffer.from(loaded.secretKey));
    // The vector itself, its expanded key swapped for another pair's of the same size.
    const forged = Buffer.concat([vector.subarray(0, at), Buffer.from(other.secretKey), vector.subarray(at + loaded.secretKey.length)]);
    expect(refusal(forged)).toBe(`privateKey holds an ${variant} key whose seed and expanded key belong to different key pairs: expected the expanded key derived from the seed (OpenSSL refuses such a key too)`);
  });

  test('an expanded key with one byte changed in s1, in tr, or of the wrong size is refused', () => {
    for (const offset of [0, 64, 127, 128, 200]) { // rho, tr, s1
      const damaged = Buffer.from(loaded.secretKey);
      damaged[offset] ^= 0x01;
      expect(refusal(expandedOnly(variant, damaged))).toBe(`privateKey holds an ${variant} expanded key that is not consistent (its tr is not the hash of the public key it gives): expected an undamaged key`);
    }
    expect(refusal(expandedOnly(variant, loaded.secretKey.subarray(1)))).toBe(`privateKey holds an ${variant} expanded key of ${loaded.secretKey.length - 1} bytes: expected ${loaded.secretKey.length}`);
  });
});

test('sign-string refuses the forged key with the same message instead of signing with its seed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mldsa-forged-'));
  try {
    const vector = der(readFileSync(`${VECTORS}/mldsa65-key-pkcs8.pem`, 'utf8'));
    const loaded = read(vector)!;
    const at = vector.indexOf(Buffer.from(loaded.secretKey));
    const forged = Buffer.concat([vector.subarray(0, at), Buffer.from(schemeOf('ML-DSA-65').keygen(randomBytes(32)).secretKey), vector.subarray(at + loaded.secretKey.length)]);
    const file = join(dir, 'forged.pem');
    writeFileSync(file, `-----BEGIN PRIVATE KEY-----\n${forged.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`);
    const run = await runCli(['sign-string', '--private-key', file], { stdin: Buffer.from('data') });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('eventbridge-connector sign-string: --private-key holds an ML-DSA-65 key whose seed and expanded key belong to different key pairs: expected the expanded key derived from the seed (OpenSSL refuses such a key too)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
