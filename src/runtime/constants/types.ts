/** The connector constants, as loaded from the SSM contract (see src/contract/parameters.ts). */

export interface SessionConstants {
  readonly roleArn: string;
  readonly profileArn: string;
  readonly trustAnchorArn: string;
  /** Session length in seconds, 900 to 43200. */
  readonly durationSeconds: number;
  readonly sessionName?: string;
  /** SHA-256 fingerprint of the only certificate the runtime may present (`AWS_ClientCertificateID`). */
  readonly clientCertificateId?: string;
}

export interface StaticConstants {
  readonly accessKeyId: string;
  /** The `SecretKey` parameter's value: a reference to the Secrets Manager secret, not the key. */
  readonly secretKeyReference: string;
}

export interface ReceivingConstants {
  readonly connectionName: string;
  readonly connectionArn?: string;
  readonly apiDestinationName: string;
  readonly apiDestinationArn?: string;
  readonly endpoint: string;
  readonly apiKeyHeader: string;
  /** A reference to the Secrets Manager secret holding the API key value. */
  readonly apiKeySecretReference: string;
}

/** The multi-region keys (see parse-global.ts); every one optional. */
export interface GlobalConstants {
  /** Primary region: the global endpoint's `EndpointId`, e.g. `abcde.veo`. PutEvents goes through it. */
  readonly endpointId?: string;
  readonly endpointArn?: string;
  /** Primary region: where the secondary contract, bus, queue and trust anchor are. */
  readonly secondaryRegion?: string;
  /** Secondary region's contract: the primary region. */
  readonly primaryRegion?: string;
}

export interface ConnectorConstants extends GlobalConstants {
  readonly schemaVersion: string;
  readonly region: string;
  readonly eventBusName: string;
  readonly eventBusArn: string;
  readonly useStaticCredentials: boolean;
  /**
   * Connection and API destination names must start with it for the connector role to manage
   * them: letters, digits, `-` or `_` ended by one `.`, e.g. `orders.` (see `checkResourceNamePrefix`).
   */
  readonly resourceNamePrefix?: string;
  /** Present when `useStaticCredentials` is false. */
  readonly session?: SessionConstants;
  /** Present when `useStaticCredentials` is true. */
  readonly static?: StaticConstants;
  /** Present when the connector receives events. */
  readonly receiving?: ReceivingConstants;
  /** Present when the connector has a queue receiver. */
  readonly queue?: QueueConstants;
  /** Present when the connector has a claim-check store (`ClaimCheckBucketName`, `ClaimCheckKeyPrefix`). */
  readonly claimCheck?: { readonly bucket: string; readonly keyPrefix: string };
  /** The SSM path they were read from, when they were. */
  readonly parameterPath?: string;
}

/** The queue receiver's constants. */
export interface QueueConstants {
  readonly queueUrl: string;
  readonly queueArn?: string;
}
