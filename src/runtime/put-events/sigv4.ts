/**
 * SigV4 of the lean transport's one request shape (`POST` of a JSON body to a plain path, no
 * query, the same fixed set of headers every time) with node:crypto alone: the canonical request
 * is a string template. signing.ts checks it against `@smithy/signature-v4` on a client's first
 * request; the Lambda entry (runtime/lambda) uses it as it is, to load none of the SDK, and
 * test/runtime/put-events/sigv4.test.ts holds it to `SignatureV4`'s signatures.
 */
import { createHash, createHmac } from 'node:crypto';

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

/** The SigV4 signing key of a secret for a day (`YYYYMMDD`), region and service. */
export type SigningKeyFunction = (identity: Identity, day: string, region: string, service: string) => Promise<Uint8Array> | Uint8Array;

/** Paths whose canonical form is themselves: no characters to escape, no `.` or `..` segments. */
export const PLAIN_PATH = /^\/(?:[A-Za-z0-9\-_~]+(?:\.[A-Za-z0-9\-_~]+)*\/?)*$/;

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

/** `kSigning` of the SigV4 specification: HMAC-SHA256 down `AWS4<secret>`, day, region, service, `aws4_request`. */
export function nodeSigningKey(identity: Identity, day: string, region: string, service: string): Uint8Array {
  let key: Buffer = createHmac('sha256', `AWS4${identity.secretAccessKey}`).update(day, 'utf8').digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part, 'utf8').digest();
  return key;
}

/**
 * Signs requests of plain paths (see {@link PLAIN_PATH}; the caller checks) for one region and
 * service. The signing key is asked again only when the day or the key pair changes.
 */
export class PlainPathSigner {
  private lastKey?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly day: string; readonly key: Uint8Array };
  private layout?: HeaderLayout;
  private lastSecond = NaN;
  private lastAmzDate = '';

  constructor(
    private readonly credentials: () => Promise<Identity>,
    private readonly region: string,
    private readonly service: string,
    private readonly signingKey: SigningKeyFunction = nodeSigningKey,
  ) {}

  /**
   * The signed headers as a flat `[name, value, ...]` list, the shape `http.request` takes as it
   * is: the request's own, `x-amz-date`, `x-amz-security-token` for a session, and
   * `authorization` last.
   */
  public async signToList(request: UnsignedRequest, signingDate: Date): Promise<string[]> {
    const identity = await this.credentials();
    const longDate = this.amzDate(signingDate);
    const shortDate = longDate.slice(0, 8);
    const last = this.lastKey;
    // By value, as SignatureV4's own cache: a provider may rotate keys inside the same object.
    let key: Uint8Array;
    if (last && last.day === shortDate && last.accessKeyId === identity.accessKeyId && last.secretAccessKey === identity.secretAccessKey) {
      key = last.key;
    } else {
      key = await this.signingKey(identity, shortDate, this.region, this.service);
      this.lastKey = { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, day: shortDate, key };
    }
    return this.sign(request, longDate, identity, key);
  }

  /** The canonical request of a plain path and no query, as a string template; `authorization` last. */
  private sign(request: UnsignedRequest, longDate: string, identity: Identity, key: Uint8Array): string[] {
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
}
