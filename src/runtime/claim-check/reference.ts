/**
 * The claim-check reference: what an event carries in its `detail` instead of a payload that was
 * stored in S3. Version 1, a JSON object:
 *
 * ```json
 * {
 *   "orderId": "o-123",                          // top-level detail fields the sender chose to keep
 *   "_claimCheck": {
 *     "version": 1,                              // this layout; a reader refuses one it does not know
 *     "bucket": "shop-payloads",                 // S3 bucket name
 *     "key": "payloads/orders/2026/12/07/5f0c...json",
 *     "size": 5242880,                           // bytes of the stored payload (UTF-8 JSON)
 *     "sha256": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",  // SHA-256 of those bytes, base64
 *     "contentType": "application/json"
 *   }
 * }
 * ```
 *
 * The entry's `source` and `detail-type` are unchanged, and the kept fields sit where they were
 * in the original detail, so the rules that matched the original (`source`, `detail-type`,
 * `detail.orderId`) match the reference. `sha256` is base64, the form S3 uses for
 * `x-amz-checksum-sha256`, so S3 checks the same value on upload that the reader checks on fetch.
 * The stored object is the original `detail` JSON, byte for byte.
 */
import { ClaimCheckError } from './errors';
import { quote } from '../../contract/quote';

/** The detail field that holds the pointer; a detail field the sender keeps may not have this name. */
export const CLAIM_CHECK_FIELD = '_claimCheck';

/** The layout version written, and the only one read. */
export const CLAIM_CHECK_REFERENCE_VERSION = 1;

/** Where the payload is and what it must be. */
export interface ClaimCheckPointer {
  readonly version: number;
  readonly bucket: string;
  readonly key: string;
  /** Bytes of the stored payload. */
  readonly size: number;
  /** SHA-256 of the stored bytes, base64 (44 characters). */
  readonly sha256: string;
  readonly contentType: string;
}

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
const MAX_KEY_BYTES = 1024;
/** C0 controls, DEL and C1 controls: S3's key naming guidelines ("Creating object key names") say to avoid them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What is wrong with a payload key as a reader (or `storePayload`) sees it, or undefined: 1 to
 * 1,024 UTF-8 bytes (S3's limit), no control characters (a key with a new line or a NUL would
 * write lines of its own into logs and tools), and no `.` or `..` segment (a path-normalising
 * proxy, tool or S3-compatible store reads `payloads/orders/../billing/x.json` as
 * `payloads/billing/x.json`, outside the prefix the reader was told to read; the writer never makes
 * such keys, its prefix refuses them).
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `key ${quote(key)}: expected an S3 key of 1 to ${MAX_KEY_BYTES} bytes`;
  const control = CONTROL_CHARACTER.exec(key);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `key ${quote(key)}: expected an S3 key without control characters (U+${code} at character ${control.index})`;
  }
  const segment = key.split('/').find((s) => s === '.' || s === '..');
  if (segment !== undefined) return `key ${quote(key)}: expected an S3 key without ${quote(segment)} path segments, which lead out of its prefix`;
  return undefined;
}

/**
 * The reference detail: `keep` top-level fields of `detail` (those present; in the order given)
 * and the pointer. Throws `InvalidClaimCheckReference` when a kept field is the pointer's name.
 */
export function referenceDetail(
  detail: Readonly<Record<string, unknown>>, pointer: ClaimCheckPointer, keep: readonly string[] = [],
): Record<string, unknown> {
  const reference: Record<string, unknown> = {};
  for (const field of keep) {
    if (field === CLAIM_CHECK_FIELD) {
      throw new ClaimCheckError('InvalidClaimCheckReference', `invalid kept detail field ${quote(field)}: expected another name, ${quote(CLAIM_CHECK_FIELD)} holds the claim-check pointer`);
    }
    // defineProperty: an own `__proto__` field (JSON.parse makes one) is kept as a field, where
    // plain assignment would set the reference's prototype and drop the field from its JSON.
    if (Object.prototype.hasOwnProperty.call(detail, field)) {
      Object.defineProperty(reference, field, { value: detail[field], enumerable: true, writable: true, configurable: true });
    }
  }
  reference[CLAIM_CHECK_FIELD] = { ...pointer };
  return reference;
}

/**
 * The pointer of a received detail, or undefined when the detail is not a reference (it has no
 * `_claimCheck` field). A `_claimCheck` field of another shape or version throws
 * `InvalidClaimCheckReference` naming what is wrong: a reader must not hand a half-reference to a
 * handler as if it were the payload.
 */
export function readPointer(detail: unknown): ClaimCheckPointer | undefined {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(detail, CLAIM_CHECK_FIELD)) return undefined;
  const value = (detail as Record<string, unknown>)[CLAIM_CHECK_FIELD];
  const problem = pointerProblem(value);
  if (problem) throw new ClaimCheckError('InvalidClaimCheckReference', `invalid claim-check reference: ${problem}`);
  const p = value as ClaimCheckPointer;
  return { version: p.version, bucket: p.bucket, key: p.key, size: p.size, sha256: p.sha256, contentType: p.contentType };
}

/** What is wrong with a pointer, or undefined. */
export function pointerProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${CLAIM_CHECK_FIELD} is not an object`;
  const p = value as Record<string, unknown>;
  if (p.version !== CLAIM_CHECK_REFERENCE_VERSION) {
    return `version ${quote(p.version)}: expected ${CLAIM_CHECK_REFERENCE_VERSION}${typeof p.version === 'number' && p.version > CLAIM_CHECK_REFERENCE_VERSION ? ' (written by a newer cdk-eventbridge-connector: upgrade the runtime)' : ''}`;
  }
  if (typeof p.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(p.bucket)) return `bucket ${quote(p.bucket)}: expected an S3 bucket name`;
  const badKey = keyProblem(p.key);
  if (badKey) return badKey;
  if (typeof p.size !== 'number' || !Number.isSafeInteger(p.size) || p.size < 0) return `size ${quote(p.size)}: expected a whole number of bytes`;
  if (typeof p.sha256 !== 'string' || !BASE64_SHA256.test(p.sha256)) return `sha256 ${quote(p.sha256)}: expected the base64 SHA-256 of the payload (44 characters)`;
  if (typeof p.contentType !== 'string') return `contentType ${quote(p.contentType)}: expected a media type such as application/json`;
  return undefined;
}
