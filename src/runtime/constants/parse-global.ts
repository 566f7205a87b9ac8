/**
 * The multi-region keys of the contract (issue 22): the primary region's `EndpointId`,
 * `EndpointArn` and `SecondaryRegion`, and the secondary region's `PrimaryRegion`. All optional:
 * a contract without them describes a one-region connector as before.
 */
import { Problems } from './problems';
import type { GlobalConstants } from './types';
import { checkRegion, ParameterKey, ParameterKeys, parseArn, quote } from '../../contract';
import { definedOnly } from '../../contract/defined-only';
import { endpointIdProblem } from '../put-events/endpoint-id';

const K = ParameterKeys;

export function parseGlobal(problems: Problems, get: (key: ParameterKey) => string | undefined, region: string | undefined): GlobalConstants {
  const endpointId = get(K.ENDPOINT_ID);
  if (endpointId !== undefined && endpointIdProblem(endpointId) !== undefined) {
    problems.invalid(K.ENDPOINT_ID, endpointId, "a global endpoint's EndpointId such as abcde.veo");
  }
  const endpointArn = get(K.ENDPOINT_ARN);
  if (endpointArn !== undefined) {
    const parts = parseArn(endpointArn);
    if (!parts || parts.service !== 'events' || !parts.resource.startsWith('endpoint/')) {
      problems.invalid(K.ENDPOINT_ARN, endpointArn, 'an EventBridge endpoint ARN such as arn:aws:events:us-east-1:123456789012:endpoint/orders');
    }
  }
  const otherRegion = (key: ParameterKey): string | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    const problem = checkRegion(value);
    if (problem) {
      problems.fromContract(key, value, problem);
      return undefined;
    }
    if (region !== undefined && value === region) {
      problems.across([K.REGION, key], `${key} ${quote(value)} is the contract's own Region: expected the other region of the global endpoint`);
      return undefined;
    }
    return value;
  };
  const secondaryRegion = otherRegion(K.SECONDARY_REGION);
  const primaryRegion = otherRegion(K.PRIMARY_REGION);
  if (secondaryRegion !== undefined && primaryRegion !== undefined) {
    problems.across([K.SECONDARY_REGION, K.PRIMARY_REGION], 'a contract is either the primary region\'s (SecondaryRegion) or the secondary region\'s (PrimaryRegion): expected one of them');
  }
  if (endpointId !== undefined && primaryRegion !== undefined) {
    problems.across([K.ENDPOINT_ID, K.PRIMARY_REGION], 'the secondary region\'s contract carries no EndpointId (a runtime reading it sends to that region\'s bus directly): expected one of them');
  }
  return definedOnly({ endpointId, endpointArn, secondaryRegion, primaryRegion });
}
