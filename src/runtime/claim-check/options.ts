/**
 * Options of the claim check: the client's (`claimCheck`, sending and the defaults of its
 * receivers) and a receiver's or consumer's (`claimCheck`, fetching), with their checks.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_S3_TIMEOUT_MS } from './limits';
import { CLAIM_CHECK_FIELD } from './reference';
import { checkBucketName, checkClaimCheckKeyPrefix } from '../../contract/claim-check';
import { quote } from '../../contract/quote';
import { InputError } from '../errors';
import { checkOptionGroup, knownKeys } from '../known-keys';
import type { AwsClientLike } from '../sdk-config';

/** What a receiver hands its handlers for an event whose detail went through the claim check. */
export type ClaimCheckDelivery = 'payload' | 'reference';

/** The client's `claimCheck` option: where payloads go, when, and what its receivers do with them. */
export interface ClaimCheckOptions {
  /**
   * The bucket of the claim-check store.
   * @default - the contract's `ClaimCheckBucketName` (a client from `fromParameters`)
   */
  readonly bucket?: string;
  /**
   * The connector's key prefix in it, ended by `/`; the client writes only below it.
   * @default - the contract's `ClaimCheckKeyPrefix`
   */
  readonly keyPrefix?: string;
  /**
   * An entry whose size, as EventBridge counts it (`Time` 14 bytes, the UTF-8 bytes of `Source`,
   * `DetailType`, `Detail` and each of `Resources`), is over this many bytes sends its detail
   * through S3. An entry's `claimCheck: true` sends it through S3 whatever its size; `false` never.
   * @default - `putEvents.maxRequestBytes` (1048576, PutEvents' request limit): only entries that
   *   could not be sent otherwise
   */
  readonly thresholdBytes?: number;
  /**
   * Top-level `detail` fields copied into the reference beside `_claimCheck`, so rules that
   * match on them (`detail.orderId`) match the reference too. Fields the detail lacks are left out.
   * @default - none
   */
  readonly keepDetailFields?: readonly string[];
  /**
   * Largest payload stored, and fetched by this client's receivers and consumers; a larger one
   * fails as `ClaimCheckTooLarge`. A receiver holds the whole payload in memory.
   * @default 33554432 (32 MiB)
   */
  readonly maxPayloadBytes?: number;
  /** Longest one PutObject or GetObject may take, body included. @default 60000 */
  readonly timeoutMs?: number;
  /**
   * What this client's receivers and consumers hand their handlers: `payload` fetches the stored
   * detail (size and SHA-256 checked), `reference` hands the reference as delivered.
   * @default 'payload'
   */
  readonly deliver?: ClaimCheckDelivery;
}

/** The `claimCheck` option of a receiver or consumer: how it fetches payloads. */
export interface ReceiveClaimCheckOptions {
  /** An S3 client allowed `s3:GetObject` on the payload prefix (`new S3Client({ region })`). */
  readonly s3: AwsClientLike;
  /**
   * The only bucket read: a reference naming another is refused (`InvalidClaimCheckReference`),
   * so an event cannot make the receiver read a bucket of someone else's choosing.
   * @default - any bucket the S3 client may read
   */
  readonly bucket?: string;
  /** The only key prefix read, ended by `/`. @default - any key */
  readonly keyPrefix?: string;
  /** @default 'payload' */
  readonly deliver?: ClaimCheckDelivery;
  /** Largest payload fetched. @default 33554432 (32 MiB) */
  readonly maxPayloadBytes?: number;
  /** Longest one GetObject may take, body included (a receiver's handler deadline also ends it). @default 60000 */
  readonly timeoutMs?: number;
}

export const CLAIM_CHECK_OPTION_KEYS = knownKeys<ClaimCheckOptions>({
  bucket: true,
  keyPrefix: true,
  thresholdBytes: true,
  keepDetailFields: true,
  maxPayloadBytes: true,
  timeoutMs: true,
  deliver: true,
});

export const RECEIVE_CLAIM_CHECK_OPTION_KEYS = knownKeys<ReceiveClaimCheckOptions>({
  s3: true,
  bucket: true,
  keyPrefix: true,
  deliver: true,
  maxPayloadBytes: true,
  timeoutMs: true,
});

/** The bounds both sides check. */
export function checkBounds(options: { maxPayloadBytes?: number; timeoutMs?: number; deliver?: unknown }, path: string): void {
  wholeNumber(`${path}maxPayloadBytes`, options.maxPayloadBytes, 1, 5 * 1024 ** 3, 'bytes, at most 5 GiB (one PutObject)');
  wholeNumber(`${path}timeoutMs`, options.timeoutMs, 1, 15 * 60_000, 'milliseconds');
  if (options.deliver !== undefined && options.deliver !== 'payload' && options.deliver !== 'reference') {
    throw new InputError(`invalid ${path}deliver ${quote(options.deliver)}: expected 'payload' or 'reference'`);
  }
}

/** Checks a receiver's or consumer's `claimCheck` option (left out is fine). */
export function checkReceiveClaimCheck(options: ReceiveClaimCheckOptions | undefined, what: string): void {
  checkOptionGroup(options, RECEIVE_CLAIM_CHECK_OPTION_KEYS, what, 'claimCheck.');
  if (options === undefined) return;
  if (typeof options.s3?.send !== 'function') throw new InputError('missing claimCheck.s3: expected an S3 client (new S3Client({ region })) to fetch payloads with');
  const problem = (options.bucket === undefined ? undefined : checkBucketName(options.bucket, 'claimCheck.bucket'))
    ?? (options.keyPrefix === undefined ? undefined : checkClaimCheckKeyPrefix(options.keyPrefix, 'claimCheck.keyPrefix'));
  if (problem) throw new InputError(problem);
  checkBounds(options, 'claimCheck.');
}

/** The client's `claimCheck` option with its bucket and prefix known, checked. */
export interface ResolvedClaimCheck {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly thresholdBytes: number;
  readonly keepDetailFields: readonly string[];
  readonly maxPayloadBytes: number;
  readonly timeoutMs: number;
  readonly deliver: ClaimCheckDelivery;
}

/**
 * The client's claim check from its option and the contract's keys, or undefined when neither
 * names a bucket (no claim check). `false` turns it off whatever the contract says.
 * @throws InputError naming the first bad value
 */
export function resolveClaimCheck(
  options: ClaimCheckOptions | false | undefined,
  contract: { bucket: string; keyPrefix: string } | undefined,
  maxRequestBytes: number,
): ResolvedClaimCheck | undefined {
  if (options === false) return undefined;
  checkOptionGroup(options, CLAIM_CHECK_OPTION_KEYS, 'option', 'claimCheck.');
  const bucket = options?.bucket ?? contract?.bucket;
  const keyPrefix = options?.keyPrefix ?? contract?.keyPrefix;
  if (bucket === undefined && options === undefined) return undefined;
  if (bucket === undefined) throw new InputError('missing claimCheck.bucket: expected the claim-check bucket, or a client from fromParameters whose contract has ClaimCheckBucketName');
  if (keyPrefix === undefined) throw new InputError('missing claimCheck.keyPrefix: expected the connector\'s key prefix such as payloads/orders/, or a contract with ClaimCheckKeyPrefix');
  const problem = checkBucketName(bucket, 'claimCheck.bucket') ?? checkClaimCheckKeyPrefix(keyPrefix, 'claimCheck.keyPrefix');
  if (problem) throw new InputError(problem);
  checkBounds(options ?? {}, 'claimCheck.');
  const thresholdBytes = options?.thresholdBytes ?? maxRequestBytes;
  wholeNumber('claimCheck.thresholdBytes', thresholdBytes, 0, maxRequestBytes, `bytes, at most maxRequestBytes (${maxRequestBytes})`);
  const keep = options?.keepDetailFields ?? [];
  if (!Array.isArray(keep) || keep.some((f) => typeof f !== 'string' || f === '')) {
    throw new InputError(`invalid claimCheck.keepDetailFields ${quote(keep)}: expected an array of top-level detail field names`);
  }
  if (keep.includes(CLAIM_CHECK_FIELD)) {
    throw new InputError(`invalid claimCheck.keepDetailFields ${quote(CLAIM_CHECK_FIELD)}: expected other names, ${quote(CLAIM_CHECK_FIELD)} holds the claim-check pointer`);
  }
  return {
    bucket,
    keyPrefix,
    thresholdBytes,
    keepDetailFields: [...keep],
    maxPayloadBytes: options?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    timeoutMs: options?.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS,
    deliver: options?.deliver ?? 'payload',
  };
}

function wholeNumber(name: string, value: number | undefined, min: number, max: number, unit: string): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`invalid ${name} ${quote(value)}: expected a whole number of ${unit} from ${min} to ${max}`);
  }
}
