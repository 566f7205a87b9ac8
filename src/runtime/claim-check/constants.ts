/**
 * The claim-check keys of the SSM contract (`ClaimCheckBucketName`, `ClaimCheckKeyPrefix`), read
 * from the values the constants loader collected. Both or neither: one without the other is a
 * contract written by hand or half-deleted.
 */
import { checkBucketName, checkClaimCheckKeyPrefix } from '../../contract/claim-check';
import { ParameterKeys } from '../../contract/parameters';

export interface ClaimCheckConstants {
  readonly bucket: string;
  readonly keyPrefix: string;
}

/**
 * The claim-check constants, undefined when the contract has none, or the problems found (each
 * names its key and value) for the caller to report with the rest of the contract's.
 */
export function parseClaimCheckConstants(
  values: Readonly<Record<string, string | undefined>>,
): ClaimCheckConstants | undefined | { problems: string[] } {
  const bucket = nonEmpty(values[ParameterKeys.CLAIM_CHECK_BUCKET_NAME]);
  const keyPrefix = nonEmpty(values[ParameterKeys.CLAIM_CHECK_KEY_PREFIX]);
  if (bucket === undefined && keyPrefix === undefined) return undefined;
  const problems: string[] = [];
  if (bucket === undefined) problems.push(`missing ${ParameterKeys.CLAIM_CHECK_BUCKET_NAME}: expected the claim-check bucket name, since ${ParameterKeys.CLAIM_CHECK_KEY_PREFIX} is present`);
  if (keyPrefix === undefined) problems.push(`missing ${ParameterKeys.CLAIM_CHECK_KEY_PREFIX}: expected the connector's key prefix, since ${ParameterKeys.CLAIM_CHECK_BUCKET_NAME} is present`);
  const bucketProblem = bucket === undefined ? undefined : checkBucketName(bucket, ParameterKeys.CLAIM_CHECK_BUCKET_NAME);
  const prefixProblem = keyPrefix === undefined ? undefined : checkClaimCheckKeyPrefix(keyPrefix, ParameterKeys.CLAIM_CHECK_KEY_PREFIX);
  for (const problem of [bucketProblem, prefixProblem]) if (problem) problems.push(problem);
  return problems.length > 0 ? { problems } : { bucket: bucket!, keyPrefix: keyPrefix! };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
