// ConnectorParameters: the SSM contract a connector writes (or one imported by its path), and the grants to read it.
import { Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import type { StaticCredentials } from '../access';
import { registerClaim } from '../access/contract-overlap';
import { stackPlacement } from '../access/placement';
import { AccessSpec, readParameterPathAccess } from '../access/read-parameters';
import { secretByNameArn, secretReferenceParameterArn, staticSecretName } from '../access/resource-arns';
import { assertParameterPath, assertResourceNamePrefix, assertSessionName } from '../access/validation';
import {
  checkArn,
  checkPlacement,
  checkSameAccount,
  checkSameRegion,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  ParameterKey,
  ParameterKeys,
  SCHEMA_VERSION,
  normalizeCertificateId,
  parameterName,
  quote,
  secretReference,
} from '../contract';

const KNOWN_KEYS: readonly string[] = Object.values(ParameterKeys);

/** A connector's SSM contract, written by this app or imported by its path. */
export interface IConnectorParameters extends IConstruct {
  /** The parameter path, e.g. `/eventbridge-connector/orders`. */
  readonly parameterPath: string;

  /**
   * Lets `grantee` read the contract: `ssm:GetParametersByPath` on the path,
   * `ssm:GetParameter(s)` on the parameters below it and, in static mode, resolving the secret
   * that `SecretKey` refers to.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * The value of one contract key, e.g. `ParameterKeys.EVENT_BUS_ARN`, usable in this stack's
   * resources. Throws for a key the contract does not have (and, for a contract written in this
   * app, for a key it did not write).
   *
   * @param key a contract key: one of `ParameterKeys`
   */
  valueFor(key: string): string;
}

/** The contract values of a connector in session mode (IAM Roles Anywhere). */
export interface SessionParameterValues {
  /** ARN of the role the runtime assumes. */
  readonly roleArn: string;

  /** ARN of the Roles Anywhere profile. */
  readonly profileArn: string;

  /** ARN of the Roles Anywhere trust anchor. */
  readonly trustAnchorArn: string;

  /** Session length in seconds, 900 to 43200. */
  readonly durationSeconds: number;

  /**
   * Role session name the runtime asks for (the profile must accept role session names).
   *
   * @default - no `SessionName` parameter: the session is named after the certificate serial
   */
  readonly sessionName?: string;

  /**
   * SHA-256 fingerprint of the only client certificate the runtime may present, 64 hex digits
   * (`:` separators and upper case are accepted and normalized).
   *
   * @default - no `AWS_ClientCertificateID` parameter: the runtime presents the certificate it is given
   */
  readonly clientCertificateId?: string;
}

/** Properties of {@link ConnectorParameters}. */
export interface ConnectorParametersProps {
  /** The parameter path the contract is written under, e.g. `/eventbridge-connector/orders`. */
  readonly parameterPath: string;

  /** The connector's event bus (`Region`, `EventBusName`, `EventBusArn`). */
  readonly eventBus: events.IEventBus;

  /**
   * Prefix of the connection and API destination names the connector manages, e.g. `orders.`:
   * 1 to 39 letters, digits, `-` or `_` ended by one `.` (see `EventBridgeConnectorProps.resourceNamePrefix`).
   */
  readonly resourceNamePrefix: string;

  /**
   * Session-mode values. Exactly one of `session` and `staticCredentials` is given.
   *
   * @default - not session mode
   */
  readonly session?: SessionParameterValues;

  /**
   * Static-mode credentials: `AccessKey` holds the key id and `SecretKey` a reference to the
   * secret that holds the secret key. Exactly one of `session` and `staticCredentials` is given.
   *
   * @default - not static mode
   */
  readonly staticCredentials?: StaticCredentials;
}

/** Attributes of a connector contract written elsewhere (another stack or app). */
export interface ConnectorParametersAttributes {
  /** The parameter path, e.g. `/eventbridge-connector/orders`. */
  readonly parameterPath: string;

  /**
   * Whether the connector uses static credentials, so that `grantRead` also lets the grantee
   * resolve `SecretKey` (a secret named after the path, see `StaticCredentials`).
   *
   * @default false
   */
  readonly staticCredentials?: boolean;
}

/**
 * The SSM contract of a connector: one String parameter per constant under a path, which the
 * runtime reads at startup. Another stack or app uses a connector through
 * {@link ConnectorParameters.fromPath}.
 */
export class ConnectorParameters extends Construct implements IConnectorParameters {
  /** A connector contract written elsewhere, by its path. */
  public static fromPath(scope: Construct, id: string, parameterPath: string): IConnectorParameters {
    return ConnectorParameters.fromPathAttributes(scope, id, { parameterPath });
  }

  /** A connector contract written elsewhere, by its path and authentication mode. */
  public static fromPathAttributes(scope: Construct, id: string, attrs: ConnectorParametersAttributes): IConnectorParameters {
    assertParameterPath(attrs.parameterPath);
    const secretName = attrs.staticCredentials ? staticSecretName(attrs.parameterPath) : undefined;
    if (attrs.staticCredentials && secretName === undefined) {
      throw new Error(`cannot import static-mode parameters at ${quote(attrs.parameterPath)} (a token): the secret name is derived from a literal path`);
    }
    return new ImportedConnectorParameters(scope, id, attrs.parameterPath, secretName);
  }

  public readonly parameterPath: string;

  /** Prefix of the connection and API destination names the connector manages. */
  public readonly resourceNamePrefix: string;

  /** Whether the contract is in static mode. */
  public readonly useStaticCredentials: boolean;

  private readonly parameters = new Map<string, ssm.StringParameter>();
  private readonly staticCredentials?: StaticCredentials;

  constructor(scope: Construct, id: string, props: ConnectorParametersProps) {
    assertParameterPath(props.parameterPath);
    assertResourceNamePrefix(props.resourceNamePrefix);
    if ((props.session === undefined) === (props.staticCredentials === undefined)) {
      throw new Error(
        `connector parameters at ${quote(props.parameterPath)} need exactly one of session and staticCredentials, got ${props.session ? 'both' : 'neither'}`,
      );
    }
    const session = props.session ? checkSessionValues(scope, props.session) : undefined;
    super(scope, id);

    this.parameterPath = props.parameterPath;
    this.resourceNamePrefix = props.resourceNamePrefix;
    // Once the app is complete: no other contract of the app shares, nests or prefixes ours.
    registerClaim(this, { kind: 'connector', parameterPath: this.parameterPath, resourceNamePrefix: this.resourceNamePrefix });
    this.useStaticCredentials = props.staticCredentials !== undefined;
    this.staticCredentials = props.staticCredentials;

    // The region of the parameters themselves (and of the role and profile), which is where the
    // runtime starts; a connector refuses a bus of another region.
    this.write(ParameterKeys.REGION, Stack.of(this).region);
    this.write(ParameterKeys.EVENT_BUS_NAME, props.eventBus.eventBusName);
    this.write(ParameterKeys.EVENT_BUS_ARN, props.eventBus.eventBusArn);
    this.write(ParameterKeys.USE_STATIC_CREDENTIALS, String(this.useStaticCredentials));
    this.write(ParameterKeys.RESOURCE_NAME_PREFIX, props.resourceNamePrefix);
    this.write(ParameterKeys.SCHEMA_VERSION, SCHEMA_VERSION);
    if (session) {
      this.write(ParameterKeys.ROLE_ARN, session.roleArn);
      this.write(ParameterKeys.PROFILE_ARN, session.profileArn);
      this.write(ParameterKeys.TRUST_ANCHOR_ARN, session.trustAnchorArn);
      const seconds = session.durationSeconds;
      this.write(ParameterKeys.DURATION, Token.isUnresolved(seconds) ? Token.asString(seconds) : String(seconds));
      if (session.sessionName !== undefined) this.write(ParameterKeys.SESSION_NAME, session.sessionName);
      if (session.clientCertificateId !== undefined) this.write(ParameterKeys.CLIENT_CERTIFICATE_ID, session.clientCertificateId);
    }
    if (props.staticCredentials) {
      this.write(ParameterKeys.ACCESS_KEY, props.staticCredentials.accessKeyId);
      this.write(ParameterKeys.SECRET_KEY, secretReference(props.staticCredentials.secretName));
    }
  }

  /** The contract keys written, in the order they were written. */
  public get keys(): string[] {
    return [...this.parameters.keys()];
  }

  /**
   * Writes one more contract key, e.g. the receiving path's `ConnectionName`.
   *
   * @param key a contract key not yet written
   * @param value its value (never a secret: parameters are plain Strings)
   */
  public addParameter(key: string, value: string): ssm.StringParameter {
    assertKnownKey(key);
    if (this.parameters.has(key)) {
      throw new Error(`contract key '${key}' is already written under ${quote(this.parameterPath)}`);
    }
    return this.write(key, value);
  }

  /** The parameter that holds a key, or undefined when the key is not written. */
  public parameterOf(key: string): ssm.StringParameter | undefined {
    return this.parameters.get(key);
  }

  public valueFor(key: string): string {
    const parameter = this.parameters.get(key);
    if (!parameter) {
      throw new Error(`contract key '${key}' is not written under ${quote(this.parameterPath)}: written keys are ${this.keys.join(', ')}`);
    }
    return parameter.stringValue;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const access = [...readParameterPathAccess(this, this.parameterPath)];
    if (this.staticCredentials) {
      // By name, not by the secret's ARN: the grant must not depend on the secret, which holds a
      // value of the access key and so comes after the stack's IAM resources (deployLocally).
      access.push(...secretKeyAccess(this, this.staticCredentials.secretName, secretByNameArn(this, this.staticCredentials.secretName)));
    }
    return grantAll(grantee, access);
  }

  private write(key: ParameterKey, value: string): ssm.StringParameter {
    const parameter = new ssm.StringParameter(this, key, {
      parameterName: parameterName(this.parameterPath, key),
      stringValue: value,
      description: `EventBridge connector constant ${key}`,
      // The name is hierarchical even when the path is a token.
      simpleName: false,
    });
    this.parameters.set(key, parameter);
    return parameter;
  }
}

class ImportedConnectorParameters extends Construct implements IConnectorParameters {
  constructor(scope: Construct, id: string, public readonly parameterPath: string, private readonly secretName?: string) {
    super(scope, id);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const access = [...readParameterPathAccess(this, this.parameterPath)];
    if (this.secretName !== undefined) {
      access.push(...secretKeyAccess(this, this.secretName, secretByNameArn(this, this.secretName)));
    }
    return grantAll(grantee, access);
  }

  public valueFor(key: string): string {
    assertKnownKey(key);
    return ssm.StringParameter.valueForStringParameter(this, parameterName(this.parameterPath, key));
  }
}

function assertKnownKey(key: string): asserts key is ParameterKey {
  if (!KNOWN_KEYS.includes(key)) {
    throw new Error(`unknown contract key ${quote(key)}: expected one of ${KNOWN_KEYS.join(', ')}`);
  }
}

/**
 * Resolving `SecretKey`: SSM authorizes `GetParameter` on the `/aws/reference/secretsmanager/...`
 * name, then reads the secret with the caller's credentials.
 */
function secretKeyAccess(scope: IConstruct, secretName: string, secretArn: string): AccessSpec[] {
  return [
    { actions: ['ssm:GetParameter'], resources: [secretReferenceParameterArn(scope, secretName)] },
    { actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] },
  ];
}

function grantAll(grantee: iam.IGrantable, access: AccessSpec[]): iam.Grant {
  return access
    .map((a) => iam.Grant.addToPrincipal({ grantee, actions: a.actions, resourceArns: a.resources, conditions: a.conditions }))
    .reduce((all, grant) => all.combine(grant));
}

function checkSessionValues(scope: IConstruct, values: SessionParameterValues): SessionParameterValues {
  const seconds = values.durationSeconds;
  const inBounds = Number.isInteger(seconds) && seconds >= MIN_SESSION_DURATION_SECONDS && seconds <= MAX_SESSION_DURATION_SECONDS;
  if (!Token.isUnresolved(seconds) && !inBounds) {
    throw new Error(`invalid session duration ${seconds} seconds: expected a whole number from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`);
  }
  assertSessionName(values.sessionName);
  // The runtime's own startup checks (src/contract), run here on every literal ARN.
  const literal = (v: string) => !Token.isUnresolved(v);
  const problem =
    (literal(values.roleArn) ? checkArn('role', values.roleArn, 'roleArn') : undefined) ??
    (literal(values.profileArn) ? checkArn('profile', values.profileArn, 'profileArn') : undefined) ??
    (literal(values.trustAnchorArn) ? checkArn('trust-anchor', values.trustAnchorArn, 'trustAnchorArn') : undefined) ??
    (literal(values.trustAnchorArn) && literal(values.profileArn) ? checkSameRegion(values.trustAnchorArn, values.profileArn) : undefined) ??
    (literal(values.roleArn) && literal(values.profileArn) ? checkSameAccount(values.roleArn, values.profileArn) : undefined) ??
    (literal(values.profileArn) ? checkPlacement('profileArn', values.profileArn, stackPlacement(scope), 'the runtime reads the parameters and starts sessions in one region and account') : undefined);
  if (problem) throw new Error(problem);
  let clientCertificateId = values.clientCertificateId;
  if (clientCertificateId !== undefined && !Token.isUnresolved(clientCertificateId)) {
    clientCertificateId = normalizeCertificateId(clientCertificateId);
    if (clientCertificateId === undefined) {
      throw new Error(`invalid client certificate id ${quote(values.clientCertificateId)}: expected a SHA-256 fingerprint, 64 hex digits`);
    }
  }
  return { ...values, clientCertificateId };
}
