/**
 * Long-lived access keys (the connector's static mode, for tests and demos) as a credential
 * provider, so callers treat both modes alike.
 */
import { InputError } from '../errors';
import { AwsCredentials, CredentialProvider } from '../types';

export interface StaticCredentialsOptions {
  /** `AccessKey`. */
  readonly accessKeyId: string;
  /** The secret key (resolved from the `SecretKey` reference). Never shown in messages. */
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** AWS key ids are 16-128 word characters; local stand-ins use short ones such as `test`. */
const ACCESS_KEY_ID = /^\w{1,128}$/;

/** Checks the keys once and returns a provider that always resolves to them. */
export function fromStaticCredentials(options: StaticCredentialsOptions): CredentialProvider {
  if (!options || typeof options !== 'object') throw new InputError('invalid static credentials: expected { accessKeyId, secretAccessKey, sessionToken? }');
  const { accessKeyId, secretAccessKey, sessionToken } = options;
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    const shown = typeof accessKeyId === 'string' ? `'${accessKeyId}'` : `of type ${typeof accessKeyId}`;
    throw new InputError(`invalid accessKeyId ${shown}: expected an access key id such as AKIAIOSFODNN7EXAMPLE (letters and digits)`);
  }
  // The secret's value never goes into a message, only what is wrong with it.
  if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0 || /\s/.test(secretAccessKey)) {
    const what = typeof secretAccessKey !== 'string' ? `of type ${typeof secretAccessKey}` : secretAccessKey.length === 0 ? 'empty' : 'containing whitespace';
    throw new InputError(`invalid secretAccessKey for access key '${accessKeyId}' (${what}): expected the secret access key without spaces or line breaks`);
  }
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken.length === 0 || /\s/.test(sessionToken))) {
    throw new InputError(`invalid sessionToken for access key '${accessKeyId}': expected a non-empty token without spaces or line breaks, or no sessionToken`);
  }
  const credentials: AwsCredentials = Object.freeze(
    sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken },
  );
  return () => Promise.resolve(credentials);
}
