/**
 * The SHA-256 (and HMAC-SHA-256) that @smithy/signature-v4 takes, on node:crypto: what the local
 * services and the tests sign their own IAM query calls with (the SDK's IAM client is not a
 * dependency).
 */
import { createHash, createHmac, Hash, Hmac } from 'node:crypto';

export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : ArrayBuffer.isView(this.secret)
      ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
      : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}
