import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULT_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS } from '../contract';
import { ITrustAnchor, RolesAnywherePrincipal } from '../rolesanywhere';
import { acknowledgeScopedWildcards } from './acknowledgements';
import { ConnectorActivity } from './activity';
import { ConnectorPermissions, ConnectorPermissionsProps } from './permissions';
import { resolveActivities, sessionDurationSeconds } from './validation';

/** IAM allows a role's maximum session duration from one hour up. */
const MIN_ROLE_MAX_SESSION_SECONDS = 3600;

/** Properties of a {@link ConnectorRole}. */
export interface ConnectorRoleProps extends ConnectorPermissionsProps {
  /** The trust anchor whose certificates may assume the role through IAM Roles Anywhere. */
  readonly trustAnchor: ITrustAnchor;

  /**
   * Length of the Roles Anywhere sessions the role serves (the profile's duration); the role's
   * maximum session duration is set to cover it.
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Only certificates whose subject CN is one of these may assume the role.
   *
   * @default - any certificate the trust anchor trusts
   */
  readonly subjectCommonNames?: string[];

  /**
   * Only certificates whose issuer CN is one of these may assume the role.
   *
   * @default - any issuer the trust anchor trusts
   */
  readonly issuerCommonNames?: string[];

  /**
   * Only certificates whose first DNS subject alternative name is one of these may assume the role.
   *
   * @default - any subject alternative name
   */
  readonly subjectAlternativeNameDns?: string[];

  /**
   * Name of the role.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * Description of the role.
   *
   * @default - says which bus and parameter path the role serves
   */
  readonly description?: string;
}

/**
 * The role a connector's runtime assumes through IAM Roles Anywhere: trusted only from its trust
 * anchor (`aws:SourceArn`), optionally only for given certificate subjects or issuers, with the
 * least-privilege permissions of its activities and a maximum session duration that covers the
 * profile's.
 */
export class ConnectorRole extends iam.Role {
  /** The activities the role is permitted. */
  public readonly activities: ConnectorActivity[];

  /** Length of the sessions the role serves, in seconds. */
  public readonly sessionDurationSeconds: number;

  constructor(scope: Construct, id: string, props: ConnectorRoleProps) {
    const activities = resolveActivities(props.activities);
    const seconds = sessionDurationSeconds(props.sessionDuration, DEFAULT_SESSION_DURATION_SECONDS);
    // Built (and so validated) before the role exists; `scope` is in the role's stack.
    const statements = ConnectorPermissions.statements(scope, { ...props, activities });
    super(scope, id, {
      assumedBy: new RolesAnywherePrincipal(props.trustAnchor, {
        subjectCommonNames: props.subjectCommonNames,
        issuerCommonNames: props.issuerCommonNames,
        subjectAlternativeNameDns: props.subjectAlternativeNameDns,
      }),
      // A token duration may take any allowed value: cover the longest.
      maxSessionDuration: Duration.seconds(
        Token.isUnresolved(seconds) ? MAX_SESSION_DURATION_SECONDS : Math.max(seconds, MIN_ROLE_MAX_SESSION_SECONDS),
      ),
      roleName: props.roleName,
      description: props.description ?? `EventBridge connector role for parameter path ${props.parameterPath}`,
    });
    this.activities = activities;
    this.sessionDurationSeconds = seconds;
    for (const statement of statements) {
      this.addToPrincipalPolicy(statement);
    }
    acknowledgeScopedWildcards(this, statements);
  }
}
