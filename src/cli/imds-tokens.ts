/**
 * The session tokens `serve` hands out on `PUT /latest/api/token`: stateless, each one its
 * expiry time and a random nonce signed with HMAC-SHA256 under a key drawn when the process
 * starts. Nothing is stored per token, so no number of PUTs by another local process can fill a
 * table and lock other clients out (the AWS helper keeps 256 and evicts; IMDSv2 keeps none either),
 * and a restart of `serve` invalidates every token it issued, as a reboot does on EC2.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** IMDSv2's bounds on `X-aws-ec2-metadata-token-ttl-seconds`: 1 second to 6 hours (EC2 User Guide, "How IMDSv2 works"). */
export const MIN_TOKEN_TTL_SECONDS = 1;
export const MAX_TOKEN_TTL_SECONDS = 21600;

const EXPIRY_BYTES = 8;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
const TOKEN_BYTES = EXPIRY_BYTES + NONCE_BYTES + MAC_BYTES;
/** base64url of 56 bytes, no padding. */
export const TOKEN_CHARACTERS = Math.ceil((TOKEN_BYTES * 4) / 3);

export interface TokenCheck {
  /** Seconds the token has left (floored), for the TTL header of the answer. */
  readonly remainingSeconds: number;
}

export interface TokenSigner {
  /** A token valid for `ttlSeconds` from now (the caller checked the bounds). */
  issue(ttlSeconds: number): string;
  /** The token's remaining life, or undefined when it is not one of ours, altered, or expired. */
  check(token: string): TokenCheck | undefined;
}

/** @param clock milliseconds since the epoch */
export function createTokenSigner(clock: () => number, key: Buffer = randomBytes(32)): TokenSigner {
  const mac = (payload: Buffer) => createHmac('sha256', key).update(payload).digest();
  return {
    issue(ttlSeconds) {
      const payload = Buffer.alloc(EXPIRY_BYTES + NONCE_BYTES);
      payload.writeBigUInt64BE(BigInt(Math.floor(clock()) + ttlSeconds * 1000));
      randomBytes(NONCE_BYTES).copy(payload, EXPIRY_BYTES);
      return Buffer.concat([payload, mac(payload)]).toString('base64url');
    },
    check(token) {
      if (token.length !== TOKEN_CHARACTERS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length !== TOKEN_BYTES) return undefined;
      const payload = bytes.subarray(0, EXPIRY_BYTES + NONCE_BYTES);
      if (!timingSafeEqual(mac(payload), bytes.subarray(EXPIRY_BYTES + NONCE_BYTES))) return undefined;
      const remainingMs = Number(payload.readBigUInt64BE(0)) - clock();
      // More than the longest TTL left means the clock stepped back since the token was issued:
      // honour no token beyond the life IMDSv2 allows.
      if (remainingMs <= 0 || remainingMs > MAX_TOKEN_TTL_SECONDS * 1000) return undefined;
      return { remainingSeconds: Math.floor(remainingMs / 1000) };
    },
  };
}
