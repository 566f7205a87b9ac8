import { BootstrapEnvironment, certificateId, ParameterKeys } from '../../contract';
import { definedOnly } from '../../contract/defined-only';
import { fromRolesAnywhere } from '../credentials';
import type { SecondarySessionTarget } from '../credentials/roles-anywhere-options';
import { RegionFallbacks } from '../fallback/region-fallbacks';
import { CredentialProvider, Logger } from '../types';
import { BootstrapValues, OutsideAws, readBootstrapValues } from './bootstrap-values';
import { ConnectorEndpoints, credentialsFromConstants } from './credentials';
import { Environment, gatherKeySources, KeySources, requireKeyPair } from './key-sources';
import { Problems } from './problems';
import { DEFAULT_PRIMARY_TIMEOUT_MS, loadConstantsBounded, loadConstantsWithFallback, SecondaryStartup } from './secondary';
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
  /** A multi-region connector's secondary region (secondary.ts): read there when the primary does not answer. */
  readonly secondary?: SecondaryStartup;
  /** @default 5000 */
  readonly primaryTimeoutMs?: number;
  /** Where fallbacks are counted and logged once. @default - a counter of its own */
  readonly fallbacks?: RegionFallbacks;
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
  const source = readBootstrapValues({ env, file, path: options.path, region: options.region });

  const fallbacks = options.fallbacks ?? new RegionFallbacks(options.logger);
  const { secondary, primaryTimeoutMs } = options;
  if (source.kind === 'inside') {
    const constants = await loadConstantsWithFallback({
      path: source.parameterPath,
      region: source.region,
      regionSources: { key: BootstrapEnvironment.REGION, names: `the region option or ${BootstrapEnvironment.REGION}` },
      endpoint: options.endpoints?.ssm,
      logger: options.logger,
      secondary,
      primaryTimeoutMs,
      fallbacks,
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
  const onFallback = (from: string, to: string, reason: string) => fallbacks.record('session', from, to, reason);
  const targetOf = (trustAnchorArn: string, profileArn: string): SecondarySessionTarget =>
    ({ trustAnchorArn, profileArn, ...definedOnly({ endpoint: options.endpoints?.rolesAnywhere }), onFallback });
  let secondaryTarget = secondary?.trustAnchorArn !== undefined && secondary.profileArn !== undefined
    ? targetOf(secondary.trustAnchorArn, secondary.profileArn)
    : undefined;
  const credentials = fromRolesAnywhere({
    secondary: () => secondaryTarget,
    certificate: keys.certificate!,
    privateKey: keys.privateKey!,
    passphrase: keys.passphrase,
    intermediates: keys.intermediates,
    trustAnchorArn: values.trustAnchorArn,
    profileArn: values.profileArn,
    roleArn: values.roleArn,
    endpoint: options.endpoints?.rolesAnywhere,
  });
  const constants = await loadConstantsWithFallback({
    path: values.parameterPath,
    region: values.region,
    credentials,
    endpoint: options.endpoints?.ssm,
    logger: options.logger,
    secondary,
    primaryTimeoutMs,
    fallbacks,
  });
  const fromSecondary = secondary !== undefined && constants.region === secondary.region && constants.region !== values.region;
  checkAgreement(constants, source, keys.certificate!, fromSecondary);
  // Read from the primary: learn the secondary's trust anchor and profile now, for a session there
  // once the primary stops answering (bounded; a secondary that does not answer now is not fatal).
  const secondaryRegion = constants.secondaryRegion ?? secondary?.region;
  if (!fromSecondary && secondaryTarget === undefined && secondaryRegion !== undefined) {
    try {
      const other = await loadConstantsBounded(
        { path: values.parameterPath, region: secondaryRegion, credentials, endpoint: options.endpoints?.ssm, logger: options.logger },
        primaryTimeoutMs ?? DEFAULT_PRIMARY_TIMEOUT_MS,
      );
      if (other.session) {
        secondaryTarget = targetOf(other.session.trustAnchorArn, other.session.profileArn);
      }
    } catch (error) {
      options.logger?.warn(`the secondary region ${secondaryRegion}'s contract at ${values.parameterPath} could not be read (${(error as Error).message}): sessions are created in ${values.region} only until a restart`);
    }
  }
  return { constants, credentials };
}

/**
 * The bootstrap values are a copy of part of the contract (the stack outputs): a copy that has
 * drifted from the parameters means a process configured for another connector or deployment.
 */
function checkAgreement(constants: ConnectorConstants, source: OutsideAws, certificate: string | Buffer, fromSecondary = false): void {
  const { values, labels } = source;
  const path = values.parameterPath;
  const problems = new Problems((key) => `${path}/${key}`);
  const differs = (key: string, loaded: string, field: keyof BootstrapValues): void => {
    if (loaded !== values[field]) problems.invalid(key, loaded, `'${values[field]}' as ${labels[field]} says`);
  };
  // The secondary region's contract has its own Region, trust anchor and profile; it names the primary instead.
  if (fromSecondary) differs(ParameterKeys.PRIMARY_REGION, constants.primaryRegion ?? values.region, 'region');
  else differs(ParameterKeys.REGION, constants.region, 'region');
  if (constants.useStaticCredentials || !constants.session) {
    problems.invalid(ParameterKeys.USE_STATIC_CREDENTIALS, String(constants.useStaticCredentials),
      "'false': the process was bootstrapped with a Roles Anywhere session, but these constants call for static keys");
  } else {
    if (!fromSecondary) {
      differs(ParameterKeys.TRUST_ANCHOR_ARN, constants.session.trustAnchorArn, 'trustAnchorArn');
      differs(ParameterKeys.PROFILE_ARN, constants.session.profileArn, 'profileArn');
    }
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
