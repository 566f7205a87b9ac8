import { parseGlobal } from './parse-global';
import { parseQueue } from './parse-queue';
import { parseReceiving } from './parse-receiving';
import { Problems } from './problems';
import { ConnectorConstants, SessionConstants, StaticConstants } from './types';
import {
  checkArn,
  checkContractResourceNamePrefix,
  READABLE_SCHEMA_VERSIONS,
  checkRegion,
  checkSameAccount,
  checkSameRegion,
  COMMON_KEYS,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  normalizeCertificateId,
  ParameterKey,
  ParameterKeys,
  parseArn,
  quote,
  parseContractBoolean,
  SCHEMA_VERSION,
  SESSION_KEYS,
  STATIC_KEYS,
} from '../../contract';
import { definedOnly } from '../../contract/defined-only';
import { parseClaimCheckConstants } from '../claim-check/constants';
import { EVENT_BUS_NAME, ROLE_SESSION_NAME } from '../names';

export interface ParseConstantsOptions {
  /**
   * The SSM path the values came from; messages then name each parameter in full.
   * @default - messages name the keys only
   */
  readonly path?: string;
}

const K = ParameterKeys;

const ACCESS_KEY_ID = /^\w{16,128}$/;
const WHOLE_NUMBER = /^\d+$/;

/** What each required key should hold, for "missing" messages. */
const EXPECTED: Partial<Record<ParameterKey, string>> = {
  [K.REGION]: 'a region code such as eu-west-1',
  [K.EVENT_BUS_NAME]: 'the event bus name',
  [K.EVENT_BUS_ARN]: 'the event bus ARN',
  [K.USE_STATIC_CREDENTIALS]: "'true' or 'false'",
  [K.SCHEMA_VERSION]: `'${SCHEMA_VERSION}'`,
  [K.ROLE_ARN]: 'the IAM role ARN the runtime assumes',
  [K.PROFILE_ARN]: 'the Roles Anywhere profile ARN',
  [K.TRUST_ANCHOR_ARN]: 'the Roles Anywhere trust anchor ARN',
  [K.DURATION]: `the session length in seconds, ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`,
  [K.ACCESS_KEY]: 'the access key id',
  [K.SECRET_KEY]: 'a reference to the Secrets Manager secret holding the secret key',
};

/** Keys that only some contracts carry; a missing one is not a problem. */
const OPTIONAL_COMMON: readonly ParameterKey[] = [K.RESOURCE_NAME_PREFIX];

/**
 * Validates the connector constants given as `key -> value` (the SSM contract's keys, e.g.
 * `RoleARN`) and returns them typed. Every problem is collected first and thrown as one
 * {@link ConstantsError} that names each key, its value and what was expected. Keys the contract
 * does not know are ignored.
 */
export function parseConstants(values: Readonly<Record<string, string | undefined>>, options: ParseConstantsOptions = {}): ConnectorConstants {
  const { path } = options;
  const problems = new Problems(path === undefined ? undefined : (key) => `${path}/${key}`);
  const get = (key: ParameterKey): string | undefined => {
    const value = values[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (keys: readonly ParameterKey[], mode: string): void => {
    for (const key of keys) {
      if (get(key) === undefined && !OPTIONAL_COMMON.includes(key)) problems.missing(key, `${EXPECTED[key]}${mode}`);
    }
  };

  required(COMMON_KEYS, '');

  const schemaVersion = get(K.SCHEMA_VERSION);
  if (schemaVersion !== undefined && !READABLE_SCHEMA_VERSIONS.includes(schemaVersion)) {
    const newer = WHOLE_NUMBER.test(schemaVersion) && Number(schemaVersion) > Number(SCHEMA_VERSION);
    problems.invalid(K.SCHEMA_VERSION, schemaVersion,
      `${READABLE_SCHEMA_VERSIONS.map((v) => `'${v}'`).join(' or ')}${newer ? ' (the parameters were written by a newer cdk-eventbridge-connector: upgrade the runtime)' : ''}`, 'unknown');
  }

  const region = get(K.REGION);
  const regionProblem = region === undefined ? undefined : checkRegion(region);
  if (region !== undefined && regionProblem) problems.fromContract(K.REGION, region, regionProblem);

  const eventBusName = get(K.EVENT_BUS_NAME);
  problems.unlessMatches(K.EVENT_BUS_NAME, eventBusName, EVENT_BUS_NAME, 'an event bus name of 1 to 256 letters, digits, and . - _ /');
  const eventBusArn = get(K.EVENT_BUS_ARN);
  if (eventBusArn !== undefined) checkEventBusArn(problems, eventBusArn, regionProblem ? undefined : region, eventBusName);

  const resourceNamePrefix = get(K.RESOURCE_NAME_PREFIX);
  const prefixProblem = resourceNamePrefix === undefined ? undefined : checkContractResourceNamePrefix(resourceNamePrefix, schemaVersion);
  if (prefixProblem) problems.fromContract(K.RESOURCE_NAME_PREFIX, resourceNamePrefix!, prefixProblem);

  const useStaticValue = get(K.USE_STATIC_CREDENTIALS);
  const useStatic = useStaticValue === undefined ? undefined : parseContractBoolean(useStaticValue);
  if (useStaticValue !== undefined && useStatic === undefined) {
    problems.invalid(K.USE_STATIC_CREDENTIALS, useStaticValue, "'true' (static keys) or 'false' (Roles Anywhere session)");
  }
  // A known mode demands its keys and ignores the other mode's (left over from a switch);
  // without one, check the format of whatever is there but demand nothing.
  if (useStatic === false) required(SESSION_KEYS, ' (session mode: UseStaticCredentials is false)');
  if (useStatic === true) required(STATIC_KEYS, ' (static mode: UseStaticCredentials is true)');
  const session = useStatic === true ? undefined : parseSession(problems, get);
  // Region is where the parameters, the role and the profile are: a profile elsewhere was
  // written by hand or copied from another connector, and CreateSession would not find it.
  // (Reported only when trust anchor and profile agree: otherwise that is the problem to fix.)
  const profileRegion = session?.profileArn ? parseArn(session.profileArn)?.region : undefined;
  const anchorRegion = session?.trustAnchorArn ? parseArn(session.trustAnchorArn)?.region : undefined;
  if (region !== undefined && !regionProblem && profileRegion !== undefined && profileRegion === anchorRegion && profileRegion !== region) {
    problems.across([K.REGION, K.PROFILE_ARN], `Region ${quote(region)} differs from the region ${quote(profileRegion)} of ProfileARN: expected the profile in the connector's region`);
  }
  const staticKeys = useStatic === false ? undefined : parseStatic(problems, get);
  const receiving = parseReceiving(problems, get, resourceNamePrefix);
  const queue = parseQueue(problems, get);
  const global = parseGlobal(problems, get, regionProblem ? undefined : region);
  const claimCheck = parseClaimCheckConstants(values);
  if (claimCheck && 'problems' in claimCheck) for (const p of claimCheck.problems) problems.across([K.CLAIM_CHECK_BUCKET_NAME, K.CLAIM_CHECK_KEY_PREFIX], p);

  problems.throwIfAny(path === undefined ? 'the connector constants' : `the connector constants at ${path}`);
  return {
    schemaVersion: schemaVersion!,
    region: region!,
    eventBusName: eventBusName!,
    eventBusArn: eventBusArn!,
    useStaticCredentials: useStatic!,
    ...definedOnly({ resourceNamePrefix, parameterPath: path }),
    ...(useStatic === false && { session: session as SessionConstants }),
    ...(useStatic === true && { static: staticKeys as StaticConstants }),
    ...(receiving && { receiving }),
    ...(queue && { queue }),
    ...global,
    claimCheck: claimCheck && !('problems' in claimCheck) ? claimCheck : undefined,
  };
}

function checkEventBusArn(problems: Problems, arn: string, region: string | undefined, name: string | undefined): void {
  const malformed = checkArn('event-bus', arn, K.EVENT_BUS_ARN);
  if (malformed) return problems.fromContract(K.EVENT_BUS_ARN, arn, malformed);
  const parts = parseArn(arn)!;
  if (region !== undefined && parts.region !== region) {
    problems.invalid(K.EVENT_BUS_ARN, arn, `a bus in Region ${quote(region)}, not in ${parts.region}`);
  }
  const arnName = parts.resource.slice('event-bus/'.length);
  if (name !== undefined && arnName !== name) {
    problems.invalid(K.EVENT_BUS_ARN, arn, `the ARN of EventBusName ${quote(name)}, not of ${quote(arnName)}`);
  }
}

type Get = (key: ParameterKey) => string | undefined;

function parseSession(problems: Problems, get: Get): Partial<SessionConstants> {
  const arn = (key: ParameterKey, kind: 'role' | 'profile' | 'trust-anchor'): string | undefined => {
    const value = get(key);
    const problem = value === undefined ? undefined : checkArn(kind, value, key);
    if (value !== undefined && problem) problems.fromContract(key, value, problem);
    return problem ? undefined : value;
  };
  const roleArn = arn(K.ROLE_ARN, 'role');
  const profileArn = arn(K.PROFILE_ARN, 'profile');
  const trustAnchorArn = arn(K.TRUST_ANCHOR_ARN, 'trust-anchor');
  const apart = trustAnchorArn && profileArn ? checkSameRegion(trustAnchorArn, profileArn) : undefined;
  if (apart) problems.across([K.TRUST_ANCHOR_ARN, K.PROFILE_ARN], apart);
  const otherAccount = roleArn && profileArn ? checkSameAccount(roleArn, profileArn) : undefined;
  if (otherAccount) problems.across([K.ROLE_ARN, K.PROFILE_ARN], otherAccount);

  const duration = get(K.DURATION);
  const seconds = duration !== undefined && WHOLE_NUMBER.test(duration) ? Number(duration) : undefined;
  if (duration !== undefined && (seconds === undefined || seconds < MIN_SESSION_DURATION_SECONDS || seconds > MAX_SESSION_DURATION_SECONDS)) {
    problems.invalid(K.DURATION, duration, `whole seconds from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`);
  }

  const sessionName = get(K.SESSION_NAME);
  problems.unlessMatches(K.SESSION_NAME, sessionName, ROLE_SESSION_NAME, 'a role session name of 2 to 64 letters, digits, and _ + = , . @ -');

  const certificateIdValue = get(K.CLIENT_CERTIFICATE_ID);
  const clientCertificateId = certificateIdValue === undefined ? undefined : normalizeCertificateId(certificateIdValue);
  if (certificateIdValue !== undefined && clientCertificateId === undefined) {
    problems.invalid(K.CLIENT_CERTIFICATE_ID, certificateIdValue, 'the SHA-256 fingerprint of the client certificate: 64 hex digits, with or without colons');
  }

  return {
    roleArn,
    profileArn,
    trustAnchorArn,
    durationSeconds: seconds,
    ...definedOnly({ sessionName, clientCertificateId }),
  };
}

function parseStatic(problems: Problems, get: Get): Partial<StaticConstants> {
  const accessKeyId = get(K.ACCESS_KEY);
  problems.unlessMatches(K.ACCESS_KEY, accessKeyId, ACCESS_KEY_ID, 'an access key id such as AKIAIOSFODNN7EXAMPLE (16 to 128 letters and digits)');
  const secretKeyReference = get(K.SECRET_KEY);
  problems.unlessSecretReference(K.SECRET_KEY, secretKeyReference, 'the secret key');
  return { accessKeyId, secretKeyReference };
}
