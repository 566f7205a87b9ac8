/**
 * storePayload: uploads an event's `detail` to the claim-check bucket and returns the pointer its
 * reference carries. One PutObject with the payload's SHA-256 in `x-amz-checksum-sha256`, so S3
 * refuses bytes that changed on the way (BadDigest) and the reader checks the same value. The
 * S3 client module loads on first use (sdk-modules.ts).
 */
import { createHash } from 'node:crypto';
import { ClaimCheckError } from './errors';
import { payloadKey } from './keys';
import { boundedSignal, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_S3_TIMEOUT_MS } from './limits';
import { CLAIM_CHECK_REFERENCE_VERSION, ClaimCheckPointer, keyProblem } from './reference';
import { checkBucketName, checkClaimCheckKeyPrefix } from '../../contract/claim-check';
import { escapeBounded, quote } from '../../contract/quote';
import { serviceErrorOf } from '../constants/ssm';
import { InputError } from '../errors';
import type { AwsClientLike } from '../sdk-config';
import { s3Module } from '../sdk-modules';

export interface StorePayloadInput {
  /** The bucket (`ClaimCheckBucketName`). */
  readonly bucket: string;
  /** The connector's key prefix (`ClaimCheckKeyPrefix`), ended by `/`. */
  readonly keyPrefix: string;
  /** The payload: the entry's `detail` as JSON text, stored byte for byte as UTF-8. */
  readonly payload: string;
  /** @default 33554432 (32 MiB, {@link DEFAULT_MAX_PAYLOAD_BYTES}) */
  readonly maxBytes?: number;
  /** Aborts the upload. */
  readonly signal?: AbortSignal;
  /** @default 60000 */
  readonly timeoutMs?: number;
  /** Date in the key. @default - now */
  readonly now?: Date;
  /** Random part of the key. @default - a random UUID */
  readonly id?: string;
  /**
   * The whole key, under `keyPrefix` (`now` and `id` are then not used): `contentKey` for an
   * upload that may be retried.
   * @default - `<keyPrefix><yyyy>/<mm>/<dd>/<id>.json`
   */
  readonly key?: string;
}

/**
 * Stores `input.payload` under `<keyPrefix><date>/<id>.json` and returns its pointer. Throws
 * `InputError` for a bad bucket name or prefix, `ClaimCheckError` with `ClaimCheckTooLarge` over
 * `maxBytes` (before any request) or `ClaimCheckStoreFailed` when S3 refuses or the time runs out.
 */
export async function storePayload(s3: AwsClientLike, input: StorePayloadInput): Promise<ClaimCheckPointer> {
  const problem = checkBucketName(input.bucket, 'claim-check bucket') ?? checkClaimCheckKeyPrefix(input.keyPrefix);
  if (problem) throw new InputError(problem);
  if (typeof input.payload !== 'string') throw new InputError(`invalid claim-check payload ${quote(typeof input.payload)}: expected JSON text`);
  const body = Buffer.from(input.payload, 'utf8');
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const key = input.key ?? payloadKey(input.keyPrefix, input.now, input.id);
  if (!key.startsWith(input.keyPrefix)) throw new InputError(`invalid claim-check key ${quote(key)}: expected a key under ${quote(input.keyPrefix)}`);
  // A key its readers would refuse (control characters, `..` segments) is not written.
  const badKey = keyProblem(key);
  if (badKey) throw new InputError(`invalid claim-check ${badKey}`);
  if (body.length > maxBytes) {
    throw new ClaimCheckError('ClaimCheckTooLarge', `claim-check payload of ${body.length} bytes: expected at most ${maxBytes} (maxBytes)`, input.bucket, key);
  }
  const sha256 = createHash('sha256').update(body).digest('base64');
  const timeoutMs = input.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;
  const { PutObjectCommand } = s3Module();
  try {
    await s3.send(new PutObjectCommand({
      Bucket: input.bucket,
      Key: key,
      Body: body,
      ContentLength: body.length,
      ContentType: 'application/json',
      ChecksumSHA256: sha256,
    }), { abortSignal: boundedSignal(timeoutMs, input.signal) });
  } catch (error) {
    const e = serviceErrorOf(error);
    const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `did not finish in ${timeoutMs} ms or was aborted` : `was refused: ${escapeBounded(e.name, 64)}: ${escapeBounded(e.message, 240)}`;
    throw new ClaimCheckError('ClaimCheckStoreFailed', `storing claim-check payload ${quote(key)} in bucket ${quote(input.bucket)} ${why}`, input.bucket, key, { cause: error });
  }
  return { version: CLAIM_CHECK_REFERENCE_VERSION, bucket: input.bucket, key, size: body.length, sha256, contentType: 'application/json' };
}
