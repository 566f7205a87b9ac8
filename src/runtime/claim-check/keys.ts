/**
 * Object keys of stored payloads. What the client sends uses {@link contentKey}:
 * `<prefix>sha256/<hex SHA-256 of the payload>.json`, the same key for the same bytes, so an
 * upload retried (an outbox restarted after a SIGKILL between the upload and PutEvents, a
 * PutEvents retry) overwrites the object it wrote before instead of leaving a second copy.
 * {@link payloadKey} is the dated, random form, for callers of `storePayload` that want one key per call: `<prefix><yyyy>/<mm>/<dd>/<uuid>.json` (UTC date of the upload).
 * The prefix is the connector's (`ClaimCheckKeyPrefix`), the only place its principal may write;
 * the date lets a person find a day's payloads, the random id keeps two uploads from ever sharing
 * a key (about 50 bytes after the prefix: S3 keys have 1,024).
 */
import { randomUUID } from 'node:crypto';

export function payloadKey(keyPrefix: string, now: Date = new Date(), id: string = randomUUID()): string {
  const yyyy = String(now.getUTCFullYear()).padStart(4, '0');
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(now.getUTCDate()).padStart(2, '0');
  return `${keyPrefix}${yyyy}/${mm}/${dd}/${id}.json`;
}

/** `<prefix>sha256/<hex>.json`: the key of a payload by its content (see above). */
export function contentKey(keyPrefix: string, sha256Hex: string): string {
  return `${keyPrefix}sha256/${sha256Hex}.json`;
}
