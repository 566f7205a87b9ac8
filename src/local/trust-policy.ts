/**
 * Evaluates a role's trust policy for a Roles Anywhere session as IAM does when the service
 * assumes the role: the principal is `rolesanywhere.amazonaws.com`, the actions are
 * sts:AssumeRole, sts:TagSession and (with a source identity) sts:SetSourceIdentity, and the
 * request context holds aws:SourceArn (the trust anchor), aws:SourceAccount and the
 * certificate's attributes as aws:PrincipalTag/x509Subject/..., x509Issuer/... and x509SAN/...
 * An explicit Deny wins; every action needs an Allow whose conditions all hold.
 */

export const ROLES_ANYWHERE_PRINCIPAL = 'rolesanywhere.amazonaws.com';

export interface TrustRequest {
  readonly roleArn: string;
  readonly actions: readonly string[];
  /** Condition keys (any case) and their values. */
  readonly context: Readonly<Record<string, string>>;
}

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Condition?: unknown;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function principalMatches(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const p = principal as Record<string, unknown>;
  return list(p.Service).includes(ROLES_ANYWHERE_PRINCIPAL) || list(p.AWS).includes('*');
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((a) => typeof a === 'string' && glob(a, action, true));
  return list(statement.Action).some((a) => typeof a === 'string' && glob(a, action, true));
}

/** Why the condition block fails, or undefined when every condition holds. */
function failingCondition(condition: unknown, context: Readonly<Record<string, string>>): string | undefined {
  if (condition === undefined) return undefined;
  if (typeof condition !== 'object' || condition === null) return 'a Condition that is not an object';
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operatorName, entries] of Object.entries(condition as Record<string, unknown>)) {
    const operator = operatorName.replace(/^(ForAnyValue|ForAllValues):/, '');
    const ifExists = operator.endsWith('IfExists');
    const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
    for (const [key, expected] of Object.entries((entries ?? {}) as Record<string, unknown>)) {
      const values = list(expected).map(String);
      const actual = lowerContext.get(key.toLowerCase());
      const holds = evaluate(base, actual, values, ifExists);
      if (holds === undefined) return `condition operator ${operatorName}, which this stand-in does not evaluate`;
      if (!holds) {
        return actual === undefined
          ? `${operatorName} on ${key} requires a value the request does not have`
          : `${operatorName} ${key} ${JSON.stringify(values.length === 1 ? values[0] : values)} does not hold for '${actual}'`;
      }
    }
  }
  return undefined;
}

function evaluate(operator: string, actual: string | undefined, values: string[], ifExists: boolean): boolean | undefined {
  if (operator === 'Null') return values.some((v) => (v === 'true') === (actual === undefined));
  const negated = /Not/.test(operator);
  if (actual === undefined) return ifExists || negated;
  const positive = operator.replace('Not', '');
  const test = (v: string): boolean | undefined => {
    switch (positive) {
      case 'StringEquals':
        return v === actual;
      case 'StringEqualsIgnoreCase':
        return v.toLowerCase() === actual.toLowerCase();
      // IAM's ArnEquals takes wildcards as ArnLike does.
      case 'StringLike':
      case 'ArnEquals':
      case 'ArnLike':
        return glob(v, actual, false);
      case 'Bool':
        return v.toLowerCase() === actual.toLowerCase();
      default:
        return undefined;
    }
  };
  const results = values.map(test);
  if (results.some((r) => r === undefined)) return undefined;
  const any = results.some(Boolean);
  return negated ? !any : any;
}

/**
 * Undefined when the trust policy lets Roles Anywhere assume the role for this request; else
 * the message AWS answers CreateSession with, plus what did not hold.
 */
export function trustPolicyRefusal(policy: unknown, request: TrustRequest): string | undefined {
  const statements = list((policy as { Statement?: unknown } | undefined)?.Statement) as Statement[];
  const refuse = (detail: string) => `Unable to assume role for ${request.roleArn}: the role's trust policy ${detail}`;
  for (const action of request.actions) {
    const applicable = statements.filter((s) =>
      (s.NotPrincipal !== undefined ? !principalMatches(s.NotPrincipal) : principalMatches(s.Principal)) && actionMatches(s, action));
    const denied = applicable.find((s) => s.Effect === 'Deny' && failingCondition(s.Condition, request.context) === undefined);
    if (denied) return refuse(`denies ${ROLES_ANYWHERE_PRINCIPAL} ${action}`);
    const allows = applicable.filter((s) => s.Effect === 'Allow');
    if (allows.length === 0) return refuse(`does not allow ${ROLES_ANYWHERE_PRINCIPAL} to perform ${action}`);
    const failures = allows.map((s) => failingCondition(s.Condition, request.context));
    if (!failures.some((f) => f === undefined)) return refuse(`allows ${action} only under conditions this request does not meet: ${failures.join('; ')}`);
  }
  return undefined;
}
