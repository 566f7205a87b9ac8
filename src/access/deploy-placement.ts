import { createHash } from 'node:crypto';
import { Annotations, Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import type { ICfnRuleConditionExpression } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { parseArn, quote } from '../contract';

/** Id of the synth warning for a resource of a fixed place used from an env-agnostic stack. */
export const ENV_AGNOSTIC_PLACEMENT_WARNING_ID = 'cdk-eventbridge-connector:envAgnosticPlacement';

/** Which parts of an ARN the stack must share with it. */
export interface SamePlace {
  readonly account?: boolean;
  readonly region?: boolean;
}

/**
 * What synthesis cannot check in an env-agnostic stack (its account or region is a token): that a
 * literal ARN is in the stack's partition, account and region. Adds a template rule that fails the
 * deployment before any resource is created, with a description naming the ARN, and a synth
 * warning saying the same. Does nothing when the ARN or the stack's placement is literal (synth
 * checks those) or when nothing is left to check.
 */
export function assertPlacementAtDeploy(scope: IConstruct, what: string, arn: string, same: SamePlace, why: string): void {
  if (Token.isUnresolved(arn)) return;
  const p = parseArn(arn);
  if (!p) return;
  const stack = Stack.of(scope);
  const checks: Array<[string, ICfnRuleConditionExpression]> = [];
  if (Token.isUnresolved(stack.partition) && p.partition !== '') {
    checks.push([`partition ${p.partition}`, Fn.conditionEquals(Aws.PARTITION, p.partition)]);
  }
  if (same.account && Token.isUnresolved(stack.account) && p.account !== '') {
    checks.push([`account ${p.account}`, Fn.conditionEquals(Aws.ACCOUNT_ID, p.account)]);
  }
  if (same.region && Token.isUnresolved(stack.region) && p.region !== '') {
    checks.push([`region ${p.region}`, Fn.conditionEquals(Aws.REGION, p.region)]);
  }
  // The partition alone is no news for an env-agnostic stack of the usual partition.
  if (checks.length === 0 || (checks.length === 1 && p.partition === 'aws' && checks[0][0].startsWith('partition'))) return;
  const where = checks.map(([w]) => w).join(', ');
  // CloudFormation's AssertDescription: at most 1024 characters; the ARN is bounded by quote().
  const description = `${what} ${quote(arn)} is in ${where}: deploy this stack there (${why})`;
  // One rule per ARN and check in the stack: connectors sharing a bus or a trust anchor share it.
  const id = `${what.replace(/[^A-Za-z0-9]/g, '')}Placement${createHash('sha256').update(`${arn} ${where}`).digest('hex').slice(0, 8)}`;
  if (stack.node.tryFindChild(id)) return;
  new CfnRule(stack, id, {
    assertions: [{
      assert: checks.length === 1 ? checks[0][1] : Fn.conditionAnd(...checks.map(([, c]) => c)),
      assertDescription: description.slice(0, 1024),
    }],
  });
  Annotations.of(scope).addWarningV2(ENV_AGNOSTIC_PLACEMENT_WARNING_ID,
    `${what} ${quote(arn)} is in ${where}, and this stack is env-agnostic: synthesis cannot check it, so a template rule fails the deployment anywhere else; set env on the stack to check it at synthesis (${why})`);
}
