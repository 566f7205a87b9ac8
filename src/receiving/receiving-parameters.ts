import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ParameterKey, parameterName, RECEIVING_KEYS } from '../contract';

/**
 * Writes the receiving keys of the SSM contract under a path, one String parameter per key with
 * the key as construct id. Every key in {@link RECEIVING_KEYS} needs a value: a key added to the
 * contract without one fails synthesis rather than leaving the runtime without it.
 */
export function writeReceivingParameters(
  scope: Construct,
  path: string,
  values: Partial<Record<ParameterKey, string>>,
): ssm.StringParameter[] {
  return RECEIVING_KEYS.map((key) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(`no value for receiving parameter '${key}': every key in RECEIVING_KEYS must be written`);
    }
    return new ssm.StringParameter(scope, key, {
      parameterName: parameterName(path, key),
      // The name always has slashes; saying so lets CDK build the ARN when the path is a token.
      simpleName: false,
      stringValue: value,
      description: `EventBridge connector receiving constant ${key}`,
    });
  });
}
