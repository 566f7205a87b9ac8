import type { IConstruct } from 'constructs';
import { ParameterKey, ParameterKeys } from '../contract';
import { parameterArn, parameterPathArn } from './resource-arns';
import { assertParameterPath } from './validation';

/** Actions on resources, the shape both a policy statement and an `iam.Grant` are built from. */
export interface AccessSpec {
  readonly actions: string[];
  readonly resources: string[];
  /** IAM conditions, when the access is narrower than the resources say. */
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** Every key a contract can hold: a grant names them, so it reaches no parameter below them. */
const CONTRACT_KEYS: readonly ParameterKey[] = Object.values(ParameterKeys);

/**
 * Reading a parameter path, and nothing below it:
 * - `GetParametersByPath` on the path itself (SSM authorizes it against the requested path, not
 *   the parameters it returns) when the request is not recursive: a recursive read would return
 *   the parameters of a connector nested under the path (`/orders/eu/...`). The runtime reads with
 *   `Recursive: false`; a request without the flag is not recursive either, which is why the
 *   condition is a negated one (true when the key is absent).
 * - `GetParameter(s)` on the contract's parameter names, each named exactly: `<path>/*` would also
 *   match `<path>/eu/RoleARN`, since `*` in an IAM resource crosses `/`.
 *
 * The READ_PARAMETERS activity and `ConnectorParameters.grantRead` both build on this, so a
 * principal given both gets identical statements, which IAM policy documents merge.
 */
export function readParameterPathAccess(scope: IConstruct, path: string): AccessSpec[] {
  assertParameterPath(path);
  return [
    {
      actions: ['ssm:GetParametersByPath'],
      resources: [parameterPathArn(scope, path)],
      conditions: { StringNotEqualsIgnoreCase: { 'ssm:Recursive': 'true' } },
    },
    { actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources: CONTRACT_KEYS.map((key) => parameterArn(scope, path, key)) },
  ];
}
