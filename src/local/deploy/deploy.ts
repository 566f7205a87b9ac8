/**
 * Deploys a synthesized CDK template on loopback services: moto's CloudFormation creates what it
 * supports, the resources it lacks are created through moto's service APIs or in the loopback
 * Roles Anywhere service, and references between the two are resolved to literal values. The
 * template itself is not edited on disk; every workaround is listed in the result.
 */
import { readFileSync } from 'node:fs';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { HANDLERS, HandlerContext, LocalResource, ResourceHandler } from './handlers';
import { evaluate, getAttParts, intrinsicName, isObject, Json, JsonObject, ReferenceResolver, referencedIds, substitute } from './intrinsics';
import type { DeployedGlobalEndpoint, RolesAnywhereRegistry } from './registry';
import { checkTemplateRegion } from './template-region';
import { partitionOf } from '../../contract';
import { definedOnly } from '../../contract/defined-only';

export interface LocalDeployOptions {
  /** The synthesized template: its JSON, or the path of a `*.template.json`. */
  readonly template: string | JsonObject;
  readonly stackName: string;
  /** moto's endpoint, e.g. `http://127.0.0.1:5000`. */
  readonly endpoint: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** moto's default account. @default '123456789012' */
  readonly account?: string;
  /** Receives the template's Roles Anywhere resources; required when it has any. */
  readonly rolesAnywhere?: RolesAnywhereRegistry;
  /** Values for template parameters. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

export type DeployedBy = 'cloudformation' | 'service-api' | 'rolesanywhere' | 'global-endpoint' | 'not-deployed';

export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly deployedBy: DeployedBy;
  /** What `Ref` gives: the name, id or ARN the resource was created with. */
  readonly physicalId?: string;
  readonly note?: string;
}

export interface LocalDeployResult {
  readonly stackName: string;
  readonly stackId: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: readonly DeployedResource[];
  /**
   * The template's `AWS::Events::Endpoint`s, recorded here since moto has no global endpoints:
   * start `startGlobalEndpoint` with each one's `endpointId` and regions to play it.
   */
  readonly globalEndpoints: readonly DeployedGlobalEndpoint[];
  /** The workarounds applied, one line each, for people reading the demo's report. */
  readonly workarounds: readonly string[];
}

/** Where moto's CloudFormation reads the bootstrap version that CDK templates check. */
const BOOTSTRAP_VERSION_PARAMETER = '/cdk-bootstrap/hnb659fds/version';
const OUTPUT_PREFIX = 'LocalDeployValue';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export async function deployLocally(options: LocalDeployOptions): Promise<LocalDeployResult> {
  const template: JsonObject = typeof options.template === 'string'
    ? JSON.parse(options.template.trim().startsWith('{') ? options.template : readFileSync(options.template, 'utf8'))
    : structuredClone(options.template);
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const partitionData = partitionOf(region);
  const partition = partitionData?.id ?? 'aws';
  const clientConfig = { region, endpoint: options.endpoint, credentials: TEST_CREDENTIALS };
  const otherRegions = new Map<string, EventBridgeClient>();
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partitionData?.dnsSuffix ?? 'amazonaws.com',
    'AWS::StackName': options.stackName,
  };
  const ctx: HandlerContext = {
    stackName: options.stackName,
    region,
    account,
    partition,
    pseudo,
    events: new EventBridgeClient(clientConfig),
    secrets: new SecretsManagerClient(clientConfig),
    sqs: new SQSClient(clientConfig),
    rolesAnywhere: options.rolesAnywhere,
    eventsIn(other) {
      if (!otherRegions.has(other)) otherRegions.set(other, new EventBridgeClient({ ...clientConfig, region: other }));
      return otherRegions.get(other)!;
    },
    globalEndpoints: [],
  };
  // A CreateStack that moto fails half-way leaves the stack behind: a retry would only say it exists.
  const cfn = new CloudFormationClient({ ...clientConfig, maxAttempts: 1 });
  const ssm = new SSMClient(clientConfig);
  const workarounds: string[] = [];
  try {
    // Before anything reads the template: the resources created after the stack read it too.
    const healthCheckIds = replaceHealthCheckIdAttributes(template);
    if (healthCheckIds > 0) {
      workarounds.push(`${healthCheckIds} Fn::GetAtt HealthCheckId of AWS::Route53::HealthCheck replaced by its Ref, the same id (moto's CloudFormation gives health checks no attributes; it records the check, not its alarm)`);
    }
    // Before anything is created: a template of another region would fail half-way or, worse, deploy.
    checkTemplateRegion(template, region, pseudo);
    const resources = (template.Resources ?? {}) as Record<string, JsonObject>;
    const local = new Map<string, ResourceHandler>();
    for (const [id, resource] of Object.entries(resources)) {
      const type = String(resource.Type);
      if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
        throw new Error(`resource ${id} (${type}) is a Lambda-backed custom resource: it cannot run on moto`);
      }
      const handler = HANDLERS[type];
      if (handler) local.set(id, handler);
    }

    for (const [id, handler] of local) await handler.precheck?.(id, (resources[id].Properties ?? {}) as JsonObject, ctx);

    // Resources moto lacks are created before the stack unless they need a value from it.
    const dependsOnStack = (id: string) => [...referencedIds(resources[id].Properties ?? {})].some((dep) => resources[dep] && !local.has(dep));
    const phases = new Map([...local].map(([id, handler]) => [id, handler.phase === 'after' || dependsOnStack(id) ? 'after' : 'before']));
    const phaseOf = (id: string) => phases.get(id);
    const created = new Map<string, LocalResource>();
    for (const [id, handler] of local) {
      if (phaseOf(id) === 'after' && handler.preassign) created.set(id, handler.preassign(id, ctx, (resources[id].Properties ?? {}) as JsonObject));
    }

    const parameters = (template.Parameters ?? {}) as Record<string, JsonObject>;
    const localResolver: ReferenceResolver = {
      ref: (id) => created.get(id)?.ref ?? options.parameters?.[id] ?? (parameters[id]?.Default as string | undefined),
      getAtt: (id, attr) => created.get(id)?.attributes[attr],
    };

    const before = [...local.keys()].filter((id) => phaseOf(id) === 'before');
    for (const id of topologicalOrder(before, resources)) {
      const props = evaluate(resources[id].Properties ?? {}, localResolver, pseudo, `${id}.Properties`) as JsonObject;
      created.set(id, await local.get(id)!.create(id, props, ctx));
    }

    // Stack resources must not depend on what can only be created after the stack.
    const after = [...local.keys()].filter((id) => phaseOf(id) === 'after');
    for (const [id, resource] of Object.entries(resources)) {
      if (local.has(id)) continue;
      const missing = [...referencedIds(resource)].filter((dep) => after.includes(dep) && !created.has(dep));
      if (missing.length > 0) {
        throw new Error(`resource ${id} refers to ${missing.join(', ')}, which can only be created after the stack: cannot deploy locally`);
      }
    }

    // What moto gets: the template without the resources created here, with literal values in
    // their place, and one output per value that the later resources need from the stack.
    const localIds = new Set(local.keys());
    const stackTemplate = structuredClone(template);
    const stackResources = stackTemplate.Resources as Record<string, JsonObject>;
    for (const id of localIds) delete stackResources[id];
    for (const resource of Object.values(stackResources)) {
      if (resource.DependsOn !== undefined) {
        const deps = ([] as Json[]).concat(resource.DependsOn).filter((d) => !localIds.has(String(d)));
        if (deps.length === 0) delete resource.DependsOn;
        else resource.DependsOn = deps;
      }
    }
    const resolverForStack: ReferenceResolver = { ref: (id) => created.get(id)?.ref, getAtt: (id, attr) => created.get(id)?.attributes[attr] };
    stackTemplate.Resources = substitute(stackResources, localIds, resolverForStack);
    if (stackTemplate.Outputs) stackTemplate.Outputs = substitute(stackTemplate.Outputs, localIds, resolverForStack);

    const busRefs = replaceEventBusRefs(stackTemplate);
    if (busRefs > 0) workarounds.push(`${busRefs} Ref(s) to AWS::Events::EventBus replaced by the bus name (moto gives buses no physical id)`);
    const archives = fixArchives(stackTemplate, options.stackName);
    if (archives > 0) {
      workarounds.push(`${archives} AWS::Events::Archive named within 48 characters and given its event pattern as a JSON string (moto's generated names are longer; it cannot read the pattern as an object)`);
    }

    const outputs = (stackTemplate.Outputs ?? {}) as Record<string, Json>;
    const pending = new Map<string, JsonObject>();
    let counter = 0;
    for (const id of after) {
      const withLocals = substitute(resources[id].Properties ?? {}, localIds, resolverForStack);
      pending.set(id, extractIntrinsics(withLocals, (expression) => {
        const name = `${OUTPUT_PREFIX}${counter++}`;
        outputs[name] = { Value: expression };
        return name;
      }) as JsonObject);
    }
    if (Object.keys(outputs).length > 0) stackTemplate.Outputs = outputs;

    await ssm.send(new PutParameterCommand({ Name: BOOTSTRAP_VERSION_PARAMETER, Value: '30', Type: 'String', Overwrite: true }));
    workarounds.push(`SSM parameter ${BOOTSTRAP_VERSION_PARAMETER} written so that the template's bootstrap check passes`);

    const stackId = await createStack(cfn, options.stackName, stackTemplate, options.parameters ?? {}, options.timeoutMs ?? 120_000);
    const described = await cfn.send(new DescribeStacksCommand({ StackName: options.stackName }));
    const allOutputs = Object.fromEntries((described.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));

    for (const id of topologicalOrder(after, resources)) {
      const props = fillOutputs(pending.get(id)!, allOutputs) as JsonObject;
      created.set(id, await local.get(id)!.create(id, props, ctx, created.get(id)));
    }

    const fromStack = (await cfn.send(new DescribeStackResourcesCommand({ StackName: options.stackName }))).StackResources ?? [];
    const physicalIds = new Map(fromStack.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId]));
    const deployed: DeployedResource[] = Object.entries(resources).map(([logicalId, r]) => {
      const type = String(r.Type);
      const note = created.get(logicalId)?.note;
      const deployedBy: DeployedBy = !local.has(logicalId)
        ? 'cloudformation'
        : note?.startsWith('not deployed')
          ? 'not-deployed'
          : type.startsWith('AWS::RolesAnywhere::') ? 'rolesanywhere'
            : type === 'AWS::Events::Endpoint' ? 'global-endpoint' : 'service-api';
      const physicalId = local.has(logicalId) ? created.get(logicalId)?.ref : physicalIds.get(logicalId);
      return { logicalId, type, deployedBy, ...definedOnly({ physicalId, note }) };
    });
    const byApi = deployed.filter((r) => r.deployedBy === 'service-api').map((r) => r.type);
    if (byApi.length > 0) workarounds.push(`created through moto's service APIs (its CloudFormation lacks them): ${[...new Set(byApi)].join(', ')}`);
    const byRa = deployed.filter((r) => r.deployedBy === 'rolesanywhere').map((r) => r.type);
    if (byRa.length > 0) workarounds.push(`registered in the loopback Roles Anywhere service (moto has none): ${[...new Set(byRa)].join(', ')}`);
    for (const e of ctx.globalEndpoints) {
      workarounds.push(`AWS::Events::Endpoint ${e.name} recorded for a loopback global endpoint (moto has none): EndpointId ${e.endpointId}, ` +
        `${e.primaryRegion} failing over to ${e.secondaryRegion}; start startGlobalEndpoint with it (result.globalEndpoints), whose health switch plays the health check`);
    }

    return {
      stackName: options.stackName,
      stackId,
      outputs: Object.fromEntries(Object.entries(allOutputs).filter(([k]) => !k.startsWith(OUTPUT_PREFIX))),
      resources: deployed,
      globalEndpoints: [...ctx.globalEndpoints],
      workarounds,
    };
  } finally {
    for (const client of [ctx.events, ctx.secrets, ctx.sqs, cfn, ssm, ...otherRegions.values()]) client.destroy();
  }
}

/** Orders ids so that each comes after the ids (of the same set) it refers to. */
function topologicalOrder(ids: readonly string[], resources: Record<string, JsonObject>): string[] {
  const set = new Set(ids);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`circular references between ${[...trail, id].join(' -> ')}`);
    state.set(id, 'visiting');
    const deps = referencedIds(resources[id]);
    for (const dep of deps) if (set.has(dep)) visit(dep, [...trail, id]);
    state.set(id, 'done');
    order.push(id);
  };
  ids.forEach((id) => visit(id, []));
  return order;
}

/**
 * Replaces `Fn::GetAtt [<HealthCheck>, HealthCheckId]` (and `${<HealthCheck>.HealthCheckId}` in
 * Fn::Sub) by the health check's `Ref`, which CloudFormation documents as the same id.
 */
function replaceHealthCheckIdAttributes(template: JsonObject): number {
  const resources = template.Resources as Record<string, JsonObject>;
  const checks = new Set(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Route53::HealthCheck').map(([id]) => id));
  if (checks.size === 0) return 0;
  let count = 0;
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    if (intrinsicName(value) === 'Fn::GetAtt') {
      const [id, attr] = getAttParts(value['Fn::GetAtt']);
      if (checks.has(id) && attr === 'HealthCheckId') {
        count++;
        return { Ref: id };
      }
    }
    if (intrinsicName(value) === 'Fn::Sub') {
      const arg = value['Fn::Sub'];
      const text = Array.isArray(arg) ? arg[0] : arg;
      if (typeof text === 'string') {
        const replaced = text.replace(/\$\{([^!}.][^}.]*)\.HealthCheckId\}/g, (whole, id: string) => {
          if (!checks.has(id.trim())) return whole;
          count++;
          return `\${${id.trim()}}`;
        });
        return { 'Fn::Sub': Array.isArray(arg) ? [replaced, walk(arg[1])] : replaced };
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  for (const key of ['Resources', 'Outputs']) if (template[key]) template[key] = walk(template[key]!);
  return count;
}

/** Replaces `{ Ref: <EventBus> }` by the bus's Name property. */
function replaceEventBusRefs(template: JsonObject): number {
  const resources = template.Resources as Record<string, JsonObject>;
  const names = new Map<string, Json>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::Events::EventBus' && isObject(r.Properties) && r.Properties.Name !== undefined) names.set(id, r.Properties.Name);
  }
  let count = 0;
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    if (intrinsicName(value) === 'Ref' && names.has(String(value.Ref))) {
      count++;
      return names.get(String(value.Ref))!;
    }
    if (intrinsicName(value) === 'Fn::Sub') {
      const arg = value['Fn::Sub'];
      if (typeof arg === 'string') {
        return {
          'Fn::Sub': arg.replace(/\$\{([^}.!]+)\}/g, (whole, id: string) => {
            const name = names.get(id);
            if (typeof name !== 'string') return whole;
            count++;
            return name;
          }),
        };
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  for (const key of ['Resources', 'Outputs']) if (template[key]) template[key] = walk(template[key]!);
  return count;
}

/**
 * Archives as moto's CloudFormation can create them: a name where CloudFormation would generate
 * one (moto's generated names break the 48-character limit), and the event pattern as JSON text
 * (moto parses only a string). Both are what CloudFormation itself accepts.
 */
function fixArchives(template: JsonObject, stackName: string): number {
  let count = 0;
  for (const [id, r] of Object.entries(template.Resources as Record<string, JsonObject>)) {
    if (r.Type !== 'AWS::Events::Archive') continue;
    const props = { ...((r.Properties ?? {}) as JsonObject) };
    if (props.ArchiveName === undefined) props.ArchiveName = `${stackName}-${id}`.replace(/[^\w.-]/g, '-').slice(0, 48);
    if (isObject(props.EventPattern) && !intrinsicName(props.EventPattern)) props.EventPattern = JSON.stringify(props.EventPattern);
    r.Properties = props;
    count++;
  }
  return count;
}

/** Replaces each top-level intrinsic in `value` by a placeholder naming the output that carries it. */
function extractIntrinsics(value: Json, toOutput: (expression: Json) => string): Json {
  if (Array.isArray(value)) return value.map((v) => extractIntrinsics(v, toOutput));
  if (!isObject(value)) return value;
  if (intrinsicName(value)) return { [`${OUTPUT_PREFIX}::Output`]: toOutput(value) };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extractIntrinsics(v, toOutput)]));
}

function fillOutputs(value: Json, outputs: Record<string, string>): Json {
  if (Array.isArray(value)) return value.map((v) => fillOutputs(v, outputs));
  if (!isObject(value)) return value;
  const placeholder = value[`${OUTPUT_PREFIX}::Output`];
  if (typeof placeholder === 'string') {
    if (!(placeholder in outputs)) throw new Error(`moto returned no value for output ${placeholder}`);
    return outputs[placeholder];
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillOutputs(v, outputs)]));
}

async function createStack(
  cfn: CloudFormationClient,
  stackName: string,
  template: JsonObject,
  parameters: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<string> {
  const created = await cfn.send(new CreateStackCommand({
    StackName: stackName,
    TemplateBody: JSON.stringify(template),
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  })).catch(async (error: { message?: string; $response?: { body?: AsyncIterable<Uint8Array> } }) => {
    // moto creates the resources during CreateStack and passes a failing service's own error
    // body through (JSON, where the SDK expects XML): show that body rather than a parse error.
    let body = '';
    if (error.$response?.body) for await (const chunk of error.$response.body) body += Buffer.from(chunk).toString();
    throw new Error(`moto's CloudFormation refused stack ${stackName}: ${body.trim() || error.message}`);
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    const status = stack?.StackStatus ?? 'UNKNOWN';
    if (status === 'CREATE_COMPLETE') return created.StackId!;
    if (status.endsWith('_FAILED') || status.startsWith('ROLLBACK') || status.startsWith('DELETE')) {
      const events = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
      const reasons = (events.StackEvents ?? []).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
      throw new Error(`stack ${stackName} ended in ${status} on moto: ${reasons.slice(0, 5).join('; ') || stack?.StackStatusReason || 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

