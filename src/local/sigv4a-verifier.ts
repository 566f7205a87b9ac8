/**
 * Checks a SigV4a (`AWS4-ECDSA-P256-SHA256`) request the way an AWS service does, written from
 * the specification apart from the runtime's signer (which shares no code with it): the canonical
 * request is rebuilt from what arrived (path encoded again, query sorted, the signed headers'
 * values trimmed, the body hashed here), the public key is derived from the secret access key by
 * the SigV4a KDF and turned into a key through a SEC1 structure that OpenSSL completes, and the
 * DER signature must verify over the string to sign. The region set must include the serving
 * region, and `X-Amz-Date` must be within 5 minutes of the service's clock.
 *
 * The answers are those of AWS JSON services: `MissingAuthenticationTokenException`,
 * `IncompleteSignatureException`, `UnrecognizedClientException`, `InvalidSignatureException`
 * ("Signature expired: ...", "Credential should be scoped to a valid region", "The request
 * signature we calculated does not match ...").
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, KeyObject, verify } from 'node:crypto';
import { definedOnly } from '../contract/defined-only';

/** A request as the HTTP server received it; header names in lowercase. */
export interface SignedArrival {
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  readonly path: string;
  /** The query string as sent, without `?`. @default '' */
  readonly rawQuery?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string | Buffer;
}

export interface SigV4aVerifyOptions {
  /** The secret of an access key id, or `undefined` for one the service does not know. */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** The region serving the request; the region set must include it. */
  readonly region: string;
  /** The service of the credential scope, e.g. `events`. */
  readonly service: string;
  /** The service's clock. @default new Date() */
  readonly now?: Date;
}

/** Why a request was refused: what the service answers. */
export class SigV4aRefusal extends Error {
  constructor(public readonly code: string, message: string, public readonly status = 400) {
    super(message);
    this.name = code;
  }
}

export interface VerifiedRequest {
  readonly accessKeyId: string;
  readonly regionSet: readonly string[];
  readonly signedAt: Date;
  readonly sessionToken?: string;
}

const ALGORITHM = 'AWS4-ECDSA-P256-SHA256';
const SKEW_MS = 5 * 60_000;
/** The P-256 group order n minus 2, big-endian. */
const ORDER_MINUS_TWO = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f', 'hex');
/** SEC1 `ECPrivateKey` for P-256 without the public key: `30 31 02 01 01 04 20 <d> a0 0a 06 08 <prime256v1 OID>`. */
const SEC1_HEAD = Buffer.from('30310201010420', 'hex');
const SEC1_TAIL = Buffer.from('a00a06082a8648ce3d030107', 'hex');

const publicKeys = new Map<string, KeyObject>();

/**
 * The SigV4a public key of a key pair (kept for the process: the derivation costs more than a verification).
 * @throws SigV4aRefusal when no counter gives a key (never seen)
 */
export function sigV4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  const id = `${accessKeyId}\n${secretAccessKey}`;
  const known = publicKeys.get(id);
  if (known) return known;
  const hmacKey = Buffer.concat([Buffer.from('AWS4A'), Buffer.from(secretAccessKey)]);
  for (let counter = 1; counter < 255; counter++) {
    const input = Buffer.concat([
      Buffer.from('00000001', 'hex'),
      Buffer.from(`${ALGORITHM}\0${accessKeyId}`),
      Buffer.of(counter),
      Buffer.from('00000100', 'hex'),
    ]);
    const candidate = createHmac('sha256', hmacKey).update(input).digest();
    if (Buffer.compare(candidate, ORDER_MINUS_TWO) > 0) continue;
    const scalar = addOne(candidate);
    const privateKey = createPrivateKey({ key: Buffer.concat([SEC1_HEAD, scalar, SEC1_TAIL]), format: 'der', type: 'sec1' });
    const publicKey = createPublicKey(privateKey);
    publicKeys.set(id, publicKey);
    return publicKey;
  }
  throw new SigV4aRefusal('InvalidSignatureException', 'no SigV4a key can be derived for this access key');
}

/** Verifies the request or throws the {@link SigV4aRefusal} the service would answer. */
export function verifySigV4a(request: SignedArrival, options: SigV4aVerifyOptions): VerifiedRequest {
  const now = options.now ?? new Date();
  const authorization = one(request.headers.authorization);
  if (authorization === undefined) throw new SigV4aRefusal('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  const m = /^(\S+) Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;_.-]+), ?Signature=([0-9a-f]+)$/.exec(authorization);
  if (!m) {
    throw new SigV4aRefusal('IncompleteSignatureException', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization.slice(0, 100)}`);
  }
  const [, algorithm, accessKeyId, day, service, signedList, signature] = m;
  if (algorithm !== ALGORITHM) {
    throw new SigV4aRefusal('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm.slice(0, 40)}' (a global endpoint takes ${ALGORITHM})`);
  }
  if (service !== options.service) throw new SigV4aRefusal('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'.`);
  const signed = signedList.split(';');
  for (const needed of ['host', 'x-amz-date', 'x-amz-region-set']) {
    if (!signed.includes(needed)) throw new SigV4aRefusal('InvalidSignatureException', `'${needed}' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  const token = one(request.headers['x-amz-security-token']);
  if (token !== undefined && !signed.includes('x-amz-security-token')) {
    throw new SigV4aRefusal('InvalidSignatureException', "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const amzDate = one(request.headers['x-amz-date']) ?? '';
  const signedAt = parseDate(amzDate);
  if (signedAt === undefined) throw new SigV4aRefusal('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate.slice(0, 40)}'.`);
  if (amzDate.slice(0, 8) !== day) throw new SigV4aRefusal('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${amzDate.slice(0, 8)}'`);
  if (signedAt.getTime() < now.getTime() - SKEW_MS) {
    throw new SigV4aRefusal('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${basic(new Date(now.getTime() - SKEW_MS))} (${basic(now)} - 5 min.)`);
  }
  if (signedAt.getTime() > now.getTime() + SKEW_MS) {
    throw new SigV4aRefusal('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${basic(new Date(now.getTime() + SKEW_MS))} (${basic(now)} + 5 min.)`);
  }

  const regionSet = (one(request.headers['x-amz-region-set']) ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
  if (!regionSet.some((pattern) => regionMatches(pattern, options.region))) {
    throw new SigV4aRefusal('InvalidSignatureException', `Credential should be scoped to a valid region: the region set '${regionSet.join(',').slice(0, 100)}' does not include '${options.region}'.`);
  }

  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) throw new SigV4aRefusal('UnrecognizedClientException', 'The security token included in the request is invalid.');

  const canonical = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.rawQuery ?? ''),
    signed.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join(''),
    signedList,
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
  const claimed = one(request.headers['x-amz-content-sha256']);
  const toSign = `${ALGORITHM}\n${amzDate}\n${day}/${service}/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
  const good = (claimed === undefined || claimed === createHash('sha256').update(request.body).digest('hex'))
    && signature.length % 2 === 0
    && verifySafely(sigV4aPublicKey(accessKeyId, secret), toSign, signature);
  if (!good) {
    throw new SigV4aRefusal('InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
  return definedOnly({ accessKeyId, regionSet, signedAt, sessionToken: token });
}

function verifySafely(key: KeyObject, toSign: string, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(toSign), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'hex'));
  } catch {
    return false; // not DER
  }
}

function addOne(value: Buffer): Buffer {
  const out = Buffer.from(value);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === 0xff) {
      out[i] = 0;
    } else {
      out[i]++;
      break;
    }
  }
  return out;
}

/** `*`, a region, or a pattern with `*` in it (`us-*`), as region sets allow. */
function regionMatches(pattern: string, region: string): boolean {
  if (!pattern.includes('*')) return pattern === region;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  return regex.test(region);
}

/** RFC 3986 encoding, `~` and unreserved characters left as they are. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every service but S3 encodes the path a second time: each segment as it arrived, encoded again. */
function canonicalPath(path: string): string {
  if (path === '' || path === '/') return '/';
  return path.split('/').map(encode).join('/');
}

function canonicalQuery(raw: string): string {
  if (raw === '') return '';
  const pairs = raw.split('&').filter((p) => p !== '').map((pair) => {
    const at = pair.indexOf('=');
    const name = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    return [encode(name), encode(value)] as const;
  });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function headerValue(value: string | string[] | undefined): string {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((v) => v.trim().replace(/ +/g, ' ')).join(',');
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function basic(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
