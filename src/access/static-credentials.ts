import { Annotations, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeScopedWildcards } from './acknowledgements';
import { ConnectorActivity } from './activity';
import { ConnectorPermissions, ConnectorPermissionsProps } from './permissions';
import { staticSecretName } from './resource-arns';
import { resolveActivities } from './validation';
import { quote } from '../contract';

/** Properties of {@link StaticCredentials}. */
export interface StaticCredentialsProps extends ConnectorPermissionsProps {
  /**
   * Name of the Secrets Manager secret that holds the secret access key.
   *
   * @default - the parameter path without its leading `/`, then `/SecretKey` (e.g.
   * `eventbridge-connector/orders/SecretKey`), so that a stack importing the connector by path
   * can find it; required when the parameter path is a token
   */
  readonly secretName?: string;

  /**
   * Name of the IAM user.
   *
   * @default - a name CloudFormation generates
   */
  readonly userName?: string;
}

/**
 * Static mode: an IAM user with the connector's permissions, an access key, and the secret access
 * key in a Secrets Manager secret (the contract stores only a reference to it). Meant for tests
 * and demos; synthesis warns that long-lived keys are in use.
 */
export class StaticCredentials extends Construct implements iam.IGrantable {
  /** Id of the warning synthesis gives for every use of static credentials. */
  public static readonly WARNING_ID = 'cdk-eventbridge-connector:staticCredentials';

  /** The IAM user the keys belong to. */
  public readonly user: iam.User;

  /** The user's access key. */
  public readonly accessKey: iam.AccessKey;

  /** The secret that holds the secret access key. */
  public readonly secret: secretsmanager.Secret;

  /** Name of {@link secret}. */
  public readonly secretName: string;

  /** The access key id. */
  public readonly accessKeyId: string;

  /** The activities the user is permitted. */
  public readonly activities: ConnectorActivity[];

  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: StaticCredentialsProps) {
    const activities = resolveActivities(props.activities);
    const secretName = props.secretName ?? staticSecretName(props.parameterPath);
    if (secretName === undefined) {
      throw new Error(`static credentials for parameter path ${quote(props.parameterPath)} (a token) need a secretName: the default is derived from a literal path`);
    }
    if (!Token.isUnresolved(secretName) && !/^[\w/+=.@-]{1,512}$/.test(secretName)) {
      throw new Error(`invalid secret name ${quote(secretName)}: expected 1 to 512 letters, digits and /_+=.@-`);
    }
    const statements = ConnectorPermissions.statements(scope, { ...props, activities });
    super(scope, id);

    this.activities = activities;
    this.secretName = secretName;
    this.user = new iam.User(this, 'User', { userName: props.userName });
    for (const statement of statements) {
      this.user.addToPrincipalPolicy(statement);
    }
    acknowledgeScopedWildcards(this.user, statements);
    this.grantPrincipal = this.user;
    this.accessKey = new iam.AccessKey(this, 'AccessKey', { user: this.user });
    this.accessKeyId = this.accessKey.accessKeyId;
    this.secret = new secretsmanager.Secret(this, 'SecretKey', {
      secretName,
      description: `Secret access key of the EventBridge connector user for parameter path ${props.parameterPath}`,
      secretStringValue: this.accessKey.secretAccessKey,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds the secret access key of this construct\'s IAM access key: a Secrets Manager rotation would change ' +
        'the secret but not the key IAM accepts. The key is rotated by replacing the construct (a new AccessKey), which updates both.',
    });

    Annotations.of(this).addWarningV2(
      StaticCredentials.WARNING_ID,
      'long-lived IAM access keys are in use (static credentials): prefer IAM Roles Anywhere sessions outside tests and demos, and rotate the key by replacing this construct',
    );
  }
}
