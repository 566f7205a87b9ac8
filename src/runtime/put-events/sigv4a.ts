/**
 * SigV4a (`AWS4-ECDSA-P256-SHA256`) of the lean transport's one request shape, for PutEvents
 * through an EventBridge global endpoint: the canonical request is SigV4's (plus the signed
 * `x-amz-region-set` header), the credential scope has no region, and the string to sign is
 * signed with ECDSA P-256 over SHA-256 by a key derived from the secret access key.
 * node:crypto does the cryptography (OpenSSL, part of Node: no add-on, nothing to bundle).
 *
 * The derivation is the costly part (an HMAC per counter step, a scalar multiplication for the
 * public point, a key object), and it depends on the key pair alone, not on the day or region:
 * it is cached per access key and secret, as SigV4's signing key is cached per day.
 * signing-sigv4a.ts checks this signer against `@smithy/signature-v4a` on a client's first request.
 */
import { createECDH, createHash, createHmac, createPrivateKey, createPublicKey, KeyObject, sign as ecdsaSign } from 'node:crypto';
import type { Identity, UnsignedRequest } from './sigv4';

export const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';
/** A global endpoint's region set: every region (the ruleset's `signingRegionSet: ["*"]`). */
export const ANY_REGION = '*';

/** Order of the P-256 group, less 2: the KDF's output `c` is usable when `c <= n - 2`, and the key is `c + 1`. */
const N_MINUS_TWO = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632549') - 2n;

/** The ECDSA P-256 key pair SigV4a derives from a secret, and the public key, for checks. */
export interface SigV4aKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * The SigV4a key of a key pair: NIST SP 800-108 KDF in counter mode, HMAC-SHA256 keyed with
 * `AWS4A<secret>`, label `AWS4-ECDSA-P256-SHA256`, context `<accessKeyId><counter byte>`, 256
 * bits out; the first output `c` with `c <= n - 2` gives the private scalar `c + 1` (the counter
 * runs from 1 to 254, as the SDK's and the CRT's signers do).
 * @throws Error when no counter gives a usable scalar (odds about 2^-8000)
 */
export function deriveSigV4aKeyPair(accessKeyId: string, secretAccessKey: string): SigV4aKeyPair {
  const inputKey = Buffer.from(`AWS4A${secretAccessKey}`, 'utf8');
  const label = Buffer.from(SIGV4A_ALGORITHM, 'ascii');
  const id = Buffer.from(accessKeyId, 'utf8');
  for (let counter = 1; counter <= 254; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]), // i = 1: one block of 256 bits is all that is needed
      label,
      Buffer.from([0]),
      id,
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]), // L = 256 bits
    ]);
    const c = BigInt(`0x${createHmac('sha256', inputKey).update(fixedInput).digest('hex')}`);
    if (c > N_MINUS_TWO) continue;
    const d = Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // uncompressed: 04 || x || y
    const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
    return {
      privateKey: createPrivateKey({ key: { ...jwk, d: d.toString('base64url') }, format: 'jwk' }),
      publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
    };
  }
  throw new Error('SigV4a key derivation found no usable key for this access key: expected one within 254 counter values');
}

/** The parts of one signature that a check against another signer compares. */
export interface SigV4aSignature {
  /** The signed headers as a flat `[name, value, ...]` list, `authorization` last. */
  readonly headers: string[];
  readonly stringToSign: string;
  readonly keyPair: SigV4aKeyPair;
}

/** The header names of the last request signed, sorted, with the canonical values of the last values seen. */
interface HeaderLayout {
  readonly keys: string[];
  readonly withToken: boolean;
  readonly names: string[];
  readonly signedHeaders: string;
  readonly raw: string[];
  readonly canonical: string[];
}

/**
 * Signs requests of plain paths (see `PLAIN_PATH` in sigv4.ts; the caller checks) for one
 * service and the region set `*`. The key pair is derived again only when the access key or
 * secret changes.
 */
export class PlainPathSigV4aSigner {
  private lastKey?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly keyPair: SigV4aKeyPair };
  private layout?: HeaderLayout;
  private lastSecond = NaN;
  private lastAmzDate = '';
  /** Key pair derivations so far: one per key pair seen (bench and tests read it). */
  public derivations = 0;

  constructor(
    private readonly credentials: () => Promise<Identity>,
    private readonly service: string,
    private readonly regionSet: string = ANY_REGION,
  ) {}

  /**
   * The signed headers as a flat `[name, value, ...]` list, the shape `http.request` takes as it
   * is: the request's own, `x-amz-date`, `x-amz-region-set`, `x-amz-security-token` for a
   * session, and `authorization` last.
   */
  public async signToList(request: UnsignedRequest, signingDate: Date): Promise<string[]> {
    return (await this.signDetailed(request, signingDate)).headers;
  }

  /** {@link signToList} with the string to sign and the key pair, for the first request's check. */
  public async signDetailed(request: UnsignedRequest, signingDate: Date): Promise<SigV4aSignature> {
    const identity = await this.credentials();
    const keyPair = this.keyPairOf(identity);
    const longDate = this.amzDate(signingDate);
    const token = identity.sessionToken ? identity.sessionToken : undefined;
    const { names, raw, canonical: values, signedHeaders } = this.layoutFor(request.headers, token !== undefined);
    const headers: string[] = [];
    let canonicalHeaders = '';
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = name === 'x-amz-date' ? longDate
        : name === 'x-amz-region-set' ? this.regionSet
          : name === 'x-amz-security-token' ? token! : request.headers[name];
      headers.push(name, value);
      // Most values are the very strings of the last request: their canonical form is remembered.
      if (value !== raw[i]) {
        raw[i] = value;
        values[i] = value.trim().replace(/\s+/g, ' ');
      }
      canonicalHeaders += `${name}:${values[i]}\n`;
    }
    const canonical = `${request.method}\n${request.path}\n\n${canonicalHeaders}\n${signedHeaders}\n${request.headers['x-amz-content-sha256']}`;
    const scope = `${longDate.slice(0, 8)}/${this.service}/aws4_request`;
    const stringToSign = `${SIGV4A_ALGORITHM}\n${longDate}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    // The key object alone: DER is node's encoding for ECDSA by default, and no options object is read per request.
    const signature = ecdsaSign('sha256', Buffer.from(stringToSign, 'utf8'), keyPair.privateKey).toString('hex');
    headers.push('authorization', `${SIGV4A_ALGORITHM} Credential=${identity.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
    return { headers, stringToSign, keyPair };
  }

  /**
   * The sorted names to sign for these header names, worked out again only when the names change
   * (as PlainPathSigner's in sigv4.ts): the lean transport sends the same ones on every request.
   */
  private layoutFor(headers: Record<string, string>, withToken: boolean): HeaderLayout {
    const keys = Object.keys(headers);
    const last = this.layout;
    if (last && last.withToken === withToken && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i])) return last;
    const names = [...new Set([...keys, 'x-amz-date', 'x-amz-region-set', ...(withToken ? ['x-amz-security-token'] : [])])].sort();
    this.layout = { keys, withToken, names, signedHeaders: names.join(';'), raw: names.map(() => ''), canonical: names.map(() => '') };
    return this.layout;
  }

  /** By value, as SignatureV4's own cache: a provider may rotate keys inside the same object. */
  private keyPairOf(identity: Identity): SigV4aKeyPair {
    const last = this.lastKey;
    if (last && last.accessKeyId === identity.accessKeyId && last.secretAccessKey === identity.secretAccessKey) return last.keyPair;
    const keyPair = deriveSigV4aKeyPair(identity.accessKeyId, identity.secretAccessKey);
    this.derivations++;
    this.lastKey = { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, keyPair };
    return keyPair;
  }

  /** `YYYYMMDDTHHMMSSZ`, worked out once a second. */
  private amzDate(date: Date): string {
    const second = Math.floor(date.getTime() / 1000);
    if (second !== this.lastSecond) {
      const iso = date.toISOString();
      this.lastAmzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
      this.lastSecond = second;
    }
    return this.lastAmzDate;
  }
}
