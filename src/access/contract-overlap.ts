import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { quote } from '../contract';

/**
 * What one construct claims in an account and region: a parameter path (a connector's contract,
 * or the receiving keys a receiver writes), a resource name prefix (the connection and API
 * destination names it creates or may manage), the name of a new event bus. Any may be absent.
 */
export interface ContractClaim {
  /** A connector's contract or a receiver: said in the messages. */
  readonly kind: 'connector' | 'receiver';
  readonly parameterPath?: string;
  readonly resourceNamePrefix?: string;
  readonly eventBusName?: string;
}

/** Every claim of the app, by the construct that makes it. */
const CLAIMS = new WeakMap<IConstruct, ContractClaim>();
/** The connector each claimant belongs to: claims of one connector never collide with each other. */
const OWNERS = new WeakMap<IConstruct, IConstruct>();

/**
 * Registers what `construct` claims and, once the app is complete, refuses any other claim of the
 * app that could meet it (same account and region, see {@link canMeet}) and would reach it.
 */
export function registerClaim(construct: IConstruct, claim: ContractClaim, owner: IConstruct = construct): void {
  CLAIMS.set(construct, claim);
  OWNERS.set(construct, owner);
  construct.node.addValidation({
    validate: () => construct.node.root.node.findAll()
      .filter((other) => other !== construct && CLAIMS.has(other) && OWNERS.get(other) !== OWNERS.get(construct) && canMeet(construct, other))
      .map((other) => overlap(construct, CLAIMS.get(construct)!, other, CLAIMS.get(other)!))
      .filter((p): p is string => p !== undefined),
  });
}

/** Makes `construct` part of `owner` (a receiver added by its connector shares the connector's path). */
export function setClaimOwner(construct: IConstruct, owner: IConstruct): void {
  if (CLAIMS.has(construct)) OWNERS.set(construct, owner);
}

/**
 * Whether two stacks can deploy into one account and region. A literal account or region differs
 * from another literal one; an env-agnostic stack deploys wherever the CLI points, so it may
 * meet any stack.
 */
export function canMeet(a: IConstruct, b: IConstruct): boolean {
  const sa = Stack.of(a);
  const sb = Stack.of(b);
  const differ = (x: string, y: string) => !Token.isUnresolved(x) && !Token.isUnresolved(y) && x !== y;
  return !differ(sa.account, sb.account) && !differ(sa.region, sb.region);
}

/**
 * Why two claims would reach each other's resources, or undefined. A grant on `<prefix>*` reaches
 * the names of a connector with the same prefix, and a contract under another's path would be
 * read by its recursive path reads. Unresolved values compare by their text: the same token twice
 * is one value, and a literal head of a path that already collides collides whatever the token
 * becomes.
 */
function overlap(mineC: IConstruct, mine: ContractClaim, otherC: IConstruct, other: ContractClaim): string | undefined {
  const a = quote(mineC.node.path);
  const b = quote(otherC.node.path);
  const plural = mine.kind === other.kind ? `${mine.kind}s` : `${mine.kind} and ${other.kind}`;
  if (mine.parameterPath !== undefined && other.parameterPath !== undefined) {
    if (mine.parameterPath === other.parameterPath) {
      return `${plural} ${a} and ${b} both write parameter path ${quote(mine.parameterPath)}: expected one path per connector, set parameterPath on one of them`;
    }
    for (const [outer, outerC, inner, innerC] of [[mine, mineC, other, otherC], [other, otherC, mine, mineC]] as const) {
      const outerPath = outer.parameterPath!;
      if (!Token.isUnresolved(outerPath) && literalHead(inner.parameterPath!).startsWith(`${outerPath}/`)) {
        return `${inner.kind} ${quote(innerC.node.path)} writes parameter path ${quote(inner.parameterPath)} under the path ${quote(outerPath)} of ${quote(outerC.node.path)}: ` +
          'expected paths that do not nest, so that a read of one path never returns the other\'s parameters';
      }
    }
  }
  // Receivers may share a prefix (their names differ by id); a connector's grant must not reach another's names.
  // Prefixes end with the one '.' they contain (see RESOURCE_NAME_DELIMITER), so only equal ones meet.
  const grants = mine.kind === 'connector' || other.kind === 'connector';
  if (grants && mine.resourceNamePrefix !== undefined && mine.resourceNamePrefix === other.resourceNamePrefix) {
    return `${plural} ${a} and ${b} both have resource name prefix ${quote(mine.resourceNamePrefix)}: ` +
      `expected one prefix per connector, as the grant on ${quote(`${mine.resourceNamePrefix}*`)} of each would reach the connections and API key secrets of the other; set resourceNamePrefix on one of them`;
  }
  if (mine.eventBusName !== undefined && mine.eventBusName === other.eventBusName) {
    return `${plural} ${a} and ${b} both create event bus ${quote(mine.eventBusName)} in one account and region: expected one bus per name (CreateEventBus fails on the second), set eventBusName on one of them or share the bus through eventBus`;
  }
  return undefined;
}

/** The text before the first token of a string (all of it when it has none). */
function literalHead(value: string): string {
  const at = value.search(/\$\{Token\[|#\{Token\[/);
  return at < 0 ? value : value.slice(0, at);
}
