import { ParameterKeys } from '../../contract';
import { fromRolesAnywhere, fromStaticCredentials } from '../credentials';
import { ConstantsError } from '../errors';
import { AwsCredentials, CredentialProvider, CredentialsInput } from '../types';
import { Environment, gatherKeySources, KeySources, requireKeyPair } from './key-sources';
import { Problems } from './problems';
import { resolveSecretReference } from './secrets';
import { SsmClientLike } from './ssm';
import { ConnectorConstants, SessionConstants, StaticConstants } from './types';

/** Endpoint overrides (moto, LocalStack, the loopback Roles Anywhere service). */
export interface ConnectorEndpoints {
  /** @default - the regional SSM endpoint */
  readonly ssm?: string;
  /** @default - `rolesanywhere.<trust anchor region>.amazonaws.com` */
  readonly rolesAnywhere?: string;
}

export interface CredentialsFromConstantsOptions extends KeySources {
  /** Session mode: a PKCS#12 bundle instead of certificate and private key. */
  readonly pkcs12?: Buffer;
  readonly pkcs12Password?: string;
  /**
   * Where to look for the certificate and key when they are not given as options
   * (`BootstrapEnvironment.CERTIFICATE`, `PRIVATE_KEY`, `INTERMEDIATES`, `PRIVATE_KEY_PASSPHRASE`).
   * @default process.env
   */
  readonly env?: Environment;
  readonly endpoints?: ConnectorEndpoints;
  /** Static mode: the client that resolves the `SecretKey` reference. @default - an SSM client in the constants' region */
  readonly ssm?: SsmClientLike;
  /** Static mode: the credentials that read the secret. @default - the SDK's default credential chain */
  readonly ssmCredentials?: CredentialsInput;
}

/**
 * The credentials the constants call for: the static access key (its secret read through the
 * `SecretKey` reference, once) or a Roles Anywhere session signed with the client certificate.
 * Missing key material is reported here, at startup, not at the first call.
 */
export function credentialsFromConstants(constants: ConnectorConstants, options: CredentialsFromConstantsOptions = {}): CredentialProvider {
  if (constants.useStaticCredentials) {
    if (!constants.static) throw new ConstantsError(ParameterKeys.ACCESS_KEY, 'static mode constants without AccessKey and SecretKey: expected both');
    return staticCredentials(constants.static, constants.region, options);
  }
  if (!constants.session) throw new ConstantsError(ParameterKeys.ROLE_ARN, 'session mode constants without RoleARN, ProfileARN and AWS_TrustAnchorARN: expected all three');
  return sessionCredentials(constants.session, options);
}

function staticCredentials(keys: StaticConstants, region: string, options: CredentialsFromConstantsOptions): CredentialProvider {
  let pending: Promise<AwsCredentials> | undefined;
  return () => {
    // The key is long-lived: resolve it once, and again only after a failure.
    pending ??= resolveSecretReference(keys.secretKeyReference, {
      key: ParameterKeys.SECRET_KEY,
      region,
      ssm: options.ssm,
      credentials: options.ssmCredentials,
      endpoint: options.endpoints?.ssm,
    }).then(
      (secretAccessKey) => fromStaticCredentials({ accessKeyId: keys.accessKeyId, secretAccessKey })(),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

function sessionCredentials(session: SessionConstants, options: CredentialsFromConstantsOptions): CredentialProvider {
  const problems = new Problems();
  const sources = gatherKeySources(problems, options, options.env ?? process.env);
  if (options.pkcs12 === undefined) requireKeyPair(problems, sources);
  problems.throwIfAny('the client certificate and key of the Roles Anywhere session');
  return fromRolesAnywhere({
    ...(options.pkcs12 === undefined
      ? { certificate: sources.certificate!, privateKey: sources.privateKey! }
      : { pkcs12: options.pkcs12, pkcs12Password: options.pkcs12Password }),
    passphrase: sources.passphrase,
    intermediates: sources.intermediates,
    trustAnchorArn: session.trustAnchorArn,
    profileArn: session.profileArn,
    roleArn: session.roleArn,
    durationSeconds: session.durationSeconds,
    roleSessionName: session.sessionName,
    clientCertificateId: session.clientCertificateId,
    endpoint: options.endpoints?.rolesAnywhere,
  });
}
