import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { quote } from '../contract';

/** What one contract claims in an account: its parameter path and its resource name prefix. */
export interface ContractClaim {
  readonly construct: IConstruct;
  readonly parameterPath: string;
  readonly resourceNamePrefix: string;
}

/**
 * Why `mine` and `other`, written by one app, would reach each other's resources, or undefined.
 * A grant on `<prefix>*` reaches every name the other prefix starts (`orders-` covers
 * `orders-eu-conn`), and a connector under another's path would be read by its recursive path
 * reads and confuse whoever lists the path.
 */
export function overlap(mine: ContractClaim, other: ContractClaim): string | undefined {
  const a = mine.construct.node.path;
  const b = other.construct.node.path;
  if (resolved(mine.parameterPath, other.parameterPath)) {
    if (mine.parameterPath === other.parameterPath) {
      return `connectors '${a}' and '${b}' both write parameter path ${quote(mine.parameterPath)}: expected one path per connector, set parameterPath on one of them`;
    }
    const [outer, inner] = mine.parameterPath.length < other.parameterPath.length ? [mine, other] : [other, mine];
    if (inner.parameterPath.startsWith(`${outer.parameterPath}/`)) {
      return `connector '${inner.construct.node.path}' writes parameter path ${quote(inner.parameterPath)} under the path ${quote(outer.parameterPath)} of '${outer.construct.node.path}': expected paths that do not nest, so that a read of one path never returns the other's parameters`;
    }
  }
  if (resolved(mine.resourceNamePrefix, other.resourceNamePrefix)) {
    const [shorter, longer] = mine.resourceNamePrefix.length <= other.resourceNamePrefix.length ? [mine, other] : [other, mine];
    if (longer.resourceNamePrefix.startsWith(shorter.resourceNamePrefix)) {
      return `connectors '${shorter.construct.node.path}' and '${longer.construct.node.path}' have resource name prefixes ${quote(shorter.resourceNamePrefix)} and ${quote(longer.resourceNamePrefix)}: ` +
        'expected prefixes that are not prefixes of each other, as a grant on the first would reach the connections and API key secrets of the second; set resourceNamePrefix on one of them';
    }
  }
  return undefined;
}

function resolved(...values: string[]): boolean {
  return values.every((v) => !Token.isUnresolved(v));
}
