// Least privilege checked on what CloudFormation would deploy: the synthesized policies, with their
// intrinsics resolved as CloudFormation would in one account and region, evaluated by an IAM
// policy simulator (@cloud-copilot/iam-simulate, AGPL: a dev-only test dependency).
import { createHash } from 'node:crypto';
import { runSimulation } from '@cloud-copilot/iam-simulate';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

type Json = any;

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
  readonly Parameters?: Record<string, { Type: string; Default?: string }>;
}

/** Resource types whose ARN attribute is not called `Arn`. */
const ARN_ATTRIBUTES: Record<string, string> = {
  'AWS::RolesAnywhere::TrustAnchor': 'TrustAnchorArn',
  'AWS::RolesAnywhere::Profile': 'ProfileArn',
};

/** Request context keys, e.g. `aws:SourceArn`. */
export type RequestContext = Record<string, string | string[]>;

/** Outcome of a simulated request, as IAM would decide it. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * One or more synthesized templates deployed together in {@link ACCOUNT} / {@link REGION}: resolves
 * intrinsics to the values CloudFormation would produce, and answers what IAM would decide.
 */
export class DeployedTemplates {
  private readonly templates: CfnTemplate[];

  /**
   * @param templates the templates (`Template.toJSON()`)
   * @param ssmValues values of SSM parameters that `AWS::SSM::Parameter::Value<String>` template
   *   parameters read at deploy time, by parameter name
   */
  constructor(templates: Json[], private readonly ssmValues: Record<string, string> = {}) {
    this.templates = templates;
  }

  /** The ARN CloudFormation would give the resource with this logical id. */
  public arnOf(logicalId: string): string {
    const [template, resource] = this.find(logicalId);
    const attribute = ARN_ATTRIBUTES[resource.Type] ?? 'Arn';
    return this.attribute(template, logicalId, attribute);
  }

  /** A resource's properties as CloudFormation would deploy them. */
  public propertiesOf(logicalId: string): Record<string, Json> {
    const [template, resource] = this.find(logicalId);
    return this.resolve(template, resource.Properties ?? {});
  }

  /** The identity policies attached to a role or user: inline, and `AWS::IAM::Policy` resources naming it. */
  public identityPoliciesOf(logicalId: string): Array<{ name: string; policy: Json }> {
    const [template, principal] = this.find(logicalId);
    const policies: Array<{ name: string; policy: Json }> = [];
    for (const inline of principal.Properties?.Policies ?? []) {
      policies.push({ name: inline.PolicyName, policy: this.resolve(template, inline.PolicyDocument) });
    }
    const listKey = principal.Type === 'AWS::IAM::User' ? 'Users' : 'Roles';
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const attached: Json[] = resource.Properties?.[listKey] ?? [];
      if (attached.some((ref) => ref?.Ref === logicalId)) {
        policies.push({ name: id, policy: this.resolve(template, resource.Properties!.PolicyDocument) });
      }
    }
    if (policies.length === 0) throw new Error(`no identity policy is attached to ${logicalId}`);
    return policies;
  }

  /** The trust policy of a role. */
  public trustPolicyOf(roleLogicalId: string): Json {
    const [template, role] = this.find(roleLogicalId);
    if (role.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is a ${role.Type}, not a role`);
    return this.resolve(template, role.Properties!.AssumeRolePolicyDocument);
  }

  /** What IAM decides when the role or user `principalLogicalId` calls `action` on `resource`. */
  public async decide(
    principalLogicalId: string, action: string, resource: string, context: RequestContext = {}, resourcePolicyLogicalId?: string,
  ): Promise<Decision> {
    return simulate({
      principal: this.arnOf(principalLogicalId),
      action,
      resource,
      identityPolicies: this.identityPoliciesOf(principalLogicalId),
      // A bucket or queue policy resource, whose PolicyDocument IAM evaluates beside the identity's.
      resourcePolicy: resourcePolicyLogicalId === undefined ? undefined : this.propertiesOf(resourcePolicyLogicalId).PolicyDocument,
      context,
    });
  }

  /** What IAM decides when `servicePrincipal` asks to assume the role `roleLogicalId`. */
  public async decideAssumeRole(roleLogicalId: string, servicePrincipal: string, action: string, context: RequestContext): Promise<Decision> {
    return simulate({
      principal: servicePrincipal,
      action,
      resource: this.arnOf(roleLogicalId),
      identityPolicies: [],
      resourcePolicy: this.trustPolicyOf(roleLogicalId),
      context,
    });
  }

  private find(logicalId: string): [CfnTemplate, CfnResource] {
    for (const template of this.templates) {
      const resource = template.Resources?.[logicalId];
      if (resource) return [template, resource];
    }
    throw new Error(`no resource ${logicalId} in the templates`);
  }

  /** Resolves CloudFormation intrinsics the way a deployment in ACCOUNT / REGION would. */
  private resolve(template: CfnTemplate, value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(template, v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(template, arg);
        case 'Fn::GetAtt':
          return this.attribute(template, arg[0], arg[1]);
        case 'Fn::Join':
          return (this.resolve(template, arg[1]) as string[]).join(arg[0]);
        case 'Fn::Split':
          return (this.resolve(template, arg[1]) as string).split(arg[0]);
        case 'Fn::Select':
          return (this.resolve(template, arg[1]) as Json[])[arg[0]];
        case 'Fn::ImportValue':
          return this.importValue(this.resolve(template, arg));
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(template, value[k])]));
  }

  private ref(template: CfnTemplate, name: string): string {
    switch (name) {
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
    }
    const parameter = template.Parameters?.[name];
    if (parameter) {
      const value = parameter.Default !== undefined ? this.ssmValues[parameter.Default] : undefined;
      if (value === undefined) throw new Error(`template parameter ${name} (${parameter.Default}) has no value in this simulation`);
      return value;
    }
    const resource = template.Resources?.[name];
    if (!resource) throw new Error(`Ref to unknown ${name}`);
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Events::EventBus':
        return this.resolve(template, props.Name);
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
        return this.resolve(template, props.RoleName ?? props.UserName) ?? name;
      case 'AWS::SecretsManager::Secret':
      case 'AWS::SQS::Queue':
        return this.attribute(template, name, 'Arn');
      case 'AWS::SSM::Parameter':
        return this.resolve(template, props.Name);
      case 'AWS::S3::Bucket':
        return this.resolve(template, props.BucketName) ?? name.toLowerCase();
      default:
        return name;
    }
  }

  private attribute(template: CfnTemplate, logicalId: string, attribute: string): string {
    const resource = template.Resources?.[logicalId];
    if (!resource) throw new Error(`GetAtt of unknown ${logicalId}`);
    const props = resource.Properties ?? {};
    const arn = (service: string, region: string, account: string, rest: string) => `arn:${PARTITION}:${service}:${region}:${account}:${rest}`;
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::Events::EventBus.Arn':
        return arn('events', REGION, ACCOUNT, `event-bus/${this.resolve(template, props.Name)}`);
      case 'AWS::Events::Rule.Arn':
        return arn('events', REGION, ACCOUNT, `rule/${logicalId}`);
      case 'AWS::Events::ApiDestination.Arn':
        return arn('events', REGION, ACCOUNT, `api-destination/${this.resolve(template, props.Name) ?? logicalId}/${uuidOf(logicalId)}`);
      case 'AWS::IAM::Role.Arn':
        return arn('iam', '', ACCOUNT, `role/${this.ref(template, logicalId)}`);
      case 'AWS::IAM::User.Arn':
        return arn('iam', '', ACCOUNT, `user/${this.ref(template, logicalId)}`);
      case 'AWS::RolesAnywhere::TrustAnchor.TrustAnchorArn':
        return arn('rolesanywhere', REGION, ACCOUNT, `trust-anchor/${uuidOf(logicalId)}`);
      case 'AWS::RolesAnywhere::Profile.ProfileArn':
        return arn('rolesanywhere', REGION, ACCOUNT, `profile/${uuidOf(logicalId)}`);
      case 'AWS::SecretsManager::Secret.Arn':
        return arn('secretsmanager', REGION, ACCOUNT, `secret:${this.resolve(template, props.Name) ?? logicalId}-AbCdEf`);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', REGION, ACCOUNT, logicalId);
      case 'AWS::S3::Bucket.Arn':
        return `arn:${PARTITION}:s3:::${this.ref(template, logicalId)}`;
      case 'AWS::KMS::Key.Arn':
        return arn('kms', REGION, ACCOUNT, `key/${uuidOf(logicalId)}`);
      default:
        throw new Error(`the simulation does not know ${resource.Type}.${attribute}`);
    }
  }

  private importValue(exportName: string): string {
    for (const template of this.templates) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (output.Export && this.resolve(template, output.Export.Name) === exportName) {
          return this.resolve(template, output.Value);
        }
      }
    }
    throw new Error(`no template exports ${exportName}`);
  }
}

interface SimulationInput {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicies: Array<{ name: string; policy: Json }>;
  readonly resourcePolicy?: Json;
  readonly context: RequestContext;
}

async function simulate(input: SimulationInput): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: input.principal,
        action: input.action,
        resource: { resource: input.resource, accountId: ACCOUNT },
        contextVariables: input.context,
      },
      identityPolicies: input.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: input.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused the request ${input.action} on ${input.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/** A stable UUID for a resource whose id the service would generate. */
function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
