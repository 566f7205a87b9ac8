import { Names, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// Trust anchors, profiles and CRLs share one naming rule (CloudFormation `Name`, all three).
const NAME = /^[ a-zA-Z0-9_-]{1,255}$/;
const MAX_NAME_LENGTH = 255;

/**
 * Throws when a Roles Anywhere resource name breaks the service's rule: 1 to 255 letters, digits,
 * spaces, `-` and `_`. Unresolved tokens are left to CloudFormation.
 */
export function assertResourceName(kind: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!NAME.test(name)) {
    throw new Error(
      `invalid ${kind} name '${name}': expected 1 to ${MAX_NAME_LENGTH} characters of letters, digits, spaces, - and _`,
    );
  }
}

/**
 * A name unique in the account and region derived from the construct path: the three resources
 * require a name, and a path-derived one keeps two stacks from colliding.
 */
export function defaultResourceName(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, { maxLength: MAX_NAME_LENGTH, separator: '-', allowedSpecialCharacters: '-_' });
}
