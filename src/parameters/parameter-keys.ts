// ParameterKeys: the SSM contract's key names as jsii constants, taken from src/contract.
import { ParameterKeys as ContractKeys } from '../contract';

/**
 * The keys of a connector's SSM contract, for `ConnectorParameters.valueFor(key)` and for
 * reading the parameters yourself (`<parameter path>/<key>`). The values are the contract's own
 * (`src/contract`), so a renamed key breaks the build, not production. A class of constants
 * rather than a TypeScript `const` object so that every jsii language sees them.
 */
export class ParameterKeys {
  /** Region code of the bus, the parameters, the role and the profile, e.g. `eu-west-1`. */
  public static readonly REGION: string = ContractKeys.REGION;
  /** Name of the connector's event bus. */
  public static readonly EVENT_BUS_NAME: string = ContractKeys.EVENT_BUS_NAME;
  /** ARN of the connector's event bus. */
  public static readonly EVENT_BUS_ARN: string = ContractKeys.EVENT_BUS_ARN;
  /** `true` (static keys) or `false` (Roles Anywhere session). */
  public static readonly USE_STATIC_CREDENTIALS: string = ContractKeys.USE_STATIC_CREDENTIALS;
  /** Session mode: the role the runtime assumes. */
  public static readonly ROLE_ARN: string = ContractKeys.ROLE_ARN;
  /** Session mode: the Roles Anywhere profile. */
  public static readonly PROFILE_ARN: string = ContractKeys.PROFILE_ARN;
  /** Session mode: the Roles Anywhere trust anchor. */
  public static readonly TRUST_ANCHOR_ARN: string = ContractKeys.TRUST_ANCHOR_ARN;
  /** Session mode, optional: SHA-256 fingerprint of the only client certificate the runtime may present. */
  public static readonly CLIENT_CERTIFICATE_ID: string = ContractKeys.CLIENT_CERTIFICATE_ID;
  /** Session mode: session length in seconds, 900 to 43200. */
  public static readonly DURATION: string = ContractKeys.DURATION;
  /** Session mode, optional: role session name. */
  public static readonly SESSION_NAME: string = ContractKeys.SESSION_NAME;
  /** Static mode: access key id. */
  public static readonly ACCESS_KEY: string = ContractKeys.ACCESS_KEY;
  /** Static mode: a Secrets Manager reference to the secret access key, never the key itself. */
  public static readonly SECRET_KEY: string = ContractKeys.SECRET_KEY;
  /** Prefix of the connection and API destination names the connector manages. */
  public static readonly RESOURCE_NAME_PREFIX: string = ContractKeys.RESOURCE_NAME_PREFIX;
  /** Version of the parameter layout. */
  public static readonly SCHEMA_VERSION: string = ContractKeys.SCHEMA_VERSION;
  /** Receiving path: name of the connection. */
  public static readonly CONNECTION_NAME: string = ContractKeys.CONNECTION_NAME;
  /** Receiving path: ARN of the connection. */
  public static readonly CONNECTION_ARN: string = ContractKeys.CONNECTION_ARN;
  /** Receiving path: name of the API destination. */
  public static readonly API_DESTINATION_NAME: string = ContractKeys.API_DESTINATION_NAME;
  /** Receiving path: ARN of the API destination. */
  public static readonly API_DESTINATION_ARN: string = ContractKeys.API_DESTINATION_ARN;
  /** Receiving path: the application's URL that the API destination calls. */
  public static readonly RECEIVE_ENDPOINT: string = ContractKeys.RECEIVE_ENDPOINT;
  /** Receiving path: name of the HTTP header that carries the API key. */
  public static readonly API_KEY_HEADER: string = ContractKeys.API_KEY_HEADER;
  /** Receiving path: a Secrets Manager reference to the secret holding the API key. */
  public static readonly API_KEY_SECRET: string = ContractKeys.API_KEY_SECRET;
  /** Queue receiving: URL of the queue the runtime's consumer polls. */
  public static readonly QUEUE_URL: string = ContractKeys.QUEUE_URL;
  /** Queue receiving: ARN of that queue. */
  public static readonly QUEUE_ARN: string = ContractKeys.QUEUE_ARN;
  /** Multi-region, primary region: the global endpoint's `EndpointId` attribute, e.g. `abcde.xyz`. */
  public static readonly ENDPOINT_ID: string = ContractKeys.ENDPOINT_ID;
  /** Multi-region, primary region: ARN of the global endpoint. */
  public static readonly ENDPOINT_ARN: string = ContractKeys.ENDPOINT_ARN;
  /** Multi-region, primary region: region code of the secondary region. */
  public static readonly SECONDARY_REGION: string = ContractKeys.SECONDARY_REGION;
  /** Multi-region, secondary region: region code of the primary region (its contract has no `EndpointId`). */
  public static readonly PRIMARY_REGION: string = ContractKeys.PRIMARY_REGION;
  /** Claim check: name of the S3 bucket that holds payloads over the request limit. */
  public static readonly CLAIM_CHECK_BUCKET_NAME: string = ContractKeys.CLAIM_CHECK_BUCKET_NAME;
  /** Claim check: key prefix of the connector's payloads in that bucket, ended by `/`. */
  public static readonly CLAIM_CHECK_KEY_PREFIX: string = ContractKeys.CLAIM_CHECK_KEY_PREFIX;

  private constructor() {}
}
