import { quote } from './quote';
import { PARTITIONS, PartitionData } from './regions.generated';

export type { PartitionData };

/** A region of the commercial `aws` partition with its display name. */
export interface RegionInfo {
  readonly code: string;
  readonly displayName: string;
}

const AWS = PARTITIONS.find((p) => p.id === 'aws')!;

/**
 * The commercial regions of the `aws` partition, from the AWS SDK's partition data, by code.
 * Compared by code unit, not `localeCompare`: that loads ICU's collator, about 13 ms of every
 * cold start of a process that imports this file (the Lambda entry does), for codes of ASCII
 * letters, digits and `-` that sort alike either way.
 */
export const COMMERCIAL_REGIONS: readonly RegionInfo[] = Object.entries(AWS.regions)
  .map(([code, displayName]) => ({ code, displayName }))
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const REGION_CODE = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** Display name of a region in any partition, or undefined for an unknown code. */
export function regionDisplayName(region: string): string | undefined {
  for (const p of PARTITIONS) {
    if (Object.prototype.hasOwnProperty.call(p.regions, region)) return p.regions[region];
  }
  return undefined;
}

/**
 * The partition a region belongs to: a listed region first, else the first partition whose
 * region pattern matches (new regions appear in the pattern before they appear in the list).
 */
export function partitionOf(region: string): PartitionData | undefined {
  const listed = PARTITIONS.find((p) => Object.prototype.hasOwnProperty.call(p.regions, region));
  if (listed) return listed;
  return PARTITIONS.find((p) => new RegExp(p.regionRegex).test(region));
}

/**
 * Says what is wrong with the form of a region code, or undefined when it reads like one
 * (`eu-west-1`), known to the SDK or not: a region newer than this package's list passes.
 */
export function checkRegionCode(region: unknown): string | undefined {
  if (typeof region !== 'string' || !REGION_CODE.test(region)) {
    return `invalid region ${quote(region)}: expected a region code such as eu-west-1`;
  }
  return undefined;
}

/** Says what is wrong with a region code, or undefined when it is a region the SDK knows. */
export function checkRegion(region: string): string | undefined {
  const codeProblem = checkRegionCode(region);
  if (codeProblem) return codeProblem;
  if (!regionDisplayName(region)) {
    return `unknown region ${quote(region)}: expected one of the AWS regions, e.g. ${COMMERCIAL_REGIONS.slice(0, 3).map((r) => r.code).join(', ')}`;
  }
  return undefined;
}

/** `https://<service>.<region>.<dns suffix>` for a regional service endpoint. */
export function regionalEndpoint(service: string, region: string): string {
  const partition = partitionOf(region);
  if (!partition) throw new Error(`unknown region ${quote(region)}: cannot build the ${service} endpoint`);
  return `https://${service}.${region}.${partition.dnsSuffix}`;
}
