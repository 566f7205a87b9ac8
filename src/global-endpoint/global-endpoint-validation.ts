// Checks a GlobalEndpoint's props before any construct exists: what synthesis can say cannot work.
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
import type { GlobalEndpointProps } from './global-endpoint-props';
import { stackPlacement } from '../access/placement';
import { checkArn, checkPlacement, checkRegionCode, partitionOf, quote } from '../contract';

/** CreateEndpoint's Name: 1 to 64 of `[.\-_A-Za-z0-9]`. */
const ENDPOINT_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** CreateEndpoint's Description: at most 512 characters. */
const MAX_DESCRIPTION_LENGTH = 512;
/** Route 53 health check ids are UUIDs (the pattern of the endpoint's HealthCheck ARN: `[\-a-z0-9]+`). */
const HEALTH_CHECK_ID = /^[-a-z0-9]{1,64}$/;

/**
 * The name of a bus as synthesis knows it: the name a new bus was given (a token when CDK
 * generates it), or the name of an imported bus.
 */
export function busNameOf(bus: events.IEventBus): string {
  const resource = bus.node.defaultChild;
  if (resource instanceof events.CfnEventBus) return resource.name;
  return bus.eventBusName;
}

/**
 * Why the bus cannot back a global endpoint, or undefined: its name must be a literal, since the
 * secondary region's bus is found by the same name, and it must be of the stack's account and
 * region (the endpoint, its health check and its replication role are created there).
 */
export function checkEndpointBus(scope: IConstruct, bus: events.IEventBus, what = 'eventBus'): string | undefined {
  const name = busNameOf(bus);
  if (Token.isUnresolved(name)) {
    return `invalid ${what} ${quote(bus.node.path)}: its name is generated or a token, expected a bus created with a literal eventBusName ` +
      '(a global endpoint routes to the bus of the same name in the secondary region, which that region\'s stack creates by the name)';
  }
  if (name === 'default') {
    return `invalid ${what} name 'default': expected a custom bus (a global endpoint routes between two custom buses of one name)`;
  }
  if (bus.node.defaultChild instanceof events.CfnEventBus || Token.isUnresolved(bus.eventBusArn)) return undefined;
  const malformed = checkArn('event-bus', bus.eventBusArn, what);
  if (malformed) return malformed;
  const here = stackPlacement(scope);
  return checkPlacement(what, bus.eventBusArn, here,
    'a global endpoint, its health check and its replication role are created in the primary bus\'s account and region: deploy the stack there');
}

/** Checks the props of a `GlobalEndpoint`; throws `invalid <prop> '<value>': expected ...`. */
export function validateGlobalEndpointProps(scope: IConstruct, props: GlobalEndpointProps): void {
  const busProblem = checkEndpointBus(scope, props.eventBus);
  if (busProblem) throw new Error(busProblem);
  const regionProblem = checkSecondaryRegion(scope, props.secondaryRegion);
  if (regionProblem) throw new Error(regionProblem);

  const name = props.endpointName;
  if (name !== undefined && !Token.isUnresolved(name) && !ENDPOINT_NAME.test(name)) {
    throw new Error(`invalid endpointName ${quote(name)}: expected 1 to 64 letters, digits, '.', '-' or '_' (CreateEndpoint)`);
  }
  const description = props.description;
  if (description !== undefined && !Token.isUnresolved(description) && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new Error(`invalid description ${quote(description)}: expected at most ${MAX_DESCRIPTION_LENGTH} characters (CreateEndpoint)`);
  }
  const healthCheckId = props.healthCheckId;
  if (healthCheckId !== undefined) {
    if (props.healthCheckAlarm !== undefined) {
      throw new Error(`invalid healthCheckId ${quote(healthCheckId)}: healthCheckAlarm is given too, expected one of them (your health check, or the alarm of the one created)`);
    }
    if (!Token.isUnresolved(healthCheckId) && !HEALTH_CHECK_ID.test(healthCheckId)) {
      throw new Error(`invalid healthCheckId ${quote(healthCheckId)}: expected a Route 53 health check id such as abcdef01-2345-6789-abcd-ef0123456789 (not its ARN)`);
    }
  }
  const periods = props.healthCheckAlarm?.evaluationPeriods;
  if (periods !== undefined && !Token.isUnresolved(periods) && (!Number.isInteger(periods) || periods < 1)) {
    throw new Error(`invalid healthCheckAlarm evaluationPeriods ${quote(periods)}: expected a whole number, at least 1`);
  }
  const threshold = props.healthCheckAlarm?.threshold;
  if (threshold !== undefined && !Token.isUnresolved(threshold) && !Number.isFinite(threshold)) {
    throw new Error(`invalid healthCheckAlarm threshold ${quote(threshold)}: expected a finite number`);
  }
}

/**
 * Why `secondaryRegion` cannot be the endpoint's secondary region, or undefined: a region code,
 * not the stack's (primary) region, of the same partition. Unresolved tokens pass.
 */
export function checkSecondaryRegion(scope: IConstruct, secondaryRegion: string, what = 'secondaryRegion'): string | undefined {
  if (Token.isUnresolved(secondaryRegion)) return undefined;
  const codeProblem = checkRegionCode(secondaryRegion);
  if (codeProblem) return codeProblem.replace(/^invalid region/, `invalid ${what}`);
  const primary = Stack.of(scope).region;
  if (Token.isUnresolved(primary)) return undefined;
  if (primary === secondaryRegion) {
    return `invalid ${what} ${quote(secondaryRegion)}: it is the stack's region too, expected another region ` +
      '(a global endpoint fails over from the primary region, the stack\'s, to a secondary one)';
  }
  const a = partitionOf(primary)?.id;
  const b = partitionOf(secondaryRegion)?.id;
  if (a !== undefined && b !== undefined && a !== b) {
    return `invalid ${what} ${quote(secondaryRegion)}: it is in partition ${b} and the stack's region ${primary} in ${a}, expected a region of ${a}`;
  }
  return undefined;
}
