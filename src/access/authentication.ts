import { Duration, Token } from 'aws-cdk-lib';
import { certificateId, quote } from '../contract';
import type { ITrustAnchor } from '../rolesanywhere';
import { assertSessionDuration, assertSessionName } from './validation';

/** How the connector's runtime obtains AWS credentials. */
export enum AuthenticationMode {
  /** IAM Roles Anywhere sessions signed with the application's X.509 certificate. */
  ROLES_ANYWHERE = 'ROLES_ANYWHERE',
  /** A long-lived access key of an IAM user (tests and demos). */
  STATIC_CREDENTIALS = 'STATIC_CREDENTIALS',
}

/** Options of session mode (IAM Roles Anywhere). */
export interface RolesAnywhereAuthenticationOptions {
  /**
   * The trust anchor whose certificates may start sessions. Exclusive with `caCertificates`.
   *
   * @default - a trust anchor created from `caCertificates`; one of the two is required
   */
  readonly trustAnchor?: ITrustAnchor;

  /**
   * One or two CA certificates in PEM to create the connector's trust anchor from. Exclusive
   * with `trustAnchor`.
   *
   * @default - none: `trustAnchor` is used; one of the two is required
   */
  readonly caCertificates?: string;

  /**
   * Length of a session, 15 minutes to 12 hours (the profile's duration; the role's maximum
   * session duration covers it).
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Role session name the runtime asks for (`SessionName` in the contract); needs a profile that
   * accepts role session names.
   *
   * @default - no session name: Roles Anywhere names the session after the certificate serial
   */
  readonly sessionName?: string;

  /**
   * Whether the profile lets callers choose the role session name.
   *
   * @default - true when `sessionName` is set, else false
   */
  readonly acceptRoleSessionName?: boolean;

  /**
   * The application's client certificate in PEM: its SHA-256 fingerprint becomes
   * `AWS_ClientCertificateID`, and the runtime refuses to present any other certificate.
   *
   * @default - no `AWS_ClientCertificateID`: the runtime presents the certificate it is given
   */
  readonly clientCertificate?: string;

  /**
   * Only certificates whose subject CN is one of these may assume the connector role.
   *
   * @default - any certificate the trust anchor trusts
   */
  readonly subjectCommonNames?: string[];

  /**
   * Only certificates whose issuer CN is one of these may assume the connector role.
   *
   * @default - any issuer the trust anchor trusts
   */
  readonly issuerCommonNames?: string[];

  /**
   * Only certificates whose first DNS subject alternative name is one of these may assume the
   * connector role.
   *
   * @default - any subject alternative name
   */
  readonly subjectAlternativeNameDns?: string[];
}

/** Options of static mode. */
export interface StaticCredentialsAuthenticationOptions {
  /**
   * Name of the Secrets Manager secret that holds the secret access key.
   *
   * @default - derived from the parameter path (see `StaticCredentials`)
   */
  readonly secretName?: string;

  /**
   * Name of the IAM user.
   *
   * @default - a name CloudFormation generates
   */
  readonly userName?: string;
}

const SESSION_ONLY_OPTIONS: ReadonlyArray<keyof RolesAnywhereAuthenticationOptions> = [
  'trustAnchor',
  'caCertificates',
  'sessionDuration',
  'sessionName',
  'acceptRoleSessionName',
  'clientCertificate',
  'subjectCommonNames',
  'issuerCommonNames',
  'subjectAlternativeNameDns',
];

/**
 * How the connector authenticates: IAM Roles Anywhere sessions (the default, certificate based)
 * or static keys of an IAM user.
 */
export class ConnectorAuthentication {
  /** Session mode: the runtime signs CreateSession with its X.509 certificate. */
  public static rolesAnywhere(options: RolesAnywhereAuthenticationOptions = {}): ConnectorAuthentication {
    if (options.trustAnchor !== undefined && options.caCertificates !== undefined) {
      throw new Error(
        'trustAnchor and caCertificates are exclusive: give the trust anchor to use, or the CA certificates to create one from',
      );
    }
    assertSessionDuration(options.sessionDuration);
    assertSessionName(options.sessionName);
    if (options.sessionName !== undefined && options.acceptRoleSessionName === false) {
      throw new Error(
        `session name ${quote(options.sessionName)} needs acceptRoleSessionName: a profile that does not accept role session names refuses CreateSession with one`,
      );
    }
    const clientCertificateId = options.clientCertificate === undefined ? undefined : fingerprint(options.clientCertificate);
    return new ConnectorAuthentication(AuthenticationMode.ROLES_ANYWHERE, options, undefined, clientCertificateId);
  }

  /**
   * Static mode: an IAM user's long-lived access key, its secret key in Secrets Manager. For
   * tests and demos; synthesis warns.
   */
  public static staticCredentials(options: StaticCredentialsAuthenticationOptions = {}): ConnectorAuthentication {
    // Untyped callers (JavaScript, or a cast) can hand session options to static mode, where they
    // would silently do nothing.
    const given = Object.keys(options) as Array<keyof RolesAnywhereAuthenticationOptions>;
    const sessionOnly = given.filter((key) => SESSION_ONLY_OPTIONS.includes(key));
    if (sessionOnly.length > 0) {
      throw new Error(
        `static credentials take no session options, got ${sessionOnly.join(', ')}: use ConnectorAuthentication.rolesAnywhere() for them`,
      );
    }
    return new ConnectorAuthentication(AuthenticationMode.STATIC_CREDENTIALS, undefined, options, undefined);
  }

  /** The authentication mode. */
  public readonly mode: AuthenticationMode;

  /** Session-mode options, when the mode is ROLES_ANYWHERE. */
  public readonly rolesAnywhereOptions?: RolesAnywhereAuthenticationOptions;

  /** Static-mode options, when the mode is STATIC_CREDENTIALS. */
  public readonly staticCredentialsOptions?: StaticCredentialsAuthenticationOptions;

  /** SHA-256 fingerprint of the session-mode `clientCertificate`, when it is given. */
  public readonly clientCertificateId?: string;

  private constructor(
    mode: AuthenticationMode,
    rolesAnywhereOptions?: RolesAnywhereAuthenticationOptions,
    staticCredentialsOptions?: StaticCredentialsAuthenticationOptions,
    clientCertificateId?: string,
  ) {
    this.mode = mode;
    this.rolesAnywhereOptions = rolesAnywhereOptions;
    this.staticCredentialsOptions = staticCredentialsOptions;
    this.clientCertificateId = clientCertificateId;
  }
}

function fingerprint(pem: string): string {
  if (Token.isUnresolved(pem)) {
    throw new Error('clientCertificate is a token: its fingerprint is computed at synthesis, so give the PEM text');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`invalid client certificate ${quote(pem, 40)}: expected a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  try {
    return certificateId(pem);
  } catch (e) {
    throw new Error(`invalid client certificate: cannot parse the PEM certificate (${(e as Error).message})`);
  }
}
