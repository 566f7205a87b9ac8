/**
 * SigV4a for the lean transport, checked against the SDK's own signer: `@smithy/signature-v4a`
 * (pure JavaScript, the signer the SDK's `SignatureV4MultiRegion` uses when registered) is the
 * reference. ECDSA signatures are randomized, so two signers never give the same signature;
 * the first request is instead signed by both, and the reference's signature is verified with
 * the fast signer's public key over the fast signer's string to sign. It verifies only when both
 * derived the same key and wrote the same canonical request and scope; the headers must match
 * too. Then the fast path signs from then on; otherwise (or for a path that needs escaping) the
 * reference signs every request.
 *
 * Why not the reference for every request: it derives the key again on every request and signs
 * with a JavaScript P-256 implementation, many times slower than node:crypto's ECDSA when this
 * was built (docs/benchmarks.md, "Global endpoint: SigV4a cost", has the fast path's figures).
 */
import { verify as ecdsaVerify } from 'node:crypto';
import type { SignatureV4 } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import { Identity, PLAIN_PATH, UnsignedRequest } from './sigv4';
import { ANY_REGION, PlainPathSigV4aSigner } from './sigv4a';

type Sha256Constructor = ConstructorParameters<typeof SignatureV4>[0]['sha256'];

export class PutEventsSigV4aSigner {
  /** The reference, and the signer of anything the fast path does not vouch for. */
  public readonly reference: SignatureV4a;
  public readonly plain: PlainPathSigV4aSigner;
  private mode: 'unchecked' | 'fast' | 'reference';

  constructor(
    credentials: () => Promise<Identity>,
    private readonly service: string,
    sha256: Sha256Constructor,
    path: string,
    uriEscapePath: boolean,
  ) {
    this.reference = new SignatureV4a({ credentials, region: ANY_REGION, service, sha256, uriEscapePath });
    this.plain = new PlainPathSigV4aSigner(credentials, service);
    this.mode = PLAIN_PATH.test(path) ? 'unchecked' : 'reference';
  }

  /** Whether requests are signed by the fast path (after the first request's check). */
  public get fast(): boolean {
    return this.mode === 'fast';
  }

  /** The signed headers as a flat `[name, value, ...]` list, `authorization` last. */
  public async signToList(request: UnsignedRequest, signingDate: Date): Promise<string[]> {
    if (this.mode === 'fast') return this.plain.signToList(request, signingDate);
    const reference = await this.signWithReference(request, signingDate);
    if (this.mode === 'unchecked') {
      const mine = await this.plain.signDetailed(request, signingDate);
      this.mode = agrees(mine, reference) ? 'fast' : 'reference';
    }
    return flatten(reference);
  }

  private async signWithReference(request: UnsignedRequest, signingDate: Date): Promise<Record<string, string>> {
    const signed = await this.reference.sign({ ...request, headers: { ...request.headers } }, {
      signingDate,
      signingRegion: ANY_REGION,
      signingService: this.service,
    });
    return signed.headers as Record<string, string>;
  }
}

/** The same headers and, but for the signature, the same authorization; and the reference's signature verifies with our key. */
function agrees(mine: Awaited<ReturnType<PlainPathSigV4aSigner['signDetailed']>>, reference: Record<string, string>): boolean {
  const list = mine.headers;
  const names = Object.keys(reference);
  if (names.length * 2 !== list.length) return false;
  const ours: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) ours[list[i]] = list[i + 1];
  const stripped = (authorization: string | undefined) => authorization?.replace(/Signature=[0-9a-f]+$/, '');
  for (const name of names) {
    if (name === 'authorization') {
      if (stripped(ours[name]) !== stripped(reference[name])) return false;
    } else if (ours[name] !== reference[name]) {
      return false;
    }
  }
  const signature = /Signature=([0-9a-f]+)$/.exec(reference.authorization ?? '')?.[1];
  if (signature === undefined) return false;
  return ecdsaVerify('sha256', Buffer.from(mine.stringToSign, 'utf8'), { key: mine.keyPair.publicKey, dsaEncoding: 'der' }, Buffer.from(signature, 'hex'));
}

function flatten(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]);
  return list;
}
