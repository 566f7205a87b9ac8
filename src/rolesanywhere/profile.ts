import { Duration, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { CfnProfile } from 'aws-cdk-lib/aws-rolesanywhere';
import type { aws_rolesanywhere as rolesanywhereRefs } from 'aws-cdk-lib/interfaces';
import type { Construct } from 'constructs';
import {
  checkArn,
  checkPlacement,
  DEFAULT_SESSION_DURATION_SECONDS,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
} from '../contract';
import { AttributeMapping, renderAttributeMappings } from './attribute-mapping';
import { assertResourceName, defaultResourceName, importedResourceId } from './names';

/** An IAM Roles Anywhere profile: which roles a session may assume, and on what terms. */
export interface IProfile extends IResource, rolesanywhereRefs.IProfileRef {
  /**
   * ARN of the profile.
   *
   * @attribute
   */
  readonly profileArn: string;

  /**
   * Identifier (a UUID) of the profile.
   *
   * @attribute
   */
  readonly profileId: string;
}

/** Properties of a {@link Profile}. */
export interface ProfileProps {
  /**
   * The roles sessions may assume; at least one, here or through `addRole`. Each role's trust
   * policy must trust `rolesanywhere.amazonaws.com` (see `RolesAnywherePrincipal`).
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-rolearns
   */
  readonly roles: iam.IRole[];

  /**
   * Name of the profile: 1 to 255 letters, digits, spaces, `-` and `_`.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-name
   * @default - a name unique to the construct path
   */
  readonly profileName?: string;

  /**
   * How long sessions last, 15 minutes to 12 hours. Each role's `maxSessionDuration` must be at
   * least as long, or CreateSession fails.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-durationseconds
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Whether a caller may choose the role session name; CreateSession with a `roleSessionName`
   * is refused unless this is true.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-acceptrolesessionname
   * @default false - the session name is the certificate's serial number
   */
  readonly acceptRoleSessionName?: boolean;

  /**
   * A session policy that narrows what sessions may do, whatever the roles allow.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-sessionpolicy
   * @default - no inline session policy
   */
  readonly sessionPolicy?: iam.PolicyDocument;

  /**
   * Managed policies that narrow what sessions may do (at most 50; more through `addManagedPolicy`).
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-managedpolicyarns
   * @default - no managed session policies
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Which certificate attributes become session tags, one mapping per certificate field.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-attributemappings
   * @default - the service's default mapping: every subject and issuer RDN, and the first DNS, URI and directory name SAN
   */
  readonly attributeMappings?: AttributeMapping[];

  /**
   * Whether CreateSession must carry instance properties.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-requireinstanceproperties
   * @default false - instance properties are optional
   */
  readonly requireInstanceProperties?: boolean;

  /**
   * Whether the profile issues sessions once deployed.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rolesanywhere-profile.html#cfn-rolesanywhere-profile-enabled
   * @default true
   */
  readonly enabled?: boolean;
}

const MAX_ROLES = 250;
const MAX_MANAGED_POLICIES = 50;

abstract class ProfileBase extends Resource implements IProfile {
  public abstract readonly profileArn: string;
  public abstract readonly profileId: string;

  public get profileRef(): rolesanywhereRefs.ProfileReference {
    return { profileArn: this.profileArn, profileId: this.profileId };
  }
}

/**
 * An IAM Roles Anywhere profile.
 *
 * @resource AWS::RolesAnywhere::Profile
 */
export class Profile extends ProfileBase {
  /** A profile defined elsewhere, by its ARN. */
  public static fromProfileArn(scope: Construct, id: string, profileArn: string): IProfile {
    const profileId = importedResourceId(scope, 'profile', profileArn, 'profile ARN');

    class Import extends ProfileBase {
      public readonly profileArn = profileArn;
      public readonly profileId = profileId;
    }
    return new Import(scope, id, { environmentFromArn: profileArn });
  }

  public readonly profileArn: string;
  public readonly profileId: string;

  /** Name of the profile, given or generated. */
  public readonly profileName: string;

  /** How long sessions last; roles assumed through the profile need a `maxSessionDuration` at least this long. */
  public readonly sessionDuration: Duration;

  /** Whether a caller may choose the role session name. */
  public readonly acceptRoleSessionName: boolean;

  private readonly roles: iam.IRole[] = [];
  private readonly managedPolicies: iam.IManagedPolicy[] = [];

  constructor(scope: Construct, id: string, props: ProfileProps) {
    super(scope, id, { physicalName: props.profileName });
    assertResourceName('profile', props.profileName);
    this.sessionDuration = props.sessionDuration ?? Duration.seconds(DEFAULT_SESSION_DURATION_SECONDS);
    assertSessionDuration(this.sessionDuration);
    const attributeMappings = props.attributeMappings && renderAttributeMappings(props.attributeMappings);

    this.profileName = props.profileName ?? defaultResourceName(this);
    this.acceptRoleSessionName = props.acceptRoleSessionName ?? false;
    this.roles.push(...props.roles);
    this.managedPolicies.push(...(props.managedPolicies ?? []));

    // Roles and policies may be added after construction, so the lists render late and are
    // checked once the tree is complete.
    this.node.addValidation({ validate: () => this.validateLists() });
    const sessionPolicy = props.sessionPolicy;
    if (sessionPolicy) {
      this.node.addValidation({ validate: () => validateSessionPolicy(sessionPolicy) });
    }

    const resource = new CfnProfile(this, 'Resource', {
      name: this.profileName,
      roleArns: Lazy.list({ produce: () => this.roles.map((role) => role.roleArn) }),
      durationSeconds: this.sessionDuration.toSeconds(),
      acceptRoleSessionName: props.acceptRoleSessionName,
      sessionPolicy: sessionPolicy && Lazy.string({ produce: () => Stack.of(this).toJsonString(sessionPolicy) }),
      managedPolicyArns: Lazy.list(
        { produce: () => this.managedPolicies.map((policy) => policy.managedPolicyArn) },
        { omitEmpty: true },
      ),
      attributeMappings,
      requireInstanceProperties: props.requireInstanceProperties,
      enabled: props.enabled ?? true,
    });
    this.profileArn = resource.attrProfileArn;
    this.profileId = resource.attrProfileId;
  }

  /** Lets sessions of this profile assume another role. */
  public addRole(role: iam.IRole): void {
    this.roles.push(role);
  }

  /** Narrows sessions of this profile by one more managed policy. */
  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.managedPolicies.push(policy);
  }

  private validateLists(): string[] {
    const errors: string[] = [];
    if (this.roles.length === 0) {
      errors.push(`profile '${this.node.path}' has no roles: expected at least one, in props.roles or through addRole()`);
    }
    if (this.roles.length > MAX_ROLES) {
      errors.push(`profile '${this.node.path}' has ${this.roles.length} roles: Roles Anywhere takes at most ${MAX_ROLES}`);
    }
    if (this.managedPolicies.length > MAX_MANAGED_POLICIES) {
      errors.push(
        `profile '${this.node.path}' has ${this.managedPolicies.length} managed policies: Roles Anywhere takes at most ${MAX_MANAGED_POLICIES}`,
      );
    }
    // A profile only lists roles of its own account (CreateProfile refuses others).
    for (const role of this.roles) {
      if (Token.isUnresolved(role.roleArn)) continue;
      const problem = checkArn('role', role.roleArn, 'role ARN') ??
        checkPlacement('role', role.roleArn, { account: Token.isUnresolved(this.env.account) ? undefined : this.env.account },
          `profile '${this.node.path}' can only list roles of its own account`);
      if (problem) errors.push(problem);
    }
    return errors;
  }
}

function assertSessionDuration(duration: Duration): void {
  if (duration.isUnresolved()) return;
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_DURATION_SECONDS || seconds > MAX_SESSION_DURATION_SECONDS) {
    throw new Error(
      `invalid session duration ${seconds} seconds: expected ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`,
    );
  }
}

function validateSessionPolicy(policy: iam.PolicyDocument): string[] {
  if (policy.isEmpty) {
    return ['session policy has no statements: expected at least one, or leave sessionPolicy out'];
  }
  return policy.validateForIdentityPolicy().map((problem) => `session policy: ${problem}`);
}
