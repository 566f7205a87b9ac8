/**
 * SigV4 for the lean transport's one request shape: `POST` of a JSON body to the endpoint's path,
 * no query, the same fixed set of headers every time. `@smithy/signature-v4` is the reference:
 * the signing key comes from its `getSigningKey` (and its signing-key cache), and every signer
 * checks itself against a full `SignatureV4` signature on its first request; a request shape it
 * cannot vouch for (a path that needs escaping, a disagreement in the check) is signed by
 * `SignatureV4` itself from then on.
 *
 * Why not `SignatureV4.sign` for every request: measured on the bench, its general machinery
 * (cloning the request, filtering headers against lists, a dozen awaits, hashing through the
 * SDK's hash wrapper) costs 30 to 45 microseconds per request, 3 to 4 per event: about a quarter
 * of the whole lean transport's CPU. The canonical request of a fixed shape is a string
 * template; the cryptography is node:crypto's either way.
 */
import { createHash, createHmac } from 'node:crypto';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';

export interface Identity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The request before signing: lowercase header names, including `host` and `x-amz-content-sha256`. */
export interface UnsignedRequest {
  readonly method: 'POST';
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, never>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Sha256Constructor = ConstructorParameters<typeof SignatureV4>[0]['sha256'];

/** Paths whose canonical form is themselves: no characters to escape, no `.` or `..` segments. */
const PLAIN_PATH = /^\/(?:[A-Za-z0-9\-_~]+(?:\.[A-Za-z0-9\-_~]+)*\/?)*$/;

/** The header names a request signs, sorted, and the canonical form of the values last seen at each. */
interface HeaderLayout {
  /** The request's own header names, in its order, that this layout was made for. */
  readonly keys: readonly string[];
  readonly withToken: boolean;
  readonly names: readonly string[];
  readonly signedHeaders: string;
  readonly raw: string[];
  readonly canonical: string[];
}

export class PutEventsSigner {
  /** The reference, and the signer of anything the fast path does not vouch for. */
  public readonly signatureV4: SignatureV4;
  private mode: 'unchecked' | 'fast' | 'reference';
  private lastKey?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly day: string; readonly key: Uint8Array };
  private layout?: HeaderLayout;
  private lastSecond = NaN;
  private lastAmzDate = '';

  constructor(
    private readonly credentials: () => Promise<Identity>,
    private readonly region: string,
    private readonly service: string,
    private readonly sha256: Sha256Constructor,
    path: string,
    uriEscapePath: boolean,
  ) {
    this.signatureV4 = new SignatureV4({ credentials, region, service, sha256, uriEscapePath });
    this.mode = PLAIN_PATH.test(path) ? 'unchecked' : 'reference';
  }

  /** Whether requests are signed by the fast path (after the first request's check). */
  public get fast(): boolean {
    return this.mode === 'fast';
  }

  /** The signed headers: the request's own, `x-amz-date`, `x-amz-security-token` for a session, and `authorization`. */
  public async sign(request: UnsignedRequest, signingDate: Date): Promise<Record<string, string>> {
    const list = await this.signToList(request, signingDate);
    const headers: Record<string, string> = {};
    for (let i = 0; i < list.length; i += 2) headers[list[i]] = list[i + 1];
    return headers;
  }

  /**
   * The signed headers as a flat `[name, value, ...]` list, the shape `http.request` takes as it
   * is: what {@link sign} gives, without building an object per request.
   */
  public async signToList(request: UnsignedRequest, signingDate: Date): Promise<string[]> {
    if (this.mode === 'reference') return flatten(await this.reference(request, signingDate));
    const identity = await this.credentials();
    const longDate = this.amzDate(signingDate);
    const shortDate = longDate.slice(0, 8);
    const last = this.lastKey;
    // By value, as SignatureV4's own cache: a provider may rotate keys inside the same object.
    const key = last && last.day === shortDate && last.accessKeyId === identity.accessKeyId && last.secretAccessKey === identity.secretAccessKey
      ? last.key
      : await this.signingKey(identity, shortDate);
    const headers = this.fastSign(request, longDate, identity, key);
    if (this.mode === 'unchecked') {
      const reference = await this.reference(request, signingDate);
      this.mode = reference.authorization === headers[headers.length - 1] ? 'fast' : 'reference';
      return flatten(reference);
    }
    return headers;
  }

  private async reference(request: UnsignedRequest, signingDate: Date): Promise<Record<string, string>> {
    const signed = await this.signatureV4.sign({ ...request, headers: { ...request.headers } }, {
      signingDate,
      signingRegion: this.region,
      signingService: this.service,
    });
    return signed.headers;
  }

  /** The canonical request of a plain path and no query, as a string template; `authorization` last. */
  private fastSign(request: UnsignedRequest, longDate: string, identity: Identity, key: Uint8Array): string[] {
    const token = identity.sessionToken ? identity.sessionToken : undefined;
    const layout = this.layoutFor(request.headers, token !== undefined);
    const { names, raw, canonical: values } = layout;
    const list: string[] = [];
    let canonicalHeaders = '';
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = name === 'x-amz-date' ? longDate : name === 'x-amz-security-token' ? token! : request.headers[name];
      list.push(name, value);
      // Most values are the very strings of the last request (content type, target, host, user
      // agent, token): their canonical form is remembered rather than computed again.
      if (value !== raw[i]) {
        raw[i] = value;
        values[i] = value.trim().replace(/\s+/g, ' ');
      }
      canonicalHeaders += `${name}:${values[i]}\n`;
    }
    const canonical = `${request.method}\n${request.path}\n\n${canonicalHeaders}\n${layout.signedHeaders}\n${request.headers['x-amz-content-sha256']}`;
    const scope = `${longDate.slice(0, 8)}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
    list.push('authorization', `AWS4-HMAC-SHA256 Credential=${identity.accessKeyId}/${scope}, SignedHeaders=${layout.signedHeaders}, Signature=${signature}`);
    return list;
  }

  /**
   * The sorted names to sign for these header names, worked out again only when the names change:
   * the lean transport sends the same ones on every request.
   */
  private layoutFor(headers: Record<string, string>, withToken: boolean): HeaderLayout {
    const keys = Object.keys(headers);
    const last = this.layout;
    if (last && last.withToken === withToken && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i])) return last;
    const names = [...new Set([...keys, 'x-amz-date', ...(withToken ? ['x-amz-security-token'] : [])])].sort();
    this.layout = { keys, withToken, names, signedHeaders: names.join(';'), raw: names.map(() => ''), canonical: names.map(() => '') };
    return this.layout;
  }

  /** `YYYYMMDDTHHMMSSZ`, worked out once a second. */
  private amzDate(date: Date): string {
    const second = Math.floor(date.getTime() / 1000);
    if (second !== this.lastSecond) {
      const iso = date.toISOString(); // 2026-11-29T12:34:56.789Z
      this.lastAmzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
      this.lastSecond = second;
    }
    return this.lastAmzDate;
  }

  /** The key of `getSigningKey`, asked again (by the caller) only when the day or the key pair changes. */
  private async signingKey(identity: Identity, day: string): Promise<Uint8Array> {
    const key = await getSigningKey(this.sha256, identity, day, this.region, this.service);
    this.lastKey = { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, day, key };
    return key;
  }
}

function flatten(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]);
  return list;
}
