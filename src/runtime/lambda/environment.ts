/**
 * Where and as whom the Lambda entry sends, read from the process environment: the function's
 * credentials (AWS Lambda sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 * from the execution role), the region and the connector's bus (see FunctionEnvironment). The
 * endpoint settings are endpoint.ts's.
 */
import { parseArn } from '../../contract/arn';
import { FunctionEnvironment } from '../../contract/function-environment';
import { checkRegionCode } from '../../contract/regions';
import { ConstantsError, InputError } from '../errors';
import { checkEventBusName } from '../put-events/entries';
import type { AwsCredentials } from '../types';

type Environment = Readonly<Record<string, string | undefined>>;

/** The environment variables the SDK reads for credentials, in its names. */
export const CREDENTIAL_VARIABLES = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY', sessionToken: 'AWS_SESSION_TOKEN' } as const;

/** The bus's region: as given, else {@link FunctionEnvironment.REGION}, else the bus ARN's, else `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
export function regionFrom(env: Environment, eventBusName: string | undefined, given?: string): string {
  const fromArn = eventBusName?.startsWith('arn:') ? parseArn(eventBusName)?.region : undefined;
  const [name, region] = given !== undefined ? ['region', given]
    : env[FunctionEnvironment.REGION] ? [FunctionEnvironment.REGION, env[FunctionEnvironment.REGION]]
      : fromArn ? ['the event bus ARN', fromArn]
        : env.AWS_REGION ? ['AWS_REGION', env.AWS_REGION]
          : ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION];
  if (region === undefined || region === '') {
    throw new InputError(`no region: expected the region option, ${FunctionEnvironment.REGION}, an event bus ARN or AWS_REGION (which AWS Lambda sets)`);
  }
  const problem = checkRegionCode(region);
  if (problem) throw new InputError(`${problem} (from ${name})`);
  return region;
}

/** The bus events go to unless an entry names one: as given, else {@link FunctionEnvironment.EVENT_BUS_NAME}; undefined means the account's default bus. */
export function eventBusNameFrom(env: Environment, given?: string): string | undefined {
  const value = given ?? (env[FunctionEnvironment.EVENT_BUS_NAME] === '' ? undefined : env[FunctionEnvironment.EVENT_BUS_NAME]);
  const problem = checkEventBusName(value);
  if (problem) throw new InputError(given !== undefined ? problem : `${problem} (from ${FunctionEnvironment.EVENT_BUS_NAME})`);
  return value;
}

/**
 * The credentials in the environment now, read on every call: where they are replaced (a new
 * session), the next request signs with the new ones.
 * @throws ConstantsError when the access key id or the secret access key is missing
 */
export function credentialsFrom(env: Environment): AwsCredentials {
  const accessKeyId = env[CREDENTIAL_VARIABLES.accessKeyId];
  const secretAccessKey = env[CREDENTIAL_VARIABLES.secretAccessKey];
  const required = [[CREDENTIAL_VARIABLES.accessKeyId, accessKeyId], [CREDENTIAL_VARIABLES.secretAccessKey, secretAccessKey]] as const;
  for (const [variable, value] of required) {
    if (value === undefined || value === '') {
      throw new ConstantsError(variable, `no credentials: ${variable} is not set; expected the function's credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS Lambda sets them from the execution role), or the credentials option`);
    }
  }
  const sessionToken = env[CREDENTIAL_VARIABLES.sessionToken];
  const keys = { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
  return sessionToken ? { ...keys, sessionToken } : keys;
}
