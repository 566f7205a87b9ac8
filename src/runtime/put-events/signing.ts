/**
 * SigV4 for the lean transport's one request shape: `POST` of a JSON body to the endpoint's path,
 * no query, the same fixed set of headers every time, signed by sigv4.ts's string template.
 * `@smithy/signature-v4` is the reference:
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
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { Identity, PLAIN_PATH, PlainPathSigner, UnsignedRequest } from './sigv4';

export type { Identity, UnsignedRequest } from './sigv4';

type Sha256Constructor = ConstructorParameters<typeof SignatureV4>[0]['sha256'];

export class PutEventsSigner {
  /** The reference, and the signer of anything the fast path does not vouch for. */
  public readonly signatureV4: SignatureV4;
  private mode: 'unchecked' | 'fast' | 'reference';
  private readonly plain: PlainPathSigner;

  constructor(
    credentials: () => Promise<Identity>,
    private readonly region: string,
    private readonly service: string,
    sha256: Sha256Constructor,
    path: string,
    uriEscapePath: boolean,
  ) {
    this.signatureV4 = new SignatureV4({ credentials, region, service, sha256, uriEscapePath });
    // The key of `getSigningKey` (and its signing-key cache), so that both signers agree on it.
    this.plain = new PlainPathSigner(credentials, region, service, (identity, day) => getSigningKey(sha256, identity, day, region, service));
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
    const headers = await this.plain.signToList(request, signingDate);
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
}

function flatten(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]);
  return list;
}
