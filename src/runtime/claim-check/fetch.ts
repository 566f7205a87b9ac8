/**
 * fetchPayload: reads the payload a claim-check pointer names, bounded and verified. The request
 * asks for at most one byte more than the pointer's size (`Range`), so an object that grew
 * (overwritten with more) or that is over the bound is refused from its `Content-Range` or after
 * that one byte, never read whole; the bytes read must then have the pointer's size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { ClaimCheckError } from './errors';
import { boundedSignal, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_S3_TIMEOUT_MS } from './limits';
import { ClaimCheckPointer, pointerProblem } from './reference';
import { escapeBounded, quote } from '../../contract/quote';
import { serviceErrorOf } from '../constants/ssm';
import type { AwsClientLike } from '../sdk-config';
import { s3Module } from '../sdk-modules';

export interface FetchPayloadOptions {
  /** Largest payload read. @default 33554432 (32 MiB) */
  readonly maxBytes?: number;
  /** Aborts the read. */
  readonly signal?: AbortSignal;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

interface GetObjectOutput {
  readonly Body?: AsyncIterable<Uint8Array> & { destroy?(error?: Error): void };
  readonly ContentLength?: number;
  readonly ContentRange?: string;
}

/**
 * The payload `pointer` names, as the UTF-8 text that was stored (the original `detail` JSON).
 * Throws `ClaimCheckError` naming the bucket and key: `InvalidClaimCheckReference` for a malformed
 * pointer; `ClaimCheckTooLarge` when the pointer or the object is over `maxBytes` (the former
 * before any request); `ClaimCheckMissing` on 404 NoSuchKey or 403 AccessDenied (which S3 gives for
 * a missing key to a reader without s3:ListBucket); `ClaimCheckAltered` when the object's size or
 * SHA-256 is not the pointer's; `ClaimCheckFetchFailed` otherwise.
 */
export async function fetchPayload(s3: AwsClientLike, pointer: ClaimCheckPointer, options: FetchPayloadOptions = {}): Promise<string> {
  const problem = pointerProblem(pointer);
  if (problem) throw new ClaimCheckError('InvalidClaimCheckReference', `invalid claim-check reference: ${problem}`, (pointer as any)?.bucket, (pointer as any)?.key);
  const { bucket, key, size } = pointer;
  const where = `claim-check payload ${quote(key)} in bucket ${quote(bucket)}`;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (size > maxBytes) {
    throw new ClaimCheckError('ClaimCheckTooLarge', `${where} has ${size} bytes by its reference: expected at most ${maxBytes} (maxBytes)`, bucket, key);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;
  const signal = boundedSignal(timeoutMs, options.signal);
  const { GetObjectCommand } = s3Module();
  let output: GetObjectOutput;
  try {
    // One byte past the size: enough to see that an object is longer than its reference says.
    output = (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${size}` }), { abortSignal: signal })) as GetObjectOutput;
  } catch (error) {
    throw requestError(error, where, bucket, key, timeoutMs);
  }
  const body = output.Body;
  if (!body) throw new ClaimCheckError('ClaimCheckFetchFailed', `${where} came back without a body`, bucket, key);

  const total = totalOf(output);
  if (total !== undefined && total !== size) {
    body.destroy?.();
    if (total > maxBytes) {
      throw new ClaimCheckError('ClaimCheckTooLarge', `${where} has ${total} bytes in S3: expected at most ${maxBytes} (maxBytes); its reference says ${size}, so it was also altered`, bucket, key);
    }
    throw altered(where, `has ${total} bytes in S3, its reference says ${size}`, bucket, key);
  }

  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of body) {
      read += chunk.length;
      if (read > size) {
        body.destroy?.();
        throw read > maxBytes
          ? new ClaimCheckError('ClaimCheckTooLarge', `${where} is over ${maxBytes} bytes (maxBytes) in S3; its reference says ${size}`, bucket, key)
          : altered(where, `is longer than the ${size} bytes its reference says`, bucket, key);
      }
      hash.update(chunk);
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    }
  } catch (error) {
    if (error instanceof ClaimCheckError) throw error;
    throw requestError(error, where, bucket, key, timeoutMs);
  }
  if (read !== size) throw altered(where, `has ${read} bytes, its reference says ${size}`, bucket, key);
  const digest = hash.digest('base64');
  if (digest !== pointer.sha256) throw altered(where, `has SHA-256 ${digest}, its reference says ${pointer.sha256}`, bucket, key);
  return Buffer.concat(chunks, read).toString('utf8');
}

/** The object's full size from `Content-Range: bytes 0-N/TOTAL` (a ranged read), else its length when the whole object came. */
function totalOf(output: GetObjectOutput): number | undefined {
  const match = output.ContentRange === undefined ? null : /\/(\d+)$/.exec(output.ContentRange);
  if (match) return Number(match[1]);
  return undefined;
}

function altered(where: string, what: string, bucket: string, key: string): ClaimCheckError {
  return new ClaimCheckError('ClaimCheckAltered', `${where} ${what}: it was overwritten or damaged after it was stored`, bucket, key);
}

function requestError(error: unknown, where: string, bucket: string, key: string, timeoutMs: number): ClaimCheckError {
  const e = serviceErrorOf(error);
  if (e.name === 'NoSuchKey' || e.statusCode === 404) {
    return new ClaimCheckError('ClaimCheckMissing', `${where} is missing (NoSuchKey): deleted, expired after the store's retention, or never written`, bucket, key, { cause: error });
  }
  if (e.name === 'AccessDenied' || e.statusCode === 403) {
    return new ClaimCheckError('ClaimCheckMissing',
      `${where} is missing or not readable (AccessDenied): S3 says AccessDenied for a missing key to a reader without s3:ListBucket, so it was deleted or expired, or it is outside this principal's prefix`,
      bucket, key, { cause: error });
  }
  if (e.name === 'InvalidRange' || e.statusCode === 416) {
    // Only an empty object has no byte 0; a stored payload is at least `{}`.
    return altered(where, 'is empty in S3', bucket, key);
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new ClaimCheckError('ClaimCheckFetchFailed', `${where} did not arrive in ${timeoutMs} ms or the read was aborted`, bucket, key, { cause: error });
  }
  return new ClaimCheckError('ClaimCheckFetchFailed', `${where} could not be read: ${escapeBounded(e.name, 64)}: ${escapeBounded(e.message, 240)}`, bucket, key, { cause: error });
}
