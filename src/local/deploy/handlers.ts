/**
 * How the local deploy creates each resource type that moto's CloudFormation lacks: through
 * moto's service APIs, into the loopback Roles Anywhere service, or recorded for a loopback
 * stand-in (global endpoints, global-endpoint-handler.ts). Types not listed here go to moto's
 * CloudFormation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CreateApiDestinationCommand, CreateConnectionCommand, DescribeConnectionCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { globalEndpoint } from './global-endpoint-handler';
import type { HandlerContext, LocalResource, ResourceHandler } from './handler-types';
import { isObject, Json, JsonObject } from './intrinsics';
import type { RolesAnywhereRegistry } from './registry';
import { formatArn } from '../../contract';

export type { HandlerContext, LocalResource, ResourceHandler } from './handler-types';


function physicalName(ctx: HandlerContext, logicalId: string, max = 64): string {
  const suffix = randomUUID().slice(0, 8);
  return `${ctx.stackName}-${logicalId}`.replace(/[^\w.-]/g, '-').slice(0, max - suffix.length - 1) + `-${suffix}`;
}

/**
 * The name CloudFormation generates for an unnamed secret, `<logicalId>-<12 letters and digits>`:
 * aws-cdk-lib derives `secretName` from the ARN by taking exactly those two dash-separated parts.
 */
function cloudFormationSecretName(logicalId: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const random = Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('');
  return `${logicalId.replace(/[^A-Za-z0-9]/g, '')}-${random}`;
}

function rolesAnywhere(ctx: HandlerContext, type: string): RolesAnywhereRegistry {
  if (!ctx.rolesAnywhere) {
    throw new Error(`the template has ${type} resources: pass a Roles Anywhere service (startRolesAnywhereService) to the local deploy`);
  }
  return ctx.rolesAnywhere;
}

function raArn(ctx: HandlerContext, kind: string, id: string): string {
  return formatArn({ partition: ctx.partition, service: 'rolesanywhere', region: ctx.region, account: ctx.account, resource: `${kind}/${id}` });
}

/** `{{resolve:secretsmanager:<id>:SecretString:<json-key>::}}` dynamic references, read from moto. */
async function resolveDynamicReferences(value: Json, ctx: HandlerContext): Promise<Json> {
  if (typeof value === 'string') {
    const pattern = /\{\{resolve:secretsmanager:(.+?):SecretString:([^:]*):([^:]*):([^:]*)\}\}/g;
    let out = value;
    for (const m of value.matchAll(pattern)) {
      const secret = await ctx.secrets.send(new GetSecretValueCommand({ SecretId: m[1] }));
      const text = secret.SecretString ?? '';
      out = out.replace(m[0], m[2] ? String(JSON.parse(text)[m[2]]) : text);
    }
    return out;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveDynamicReferences(v, ctx)));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveDynamicReferences(v, ctx);
    return out;
  }
  return value;
}

const trustAnchor: ResourceHandler = {
  phase: 'before',
  async create(_logicalId, props, ctx) {
    const source = props.Source as JsonObject | undefined;
    const data = source?.SourceData as JsonObject | undefined;
    if (source?.SourceType !== 'CERTIFICATE_BUNDLE' || typeof data?.X509CertificateData !== 'string') {
      throw new Error(`trust anchor source ${String(source?.SourceType)} cannot be deployed locally: expected CERTIFICATE_BUNDLE`);
    }
    const id = randomUUID();
    const arn = raArn(ctx, 'trust-anchor', id);
    rolesAnywhere(ctx, 'AWS::RolesAnywhere::TrustAnchor').addTrustAnchor({ arn, certificatesPem: data.X509CertificateData, enabled: props.Enabled !== false });
    return { ref: id, attributes: { TrustAnchorId: id, TrustAnchorArn: arn } };
  },
};

const profile: ResourceHandler = {
  // The profile names the role, which moto creates; the stack in turn stores the profile's ARN.
  phase: 'after',
  preassign(_logicalId, ctx) {
    const id = randomUUID();
    return { ref: id, attributes: { ProfileId: id, ProfileArn: raArn(ctx, 'profile', id) } };
  },
  async create(_logicalId, props, ctx, preassigned) {
    rolesAnywhere(ctx, 'AWS::RolesAnywhere::Profile').addProfile({
      arn: preassigned!.attributes.ProfileArn,
      roleArns: (props.RoleArns as string[] | undefined) ?? [],
      durationSeconds: typeof props.DurationSeconds === 'number' ? props.DurationSeconds : undefined,
      acceptRoleSessionName: props.AcceptRoleSessionName === true,
      enabled: props.Enabled !== false,
    });
    return preassigned!;
  },
};

const crl: ResourceHandler = {
  phase: 'before',
  async create(_logicalId, _props, ctx) {
    const id = randomUUID();
    return {
      ref: id,
      attributes: { CrlId: id, CrlArn: raArn(ctx, 'crl', id) },
      note: 'recorded, not enforced: the loopback Roles Anywhere service does not check revocation',
    };
  },
};

const secret: ResourceHandler = {
  phase: 'before',
  async create(logicalId, props, ctx) {
    let value = typeof props.SecretString === 'string' ? props.SecretString : undefined;
    const generate = props.GenerateSecretString as JsonObject | undefined;
    if (value === undefined) {
      const password = await ctx.secrets.send(new GetRandomPasswordCommand({
        PasswordLength: (generate?.PasswordLength as number | undefined) ?? 32,
        ExcludeCharacters: generate?.ExcludeCharacters as string | undefined,
        ExcludePunctuation: generate?.ExcludePunctuation as boolean | undefined,
        IncludeSpace: generate?.IncludeSpace as boolean | undefined,
      }));
      value = password.RandomPassword!;
      if (typeof generate?.SecretStringTemplate === 'string' && typeof generate.GenerateStringKey === 'string') {
        value = JSON.stringify({ ...JSON.parse(generate.SecretStringTemplate), [generate.GenerateStringKey]: value });
      }
    }
    const created = await ctx.secrets.send(new CreateSecretCommand({
      Name: typeof props.Name === 'string' ? props.Name : cloudFormationSecretName(logicalId),
      Description: props.Description as string | undefined,
      SecretString: value,
    }));
    return { ref: created.ARN!, attributes: { Id: created.ARN! } };
  },
};

const connection: ResourceHandler = {
  phase: 'before',
  async create(logicalId, props, ctx) {
    const resolved = (await resolveDynamicReferences(props, ctx)) as JsonObject;
    const name = typeof props.Name === 'string' ? props.Name : physicalName(ctx, logicalId);
    const created = await ctx.events.send(new CreateConnectionCommand({
      Name: name,
      Description: resolved.Description as string | undefined,
      AuthorizationType: resolved.AuthorizationType as 'API_KEY',
      AuthParameters: resolved.AuthParameters as never,
    }));
    const described = await ctx.events.send(new DescribeConnectionCommand({ Name: name }));
    return { ref: name, attributes: { Arn: created.ConnectionArn!, SecretArn: described.SecretArn ?? '', Name: name } };
  },
};

const apiDestination: ResourceHandler = {
  phase: 'before',
  async create(logicalId, props, ctx) {
    const name = typeof props.Name === 'string' ? props.Name : physicalName(ctx, logicalId);
    const created = await ctx.events.send(new CreateApiDestinationCommand({
      Name: name,
      Description: props.Description as string | undefined,
      ConnectionArn: props.ConnectionArn as string,
      InvocationEndpoint: props.InvocationEndpoint as string,
      HttpMethod: props.HttpMethod as 'POST',
      InvocationRateLimitPerSecond: props.InvocationRateLimitPerSecond as number | undefined,
    }));
    return { ref: name, attributes: { Arn: created.ApiDestinationArn!, ArnForPolicy: created.ApiDestinationArn!, Name: name } };
  },
};

const queuePolicy: ResourceHandler = {
  phase: 'after',
  async create(logicalId, props, ctx) {
    for (const queueUrl of (props.Queues as string[]) ?? []) {
      await ctx.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(props.PolicyDocument) } }));
    }
    return { ref: `${ctx.stackName}-${logicalId}`, attributes: {} };
  },
};

/**
 * Recorded and left out, with the reason: nothing in a local run reads them. Their `Ref` (the
 * literal name, else `<stack>-<logical id>`) is known before the stack, so that a stack resource
 * may name one (a Route 53 health check names its alarm).
 */
function notDeployed(reason: string): ResourceHandler {
  const record = (logicalId: string, ctx: HandlerContext, name?: Json): LocalResource => ({
    ref: typeof name === 'string' ? name : `${ctx.stackName}-${logicalId}`,
    attributes: {},
    note: `not deployed locally: ${reason}`,
  });
  return {
    phase: 'after',
    preassign: (logicalId, ctx, raw) => record(logicalId, ctx, raw.AlarmName),
    async create(logicalId, _props, ctx, preassigned) {
      return preassigned ?? record(logicalId, ctx);
    },
  };
}

export const HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  'AWS::RolesAnywhere::TrustAnchor': trustAnchor,
  'AWS::RolesAnywhere::Profile': profile,
  'AWS::RolesAnywhere::CRL': crl,
  'AWS::SecretsManager::Secret': secret,
  'AWS::Events::Connection': connection,
  'AWS::Events::ApiDestination': apiDestination,
  'AWS::SQS::QueuePolicy': queuePolicy,
  'AWS::CloudWatch::Alarm': notDeployed('moto cannot create alarms through CloudFormation and nothing local reads them (a global endpoint stand-in\'s health is a switch)'),
  'AWS::Events::Endpoint': globalEndpoint,
  'AWS::Events::EventBusPolicy': notDeployed('moto cannot create bus policies through CloudFormation; local callers are not cross-account'),
  'AWS::CDK::Metadata': notDeployed('CDK metadata'),
};
