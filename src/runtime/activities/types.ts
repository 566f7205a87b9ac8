/** Inputs and results of the connector's activities, as plain camelCase objects. */

/** How EventBridge authorizes its calls to an API destination's endpoint. */
export type ConnectionAuthorization =
  | {
    readonly type: 'API_KEY';
    /** The header EventBridge sends the key in, e.g. `x-api-key`. */
    readonly apiKeyName: string;
    readonly apiKeyValue: string;
  }
  | {
    readonly type: 'BASIC';
    readonly username: string;
    readonly password: string;
  };

export interface CreateConnectionInput {
  /** 1 to 64 letters, digits and `. - _`; starts with the contract's ResourceNamePrefix when there is one (`orders.` allows `orders.billing-app`). */
  readonly name: string;
  readonly authorization: ConnectionAuthorization;
  /** At most 512 characters. */
  readonly description?: string;
}

export interface UpdateConnectionInput {
  readonly name: string;
  /** @default - the authorization stays as it is */
  readonly authorization?: ConnectionAuthorization;
  /** @default - the description stays as it is */
  readonly description?: string;
}

/** What CreateConnection and UpdateConnection report. */
export interface ConnectionChange {
  readonly arn: string;
  /** `AUTHORIZED`, `AUTHORIZING`, `UPDATING`, ... */
  readonly state: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
}

/** A connection as DescribeConnection returns it; secrets (API key value, password) never appear. */
export interface ConnectionDescription {
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly stateReason?: string;
  /** `API_KEY`, `BASIC` or `OAUTH_CLIENT_CREDENTIALS`. */
  readonly authorizationType: string;
  /** The header name, for `API_KEY` connections. */
  readonly apiKeyName?: string;
  /** The user name, for `BASIC` connections. */
  readonly username?: string;
  readonly description?: string;
  /** The Secrets Manager secret EventBridge keeps the credentials in. */
  readonly secretArn?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
  readonly lastAuthorizedTime?: Date;
}

/** The HTTP methods an API destination can use. */
export type HttpMethod = 'POST' | 'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'PATCH' | 'DELETE';

export interface CreateApiDestinationInput {
  /** 1 to 64 letters, digits and `. - _`; starts with the contract's ResourceNamePrefix when there is one (`orders.` allows `orders.billing-app`). */
  readonly name: string;
  /** ARN of the connection that authorizes the calls. */
  readonly connectionArn: string;
  /** The URL EventBridge calls: https, or http on a loopback host for local tests. */
  readonly endpoint: string;
  /** @default 'POST' */
  readonly httpMethod?: HttpMethod;
  /**
   * Most invocations per second, 1 to 300.
   * @default - EventBridge's default (300)
   */
  readonly rateLimitPerSecond?: number;
  /** At most 512 characters. */
  readonly description?: string;
}

export interface UpdateApiDestinationInput {
  readonly name: string;
  readonly connectionArn?: string;
  readonly endpoint?: string;
  readonly httpMethod?: HttpMethod;
  readonly rateLimitPerSecond?: number;
  readonly description?: string;
}

/** What CreateApiDestination and UpdateApiDestination report. */
export interface ApiDestinationChange {
  readonly arn: string;
  /** `ACTIVE` or `INACTIVE`. */
  readonly state: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
}

export interface ApiDestinationDescription {
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly connectionArn: string;
  readonly endpoint: string;
  readonly httpMethod: string;
  readonly rateLimitPerSecond?: number;
  readonly description?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
}

export interface RegisterAppInput {
  /**
   * The URL of this app's receive handler, e.g. `https://app.example.com/events`.
   * @default - the contract's ReceiveEndpoint
   */
  readonly endpoint?: string;
  /**
   * The key EventBridge must present; the receiver checks it.
   * @default - the value of the secret the contract's ApiKeySecret refers to
   */
  readonly apiKey?: string;
  /**
   * The header that carries the key.
   * @default - the contract's ApiKeyHeader, else 'x-api-key'
   */
  readonly apiKeyHeader?: string;
  /**
   * Name for both the connection and the API destination (they are separate kinds of resource).
   * @default - the contract's ConnectionName and ApiDestinationName
   */
  readonly name?: string;
  /** @default - `name`, else the contract's ConnectionName */
  readonly connectionName?: string;
  /** @default - `name`, else the contract's ApiDestinationName */
  readonly apiDestinationName?: string;
  /** @default 'POST' (the receiver answers 405 to anything else) */
  readonly httpMethod?: HttpMethod;
  /**
   * Most deliveries per second, 1 to 300. When left out, an existing destination keeps its rate
   * and a new one gets 50 (the construct's default).
   */
  readonly rateLimitPerSecond?: number;
}

/** What registerApp did to each resource. */
export type RegistrationChange = 'created' | 'updated' | 'unchanged';

export interface RegisterAppResult {
  readonly connection: RegistrationChange;
  readonly apiDestination: RegistrationChange;
  readonly connectionArn: string;
  readonly apiDestinationArn: string;
}

/** Who the client's credentials belong to (STS GetCallerIdentity). */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export interface ListEventBusesInput {
  /** Only buses whose name starts with this. */
  readonly namePrefix?: string;
}

export interface EventBusSummary {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  /** The bus's resource policy, as a JSON string. */
  readonly policy?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
}

export interface EventBusDescription extends EventBusSummary {
  /** The KMS key the bus encrypts events with, when not an AWS owned key. */
  readonly kmsKeyIdentifier?: string;
  /** The queue for events the bus could not deliver to a target, when set. */
  readonly deadLetterQueueArn?: string;
}
