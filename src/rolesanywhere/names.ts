import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkArn, quote } from '../contract';

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
      `invalid ${kind} name ${quote(name)}: expected 1 to ${MAX_NAME_LENGTH} characters of letters, digits, spaces, - and _`,
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

/**
 * The id in the ARN of a trust anchor, profile or CRL defined elsewhere (`.../trust-anchor/<id>`),
 * after checking the form of an ARN that is not an unresolved token; `what` names it in the error.
 */
export function importedResourceId(scope: IConstruct, kind: 'trust-anchor' | 'profile' | 'crl', arn: string, what: string): string {
  if (!Token.isUnresolved(arn)) {
    const problem = checkArn(kind, arn, what);
    if (problem) throw new Error(problem);
  }
  return Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
}
