/**
 * Types of the runtime's public surface. They are structural copies of the AWS SDK's, so that
 * users' code and the declarations we publish do not depend on the SDK version we bundle:
 * an {@link AwsCredentials} is an SDK `AwsCredentialIdentity`, and a {@link CredentialProvider}
 * is an SDK `AwsCredentialIdentityProvider`.
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the credentials stop working; absent for long-lived keys. */
  readonly expiration?: Date;
}

/** A function that resolves credentials, refreshing them as needed (an SDK v3 credential provider). */
export type CredentialProvider = () => Promise<AwsCredentials>;

/** Credentials given as values or as a provider. */
export type CredentialsInput = AwsCredentials | CredentialProvider;

/** The smallest logger the runtime writes to; `console` fits. */
export interface Logger {
  debug?(message: string, ...args: unknown[]): void;
  info?(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}
