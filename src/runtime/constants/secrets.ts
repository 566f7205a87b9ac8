import type { GetParameterCommandOutput } from '@aws-sdk/client-ssm';
import { parseSecretReference } from '../../contract';
import { ConstantsError, ServiceError } from '../errors';
import { showSecretValue } from './problems';
import { ssmModule } from '../sdk-modules';
import { isAccessDenied, refusalDetail, serviceErrorOf, SsmClientLike, SsmConnectionOptions, withSsm } from './ssm';

export interface ResolveSecretOptions extends SsmConnectionOptions {
  /** @default - a client made from `region`, `credentials` and `endpoint` */
  readonly ssm?: SsmClientLike;
  /** The constant that holds the reference, for messages. @default 'SecretKey' */
  readonly key?: string;
}

/**
 * The secret a contract reference (`/aws/reference/secretsmanager/<id>`) points at. SSM resolves
 * the reference itself, so a principal that reads the contract needs no Secrets Manager client,
 * only `secretsmanager:GetSecretValue` on the secret.
 */
export async function resolveSecretReference(reference: string, options: ResolveSecretOptions = {}): Promise<string> {
  const key = options.key ?? 'SecretKey';
  const secretId = parseSecretReference(reference);
  if (secretId === undefined) {
    throw new ConstantsError(key, `invalid ${key} '${showSecretValue(reference)}': expected /aws/reference/secretsmanager/<secret name or ARN>`);
  }
  const output = await withSsm(options.ssm, options, async (ssm) => {
    try {
      return (await ssm.send(new (ssmModule().GetParameterCommand)({ Name: reference, WithDecryption: true }))) as GetParameterCommandOutput;
    } catch (error) {
      const e = serviceErrorOf(error);
      if (isAccessDenied(e)) {
        throw new ServiceError('AccessDenied',
          `access denied resolving ${key} '${reference}': the principal needs ssm:GetParameter and secretsmanager:GetSecretValue on secret '${secretId}' (${refusalDetail(e)})`,
          e.statusCode, { cause: error });
      }
      if (e.name === 'ParameterNotFound') {
        throw new ConstantsError(key, `secret '${secretId}' referenced by ${key} '${reference}' was not found: expected an existing Secrets Manager secret`);
      }
      throw new ServiceError(e.name, `resolving ${key} '${reference}' failed: ${e.name}: ${e.message}`, e.statusCode, { cause: error });
    }
  });
  const value = output.Parameter?.Value;
  if (value === undefined || value === '') {
    throw new ConstantsError(key, `secret '${secretId}' referenced by ${key} has no string value: expected the secret key as its SecretString`);
  }
  return value;
}
