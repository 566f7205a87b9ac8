import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { ConnectorActivity } from './activity';
import { readParameterPathAccess } from './read-parameters';
import {
  apiDestinationsArn,
  apiDestinationsServiceLinkedRoleArn,
  connectionSecretsArn,
  connectionsArn,
} from './resource-arns';
import { assertParameterPath, assertResourceNamePrefix, resolveActivities } from './validation';

/** What the connector's permissions are scoped to. */
export interface ConnectorPermissionsProps {
  /** The bus the connector sends events to and inspects. */
  readonly eventBus: events.IEventBus;

  /**
   * Prefix of the connection and API destination names the connector may manage, e.g. `orders.`:
   * 1 to 39 letters, digits, `-` or `_` ended by one `.` (the delimiter that keeps the grant on
   * `orders.*` off `orders-eu.conn`), at most 40 characters (64, the EventBridge name limit, less
   * the 24 a receiver generates). Another shape throws `invalid resourceNamePrefix ...`.
   */
  readonly resourceNamePrefix: string;

  /** The connector's SSM parameter path, e.g. `/eventbridge-connector/orders`. */
  readonly parameterPath: string;

  /**
   * The activities to permit.
   *
   * @default - all activities
   */
  readonly activities?: ConnectorActivity[];
}

/**
 * The least-privilege IAM statements of each connector activity. `ConnectorRole` and
 * `StaticCredentials` use them; they are public so that any other principal can be given exactly
 * the same permissions. No statement carries a Sid: IAM wants Sids unique within a policy, and
 * one principal may be given the statements of several connectors.
 */
export class ConnectorPermissions {
  /** The statements of every activity in `props.activities` (all activities by default). */
  public static statements(scope: IConstruct, props: ConnectorPermissionsProps): iam.PolicyStatement[] {
    assertResourceNamePrefix(props.resourceNamePrefix);
    assertParameterPath(props.parameterPath);
    return resolveActivities(props.activities).flatMap((activity) => ConnectorPermissions.statementsOf(scope, activity, props));
  }

  /** The statements of one activity. */
  public static statementsOf(scope: IConstruct, activity: ConnectorActivity, props: ConnectorPermissionsProps): iam.PolicyStatement[] {
    switch (activity) {
      case ConnectorActivity.SEND_EVENTS:
        return [
          new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }),
        ];
      case ConnectorActivity.MANAGE_DESTINATIONS:
        return manageDestinations(scope, props);
      case ConnectorActivity.INSPECT:
        return [
          new iam.PolicyStatement({ actions: ['events:DescribeEventBus'], resources: [props.eventBus.eventBusArn] }),
          // ListEventBuses has no resource type in the Service Authorization Reference: IAM only
          // accepts `*` for it. It returns bus names and ARNs, nothing inside them.
          new iam.PolicyStatement({ actions: ['events:ListEventBuses'], resources: ['*'] }),
        ];
      case ConnectorActivity.READ_PARAMETERS:
        return readParameterPathAccess(scope, props.parameterPath).map((access) => new iam.PolicyStatement(access));
    }
  }

  private constructor() {}
}

function manageDestinations(scope: IConstruct, props: ConnectorPermissionsProps): iam.PolicyStatement[] {
  const connections = connectionsArn(scope, props.resourceNamePrefix);
  return [
    new iam.PolicyStatement({
      actions: ['events:CreateConnection', 'events:UpdateConnection', 'events:DescribeConnection'],
      resources: [connections],
    }),
    // CreateApiDestination and DescribeApiDestination are authorized against the API destination
    // and the connection it uses, so both must be in scope.
    new iam.PolicyStatement({
      actions: ['events:CreateApiDestination', 'events:UpdateApiDestination', 'events:DescribeApiDestination'],
      resources: [apiDestinationsArn(scope, props.resourceNamePrefix), connections],
    }),
    // EventBridge keeps a connection's credentials in a Secrets Manager secret it creates and
    // updates with the caller's permissions (the Secrets Manager statement of
    // AmazonEventBridgeFullAccess). DeleteSecret is left out: the connector never deletes
    // connections.
    new iam.PolicyStatement({
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue'],
      resources: [connectionSecretsArn(scope, props.resourceNamePrefix)],
    }),
    // The first connection in an account makes EventBridge create its service-linked role, with
    // the caller's permission; this is the statement AmazonEventBridgeFullAccess uses for it.
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [apiDestinationsServiceLinkedRoleArn(scope)],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'apidestinations.events.amazonaws.com' } },
    }),
  ];
}
