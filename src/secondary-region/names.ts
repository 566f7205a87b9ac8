// Names both regions derive from plain values, so the primary stack can grant the secondary
// region's resources without a cross-region reference.
import { createHash } from 'node:crypto';
import { Names } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** IAM role names: at most 64 characters. */
const MAX_ROLE_NAME_LENGTH = 64;
/** SQS queue names: at most 80 letters, digits, `-` or `_`. */
const MAX_QUEUE_NAME_LENGTH = 80;

/**
 * The name of a multi-region connector's role, `<unique name of the connector>-<primary region>`:
 * a literal, so the secondary region's profile and contract name the role by an ARN built from
 * it, and unique in the account (IAM is global; a stack of the same name may exist in another
 * region).
 */
export function multiRegionRoleName(connector: IConstruct, primaryRegion: string): string {
  const suffix = `-${primaryRegion}`;
  return `${Names.uniqueResourceName(connector, { maxLength: MAX_ROLE_NAME_LENGTH - suffix.length, separator: '-', allowedSpecialCharacters: '-_' })}${suffix}`;
}

/**
 * Name of the secondary region's queue of a queue receiver: the parameter path as a queue name
 * plus `-inbox` (`/eventbridge-connector/orders` gives `eventbridge-connector-orders-inbox`),
 * shortened with a hash of the path when longer than SQS allows.
 */
export function secondaryQueueName(parameterPath: string): string {
  const base = parameterPath.slice(1).replace(/[^A-Za-z0-9_-]/g, '-');
  const name = `${base}-inbox`;
  if (name.length <= MAX_QUEUE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(parameterPath).digest('hex').slice(0, 8);
  return `${base.slice(0, MAX_QUEUE_NAME_LENGTH - '-inbox'.length - hash.length - 1)}-${hash}-inbox`;
}

/**
 * Name of the secret holding the API key of the secondary region's receiver:
 * `<parameter path without its leading />/ApiKey`.
 */
export function secondaryApiKeySecretName(parameterPath: string): string {
  return `${parameterPath.slice(1)}/ApiKey`;
}

