import type { IConstruct } from 'constructs';
import { parameterPathArn, parametersUnderPathArn } from './resource-arns';
import { assertParameterPath } from './validation';

/** Actions on resources, the shape both a policy statement and an `iam.Grant` are built from. */
export interface AccessSpec {
  readonly actions: string[];
  readonly resources: string[];
}

/**
 * Reading a parameter path: `GetParametersByPath` on the path itself (SSM authorizes it against
 * the requested path, not the parameters it returns) and `GetParameter(s)` on the parameters below
 * it. The READ_PARAMETERS activity and `ConnectorParameters.grantRead` both build on this, so a
 * principal given both gets identical statements, which IAM policy documents merge.
 */
export function readParameterPathAccess(scope: IConstruct, path: string): AccessSpec[] {
  assertParameterPath(path);
  return [
    { actions: ['ssm:GetParametersByPath'], resources: [parameterPathArn(scope, path)] },
    { actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources: [parametersUnderPathArn(scope, path)] },
  ];
}
