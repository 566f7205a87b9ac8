/** The error the claim check throws when a payload cannot be stored or fetched whole. */
import { ConnectorError } from '../errors';

/**
 * Why a payload failed, as a stable `code`:
 * - `ClaimCheckMissing`: S3 has no object at the key (deleted, expired after the store's retention,
 *   or never written), or refuses to say (403 AccessDenied, which S3 answers for a missing key to a
 *   reader without `s3:ListBucket`, and for a key outside the reader's prefix);
 * - `ClaimCheckAltered`: the object's bytes are not the ones the reference names (size or SHA-256);
 * - `ClaimCheckTooLarge`: the payload is over the reader's or writer's bound;
 * - `InvalidClaimCheckReference`: the reference itself is malformed;
 * - `ClaimCheckStoreFailed` / `ClaimCheckFetchFailed`: S3 or the network refused otherwise.
 */
export type ClaimCheckErrorCode =
  | 'ClaimCheckMissing'
  | 'ClaimCheckAltered'
  | 'ClaimCheckTooLarge'
  | 'InvalidClaimCheckReference'
  | 'ClaimCheckStoreFailed'
  | 'ClaimCheckFetchFailed';

export class ClaimCheckError extends ConnectorError {
  constructor(
    code: ClaimCheckErrorCode,
    message: string,
    /** The bucket of the payload. */
    public readonly bucket?: string,
    /** The key of the payload. */
    public readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
