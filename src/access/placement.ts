import { Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
import { checkArn, checkPlacement } from '../contract';
import { assertPlacementAtDeploy } from './deploy-placement';

/** The stack's account and region, each only when it is a literal. */
export function stackPlacement(scope: IConstruct): { account?: string; region?: string } {
  const stack = Stack.of(scope);
  return {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
}

/**
 * A bus of another region cannot work: the runtime reads the contract, assumes the role and calls
 * PutEvents in the stack's region. A bus of another account can be sent to (its policy must
 * allow the connector's principal), but an archive or a rule cannot be put on it from here.
 */
export function checkImportedBus(scope: IConstruct, bus: events.IEventBus, ownsResourcesOnIt: boolean, what = 'an archive'): void {
  if (Token.isUnresolved(bus.eventBusArn)) return;
  const malformed = checkArn('event-bus', bus.eventBusArn, 'eventBus');
  if (malformed) throw new Error(malformed);
  const here = stackPlacement(scope);
  const region = checkPlacement('eventBus', bus.eventBusArn, { region: here.region },
    'the connector\'s parameters, role and profile are in the stack\'s region, and the runtime calls PutEvents there');
  if (region) throw new Error(region);
  assertPlacementAtDeploy(scope, 'eventBus', bus.eventBusArn, { region: true, account: ownsResourcesOnIt },
    ownsResourcesOnIt ? `${what} on a bus is created in the bus's account and region` : 'the runtime calls PutEvents in the stack\'s region');
  if (ownsResourcesOnIt) {
    const account = checkPlacement('eventBus', bus.eventBusArn, { account: here.account },
      `${what} on a bus is created in the bus's account, and this stack deploys to another`);
    if (account) throw new Error(account);
  }
}

