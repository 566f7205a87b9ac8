/**
 * The local deploy of `AWS::Events::Endpoint`, which moto lacks: the endpoint's identifiers are
 * made here (an `EndpointId` such as `abcde.xyz`, its ARN and URL), its properties checked as
 * CreateEndpoint documents them (two buses of identical names, a `RoleArn` while replication is
 * `ENABLED`, the default) and for what routing needs (one bus per region, a secondary route other
 * than the stack's region), its secondary bus looked up before the stack is created, and the
 * endpoint recorded so that a loopback `startGlobalEndpoint` can be started for it with the same
 * id and both regions.
 */
import { randomInt } from 'node:crypto';
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import type { HandlerContext, LocalResource, ResourceHandler } from './handler-types';
import { evaluate, isObject, Json, JsonObject } from './intrinsics';
import { formatArn, parseArn, partitionOf, quote } from '../../contract';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An EndpointId in AWS's shape: five and three lowercase letters or digits around a dot. */
function endpointId(): string {
  const part = (n: number) => Array.from({ length: n }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
  return `${part(5)}.${part(3)}`;
}

/** The endpoint's name: given, or `<stack>-<logical id>` as CloudFormation generates one (at most 64 characters). */
function endpointName(ctx: HandlerContext, logicalId: string, raw: JsonObject): string {
  return typeof raw.Name === 'string' ? raw.Name : `${ctx.stackName}-${logicalId}`.replace(/[^\w.-]/g, '-').slice(0, 64);
}

/** The bus ARNs of the endpoint: two, of one name, one in the stack's region and one in the secondary route. */
function checkBuses(props: JsonObject, region: string, secondaryRegion: string): { eventBusName: string } {
  const buses = Array.isArray(props.EventBuses) ? props.EventBuses : [];
  const arns = buses.map((b) => (isObject(b) ? b.EventBusArn : undefined));
  const parsed = arns.map((a) => (typeof a === 'string' ? parseArn(a) : undefined));
  if (parsed.length !== 2 || parsed.some((p) => p?.service !== 'events' || !p.resource.startsWith('event-bus/'))) {
    throw new Error(`invalid EventBuses ${quote(JSON.stringify(arns))} of a global endpoint: expected two event bus ARNs`);
  }
  const [a, b] = parsed as NonNullable<(typeof parsed)[number]>[];
  if (a.resource !== b.resource) {
    throw new Error(`invalid EventBuses ${quote(JSON.stringify(arns))} of a global endpoint: expected two buses of one name (the endpoint routes to the same bus in either region)`);
  }
  const regions = [a.region, b.region].sort();
  if (regions.join() !== [region, secondaryRegion].sort().join()) {
    throw new Error(`invalid EventBuses ${quote(JSON.stringify(arns))} of a global endpoint in ${region}: expected one bus in ${region} and one in the secondary route ${secondaryRegion}`);
  }
  return { eventBusName: a.resource.slice('event-bus/'.length) };
}

/** A value that refers to pseudo parameters only, evaluated; undefined when it refers to a resource. */
function literal(value: Json | undefined, ctx: HandlerContext): Json | undefined {
  if (value === undefined) return undefined;
  try {
    return evaluate(value, { ref: () => undefined, getAtt: () => undefined }, { ...ctx.pseudo });
  } catch {
    return undefined;
  }
}

/** `RoutingConfig.FailoverConfig` of the endpoint's properties, or an empty object. */
function failoverConfig(props: JsonObject): JsonObject {
  return isObject(props.RoutingConfig) && isObject(props.RoutingConfig.FailoverConfig) ? props.RoutingConfig.FailoverConfig : {};
}

/**
 * What `create` checks again on the evaluated properties, on the template as written where it
 * is literal: a refusal after moto created the stack would leave the stack behind, and the
 * fixed template's deploy would then only hear that the stack exists.
 */
function checkBeforeCreating(logicalId: string, raw: JsonObject, ctx: HandlerContext): void {
  const routing = failoverConfig(raw);
  const route = isObject(routing.Secondary) ? literal(routing.Secondary.Route, ctx) : undefined;
  if (typeof route !== 'string' || route === ctx.region) {
    throw new Error(`invalid RoutingConfig.FailoverConfig.Secondary.Route ${quote(route)} of global endpoint ${logicalId}: expected a region other than the stack's ${ctx.region}`);
  }
  if (!isObject(routing.Primary) || routing.Primary.HealthCheck === undefined) {
    throw new Error(`missing RoutingConfig.FailoverConfig.Primary.HealthCheck of global endpoint ${logicalId}: expected a Route 53 health check ARN`);
  }
  const healthCheck = literal(routing.Primary.HealthCheck, ctx);
  if (healthCheck !== undefined && (typeof healthCheck !== 'string' || !/^arn:[\w-]+:route53:::healthcheck\/.+/.test(healthCheck))) {
    throw new Error(`invalid RoutingConfig.FailoverConfig.Primary.HealthCheck ${quote(healthCheck)} of global endpoint ${logicalId}: expected a Route 53 health check ARN`);
  }
  const buses = Array.isArray(raw.EventBuses) ? raw.EventBuses : [];
  if (buses.length !== 2) {
    throw new Error(`invalid EventBuses of global endpoint ${logicalId}: ${buses.length} given, expected two event bus ARNs (one in ${ctx.region}, one in ${route})`);
  }
  const state = isObject(raw.ReplicationConfig) ? literal(raw.ReplicationConfig.State, ctx) : undefined;
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED') {
    throw new Error(`invalid ReplicationConfig.State ${quote(state)} of global endpoint ${logicalId}: expected ENABLED or DISABLED`);
  }
  if (state !== 'DISABLED' && raw.RoleArn === undefined) {
    throw new Error(`missing RoleArn of global endpoint ${logicalId}: replication is ${quote(String(state ?? 'ENABLED'))}, expected the role EventBridge replicates with`);
  }
}

export const globalEndpoint: ResourceHandler = {
  /**
   * The endpoint fails over to a bus that must be there: the secondary region's stack deploys
   * first. Checked before anything of the stack is created, on the bus ARNs of the secondary
   * route that refer to no resource (built from the name, as GlobalEndpoint builds them).
   */
  async precheck(logicalId, raw, ctx) {
    checkBeforeCreating(logicalId, raw, ctx);
    const secondary = failoverConfig(raw).Secondary;
    const route = isObject(secondary) ? literal(secondary.Route, ctx) : undefined;
    if (typeof route !== 'string' || route === ctx.region) return;
    const buses = Array.isArray(raw.EventBuses) ? raw.EventBuses : [];
    for (const bus of buses) {
      const value = isObject(bus) ? literal(bus.EventBusArn, ctx) : undefined;
      const arn = typeof value === 'string' ? parseArn(value) : undefined;
      if (arn?.region !== route || !arn.resource.startsWith('event-bus/')) continue;
      try {
        await ctx.eventsIn(route).send(new DescribeEventBusCommand({ Name: arn.resource.slice('event-bus/'.length) }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
        throw new Error(`global endpoint ${logicalId} routes to ${formatArn(arn)}, which does not exist: deploy the secondary region's stack (${route}) first`);
      }
    }
  },
  // The endpoint names the stack's bus and replication role; the contract in turn stores its id.
  phase: 'after',
  preassign(logicalId, ctx, raw) {
    const name = endpointName(ctx, logicalId, raw);
    const id = endpointId();
    const dnsSuffix = partitionOf(ctx.region)?.dnsSuffix ?? 'amazonaws.com';
    const arn = formatArn({ partition: ctx.partition, service: 'events', region: ctx.region, account: ctx.account, resource: `endpoint/${name}` });
    return { ref: name, attributes: { Arn: arn, EndpointId: id, EndpointUrl: `https://${id}.endpoint.events.${dnsSuffix}`, State: 'ACTIVE', StateReason: '' } };
  },
  async create(logicalId, props, ctx, preassigned): Promise<LocalResource> {
    const routing = failoverConfig(props);
    const secondaryRoute = isObject(routing.Secondary) ? routing.Secondary.Route : undefined;
    const healthCheck = isObject(routing.Primary) ? routing.Primary.HealthCheck : undefined;
    if (typeof secondaryRoute !== 'string' || secondaryRoute === ctx.region) {
      throw new Error(`invalid RoutingConfig.FailoverConfig.Secondary.Route ${quote(secondaryRoute)} of global endpoint ${logicalId}: expected a region other than the stack's ${ctx.region}`);
    }
    if (typeof healthCheck !== 'string' || !/^arn:[\w-]+:route53:::healthcheck\/.+/.test(healthCheck)) {
      throw new Error(`invalid RoutingConfig.FailoverConfig.Primary.HealthCheck ${quote(healthCheck)} of global endpoint ${logicalId}: expected a Route 53 health check ARN`);
    }
    const { eventBusName } = checkBuses(props, ctx.region, secondaryRoute);
    const state = isObject(props.ReplicationConfig) ? props.ReplicationConfig.State : undefined;
    const replication = state !== 'DISABLED';
    if (replication && typeof props.RoleArn !== 'string') {
      throw new Error(`missing RoleArn of global endpoint ${logicalId}: replication is ${quote(state ?? 'ENABLED')}, expected the role EventBridge replicates with`);
    }
    const resource = preassigned!;
    ctx.globalEndpoints.push({
      logicalId,
      name: resource.ref,
      endpointId: resource.attributes.EndpointId,
      arn: resource.attributes.Arn,
      primaryRegion: ctx.region,
      secondaryRegion: secondaryRoute,
      eventBusName,
      replication,
      healthCheckArn: healthCheck,
    });
    return {
      ...resource,
      note: `recorded for a loopback global endpoint (moto has none): EndpointId ${resource.attributes.EndpointId}, ${ctx.region} failing over to ${secondaryRoute}, replication ${replication ? 'on' : 'off'}`,
    };
  },
};
