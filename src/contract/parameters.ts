import { connectorSlug } from './names';
import { quote } from './quote';

/**
 * The SSM contract between the constructs (which write it) and the runtime (which reads it):
 * one String parameter per connector constant under a path. Both faces import these names, so a
 * renamed key breaks the build rather than production.
 */

/**
 * Version of the parameter layout the constructs write; the runtime refuses a contract it does
 * not know. `2`: `ResourceNamePrefix` ends with the delimiter `.` (see resource-name-prefix.ts).
 */
export const SCHEMA_VERSION = '2';

/**
 * Versions the runtime reads. `1` was written before the delimiter rule: its prefix (such as
 * `orders-`) is read by the rule of its day, so an app keeps running after an upgrade of the
 * package until its stack is deployed again.
 */
export const READABLE_SCHEMA_VERSIONS: readonly string[] = ['1', '2'];

/** Where a connector's parameters live unless told otherwise: `/eventbridge-connector/<id>`. */
export const DEFAULT_PATH_PREFIX = '/eventbridge-connector';

/**
 * Parameter keys. They keep the low-code connector's constant names so that people who know it
 * recognise them.
 */
export const ParameterKeys = {
  /** Region code of the bus, e.g. `eu-west-1`. Always written. */
  REGION: 'Region',
  EVENT_BUS_NAME: 'EventBusName',
  EVENT_BUS_ARN: 'EventBusArn',
  /** `true` (static keys) or `false` (Roles Anywhere session). Always written. */
  USE_STATIC_CREDENTIALS: 'UseStaticCredentials',
  /** Session mode: the role the runtime assumes. */
  ROLE_ARN: 'RoleARN',
  /** Session mode: the Roles Anywhere profile. */
  PROFILE_ARN: 'ProfileARN',
  /** Session mode: the Roles Anywhere trust anchor. */
  TRUST_ANCHOR_ARN: 'AWS_TrustAnchorARN',
  /** Session mode, optional: SHA-256 fingerprint of the only client certificate the runtime may present. */
  CLIENT_CERTIFICATE_ID: 'AWS_ClientCertificateID',
  /** Session mode: session length in seconds, 900 to 43200. */
  DURATION: 'Duration',
  /** Session mode, optional: role session name (the profile must accept it). */
  SESSION_NAME: 'SessionName',
  /** Static mode: access key id. */
  ACCESS_KEY: 'AccessKey',
  /** Static mode: a Secrets Manager reference (see {@link secretReference}), never the key itself. */
  SECRET_KEY: 'SecretKey',
  /** Prefix that connection and API destination names must carry for the connector role to manage them. */
  RESOURCE_NAME_PREFIX: 'ResourceNamePrefix',
  SCHEMA_VERSION: 'SchemaVersion',

  // Receiving path (written when the connector receives events).
  CONNECTION_NAME: 'ConnectionName',
  CONNECTION_ARN: 'ConnectionArn',
  API_DESTINATION_NAME: 'ApiDestinationName',
  API_DESTINATION_ARN: 'ApiDestinationArn',
  /** The app's URL that the API destination calls. */
  RECEIVE_ENDPOINT: 'ReceiveEndpoint',
  /** Name of the HTTP header that carries the API key. */
  API_KEY_HEADER: 'ApiKeyHeader',
  /** A Secrets Manager reference (see {@link secretReference}) to the secret holding the API key value. */
  API_KEY_SECRET: 'ApiKeySecret',

  // Queue receiving (written when the connector has a queue receiver).
  /** URL of the SQS queue a rule on the bus sends events to; the runtime's consumer polls it. */
  QUEUE_URL: 'QueueUrl',
  QUEUE_ARN: 'QueueArn',

  // Multi-region (issue 22). Optional and additive: a runtime that does not know them ignores
  // unknown keys (load.ts logs them at debug) and sends to the regional bus as before, which is
  // what the primary region's contract also allows, so SchemaVersion stays 2.
  /** Primary region, optional: the global endpoint's `EndpointId` attribute, e.g. `abcde.xyz`. */
  ENDPOINT_ID: 'EndpointId',
  /** Primary region, optional: ARN of the global endpoint. */
  ENDPOINT_ARN: 'EndpointArn',
  /** Primary region, optional: region code of the secondary region, e.g. `eu-central-1`. */
  SECONDARY_REGION: 'SecondaryRegion',
  /**
   * Secondary region, optional: region code of the primary region. The secondary region's
   * contract has no `EndpointId`: a runtime that reads it sends to that region's bus directly.
   */
  PRIMARY_REGION: 'PrimaryRegion',
  // Claim check (written when the connector stores large payloads in S3). Optional keys: a runtime
  // that predates them ignores them, so the schema version stays.
  /** Name of the S3 bucket that holds the payloads of entries over the request limit. */
  CLAIM_CHECK_BUCKET_NAME: 'ClaimCheckBucketName',
  /** Key prefix of this connector's payloads in that bucket, ended by `/` (see `checkClaimCheckKeyPrefix`). */
  CLAIM_CHECK_KEY_PREFIX: 'ClaimCheckKeyPrefix',
} as const;

export type ParameterKey = (typeof ParameterKeys)[keyof typeof ParameterKeys];

/** Keys written for every connector. */
export const COMMON_KEYS: readonly ParameterKey[] = [
  ParameterKeys.REGION,
  ParameterKeys.EVENT_BUS_NAME,
  ParameterKeys.EVENT_BUS_ARN,
  ParameterKeys.USE_STATIC_CREDENTIALS,
  ParameterKeys.RESOURCE_NAME_PREFIX,
  ParameterKeys.SCHEMA_VERSION,
];

/** Keys a session-mode contract must have (besides {@link COMMON_KEYS}). */
export const SESSION_KEYS: readonly ParameterKey[] = [
  ParameterKeys.ROLE_ARN,
  ParameterKeys.PROFILE_ARN,
  ParameterKeys.TRUST_ANCHOR_ARN,
  ParameterKeys.DURATION,
];

/** Keys a static-mode contract must have (besides {@link COMMON_KEYS}). */
export const STATIC_KEYS: readonly ParameterKey[] = [ParameterKeys.ACCESS_KEY, ParameterKeys.SECRET_KEY];

/** Keys written together when the connector receives events. */
export const RECEIVING_KEYS: readonly ParameterKey[] = [
  ParameterKeys.CONNECTION_NAME,
  ParameterKeys.CONNECTION_ARN,
  ParameterKeys.API_DESTINATION_NAME,
  ParameterKeys.API_DESTINATION_ARN,
  ParameterKeys.RECEIVE_ENDPOINT,
  ParameterKeys.API_KEY_HEADER,
  ParameterKeys.API_KEY_SECRET,
];

/** Keys written together by a queue receiver. */
export const QUEUE_KEYS: readonly ParameterKey[] = [ParameterKeys.QUEUE_URL, ParameterKeys.QUEUE_ARN];

/** Keys the primary region's contract carries when the connector has a global endpoint. */
export const GLOBAL_ENDPOINT_KEYS: readonly ParameterKey[] = [
  ParameterKeys.ENDPOINT_ID,
  ParameterKeys.ENDPOINT_ARN,
  ParameterKeys.SECONDARY_REGION,
];
/** Keys written together when the connector has a claim-check store. */
export const CLAIM_CHECK_KEYS: readonly ParameterKey[] = [ParameterKeys.CLAIM_CHECK_BUCKET_NAME, ParameterKeys.CLAIM_CHECK_KEY_PREFIX];

/** Session duration bounds of IAM Roles Anywhere, in seconds. */
export const MIN_SESSION_DURATION_SECONDS = 900;
export const MAX_SESSION_DURATION_SECONDS = 43200;
export const DEFAULT_SESSION_DURATION_SECONDS = 3600;

/** Bootstrap values a process outside AWS needs before it can read the rest of the contract. */
export const BootstrapEnvironment = {
  REGION: 'EVENTBRIDGE_CONNECTOR_REGION',
  TRUST_ANCHOR_ARN: 'EVENTBRIDGE_CONNECTOR_TRUST_ANCHOR_ARN',
  PROFILE_ARN: 'EVENTBRIDGE_CONNECTOR_PROFILE_ARN',
  ROLE_ARN: 'EVENTBRIDGE_CONNECTOR_ROLE_ARN',
  PARAMETER_PATH: 'EVENTBRIDGE_CONNECTOR_PARAMETER_PATH',
  CERTIFICATE: 'EVENTBRIDGE_CONNECTOR_CERTIFICATE',
  PRIVATE_KEY: 'EVENTBRIDGE_CONNECTOR_PRIVATE_KEY',
  INTERMEDIATES: 'EVENTBRIDGE_CONNECTOR_INTERMEDIATES',
  /** Passphrase of an encrypted private key. */
  PRIVATE_KEY_PASSPHRASE: 'EVENTBRIDGE_CONNECTOR_PRIVATE_KEY_PASSPHRASE',
  BOOTSTRAP_FILE: 'EVENTBRIDGE_CONNECTOR_BOOTSTRAP_FILE',
} as const;

/** Names of the stack outputs that carry the bootstrap values (prefixed by the connector id). */
export const BootstrapOutputs = {
  REGION: 'Region',
  TRUST_ANCHOR_ARN: 'TrustAnchorArn',
  PROFILE_ARN: 'ProfileArn',
  ROLE_ARN: 'RoleArn',
  PARAMETER_PATH: 'ParameterPath',
} as const;

const PATH_SEGMENT = /^[a-zA-Z0-9_.-]+$/;
/** SSM allows 15 levels of hierarchy in a parameter name; the key takes the last one. */
const MAX_PATH_DEPTH = 14;
/** SSM's limit on a parameter name, less room for the longest key. */
const MAX_PATH_LENGTH = 1011 - 1 - 32;

/**
 * Default parameter path of a connector: `/eventbridge-connector/<slug>`, where the slug is the
 * construct id in lower-case kebab case (see `connectorSlug`): `Orders` gives
 * `/eventbridge-connector/orders`.
 */
export function defaultParameterPath(connectorId: string): string {
  return `${DEFAULT_PATH_PREFIX}/${connectorSlug(connectorId)}`;
}

/**
 * Says what is wrong with a parameter path, or returns undefined when it is valid. A path starts
 * with `/`, has no trailing `/`, and its segments use letters, digits, `_`, `.` and `-`.
 */
export function checkParameterPath(path: string): string | undefined {
  const expected = 'expected a path such as /eventbridge-connector/orders: a leading /, no trailing /, segments of letters, digits, _ . -';
  if (!path.startsWith('/') || path.length < 2 || path.endsWith('/')) {
    return `invalid parameter path ${quote(path)}: ${expected}`;
  }
  const segments = path.slice(1).split('/');
  if (segments.some((s) => !PATH_SEGMENT.test(s))) {
    return `invalid parameter path ${quote(path)}: ${expected}`;
  }
  if (/^aws|^ssm/i.test(segments[0])) {
    return `invalid parameter path ${quote(path)}: paths may not begin with 'aws' or 'ssm' (reserved by SSM)`;
  }
  if (segments.length > MAX_PATH_DEPTH) {
    return `invalid parameter path ${quote(path)}: ${segments.length} levels, SSM allows at most ${MAX_PATH_DEPTH} below the key`;
  }
  if (path.length > MAX_PATH_LENGTH) {
    return `invalid parameter path ${quote(path)}: ${path.length} characters, at most ${MAX_PATH_LENGTH} allowed`;
  }
  return undefined;
}

/** Full parameter name of a key under a path. */
export function parameterName(path: string, key: ParameterKey): string {
  return `${path}/${key}`;
}

/** The key of a full parameter name under `path`, or undefined when it is not directly under it. */
export function keyOfParameterName(path: string, name: string): string | undefined {
  const prefix = `${path}/`;
  if (!name.startsWith(prefix)) return undefined;
  const key = name.slice(prefix.length);
  return key.includes('/') ? undefined : key;
}

const SECRET_REFERENCE_PREFIX = '/aws/reference/secretsmanager/';

/**
 * The value stored in a parameter that refers to a Secrets Manager secret: SSM resolves this
 * name through `GetParameter` with decryption, so the secret never sits in a String parameter.
 */
export function secretReference(secretIdOrArn: string): string {
  return `${SECRET_REFERENCE_PREFIX}${secretIdOrArn}`;
}

/** The secret id of a {@link secretReference}, or undefined when the value is not one. */
export function parseSecretReference(value: string): string | undefined {
  if (!value.startsWith(SECRET_REFERENCE_PREFIX)) return undefined;
  const id = value.slice(SECRET_REFERENCE_PREFIX.length);
  return id.length > 0 ? id : undefined;
}

/** Parses `true`/`false` as the contract writes them. */
export function parseContractBoolean(value: string): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
