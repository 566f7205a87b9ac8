import { BootstrapEnvironment, certificateId, ParameterKeys } from '../../contract';
import { fromRolesAnywhere } from '../credentials';
import { CredentialProvider, Logger } from '../types';
import { BootstrapValues, OutsideAws, readBootstrapValues } from './bootstrap-values';
import { ConnectorEndpoints, credentialsFromConstants } from './credentials';
import { Environment, gatherKeySources, KeySources, requireKeyPair } from './key-sources';
import { loadConstants } from './load';
import { Problems } from './problems';
import { ConnectorConstants } from './types';

export interface BootstrapOptions extends KeySources {
  /** Where the `BootstrapEnvironment` variables are read. @default process.env */
  readonly env?: Environment;
  /**
   * A JSON file with `region`, `trustAnchorArn`, `profileArn`, `roleArn`, `parameterPath` and the
   * paths (relative to the file) of `certificate`, `privateKey` and `intermediates`. Environment
   * variables override its values.
   * @default - the file named by `BootstrapEnvironment.BOOTSTRAP_FILE`, if any
   */
  readonly file?: string;
  /** @default - `BootstrapEnvironment.PARAMETER_PATH`, then the bootstrap file */
  readonly path?: string;
  /** @default - `BootstrapEnvironment.REGION`, then the bootstrap file, then the SDK's region chain */
  readonly region?: string;
  readonly endpoints?: ConnectorEndpoints;
  readonly logger?: Logger;
}

export interface BootstrapResult {
  readonly constants: ConnectorConstants;
  /** The credentials the connector's activities use. */
  readonly credentials: CredentialProvider;
}

/**
 * Starts a connector process. Outside AWS (the four bootstrap values are set): a Roles Anywhere
 * session from the certificate and key, with which the rest of the contract is read and which
 * the activities then use. Inside AWS (only the parameter path): the contract is read with the
 * SDK's default credential chain, and the credentials are those the constants call for.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const env = options.env ?? process.env;
  const file = options.file ?? (env[BootstrapEnvironment.BOOTSTRAP_FILE] || undefined);
  const source = readBootstrapValues({ env, ...(file !== undefined && { file }), path: options.path, region: options.region });

  if (source.kind === 'inside') {
    const constants = await loadConstants({
      path: source.parameterPath,
      ...(source.region !== undefined && { region: source.region }),
      ...(options.endpoints?.ssm !== undefined && { endpoint: options.endpoints.ssm }),
      ...(options.logger !== undefined && { logger: options.logger }),
    });
    return { constants, credentials: credentialsFromConstants(constants, { ...options, env }) };
  }

  const problems = new Problems();
  const keys = gatherKeySources(problems, options, env, source.keyFiles);
  requireKeyPair(problems, keys);
  problems.throwIfAny('the client certificate and key');

  const { values } = source;
  // Duration and SessionName are in the contract we have yet to read, so this session (which
  // the activities keep using) has the provider's default length and no session name.
  const credentials = fromRolesAnywhere({
    certificate: keys.certificate!,
    privateKey: keys.privateKey!,
    ...(keys.passphrase !== undefined && { passphrase: keys.passphrase }),
    ...(keys.intermediates !== undefined && { intermediates: keys.intermediates }),
    trustAnchorArn: values.trustAnchorArn,
    profileArn: values.profileArn,
    roleArn: values.roleArn,
    ...(options.endpoints?.rolesAnywhere !== undefined && { endpoint: options.endpoints.rolesAnywhere }),
  });
  const constants = await loadConstants({
    path: values.parameterPath,
    region: values.region,
    credentials,
    ...(options.endpoints?.ssm !== undefined && { endpoint: options.endpoints.ssm }),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  checkAgreement(constants, source, keys.certificate!);
  return { constants, credentials };
}

/**
 * The bootstrap values are a copy of part of the contract (the stack outputs): a copy that has
 * drifted from the parameters means a process configured for another connector or deployment.
 */
function checkAgreement(constants: ConnectorConstants, source: OutsideAws, certificate: string | Buffer): void {
  const { values, labels } = source;
  const path = values.parameterPath;
  const problems = new Problems((key) => `${path}/${key}`);
  const differs = (key: string, loaded: string, field: keyof BootstrapValues): void => {
    if (loaded !== values[field]) problems.invalid(key, loaded, `'${values[field]}' as ${labels[field]} says`);
  };
  differs(ParameterKeys.REGION, constants.region, 'region');
  if (constants.useStaticCredentials || !constants.session) {
    problems.invalid(ParameterKeys.USE_STATIC_CREDENTIALS, String(constants.useStaticCredentials),
      "'false': the process was bootstrapped with a Roles Anywhere session, but these constants call for static keys");
  } else {
    differs(ParameterKeys.TRUST_ANCHOR_ARN, constants.session.trustAnchorArn, 'trustAnchorArn');
    differs(ParameterKeys.PROFILE_ARN, constants.session.profileArn, 'profileArn');
    differs(ParameterKeys.ROLE_ARN, constants.session.roleArn, 'roleArn');
    const expectedId = constants.session.clientCertificateId;
    const presented = certificateId(certificate);
    if (expectedId !== undefined && presented !== expectedId) {
      problems.invalid(ParameterKeys.CLIENT_CERTIFICATE_ID, expectedId,
        `the fingerprint of the client certificate this process presents, which is ${presented}: the connector accepts only its own certificate`);
    }
  }
  problems.throwIfAny(`the constants at ${path}, which disagree with the bootstrap values`);
}
