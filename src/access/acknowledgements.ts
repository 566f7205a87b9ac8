import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Why each scoped wildcard of the connector's statements is needed, by the statement's first
 * action. A reviewer can check each against the template: the wildcard follows the connector's
 * own prefix, or the action has no resource type.
 */
const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  'events:CreateConnection':
    'connections are created by the runtime at startup (registerApp), so their names are known only by the connector\'s own resource name prefix, which no other connector of the app shares or extends',
  'events:CreateApiDestination':
    'API destinations are created by the runtime at startup (registerApp), so their names are known only by the connector\'s own resource name prefix, which no other connector of the app shares or extends',
  'secretsmanager:CreateSecret':
    'EventBridge names a connection\'s secret events!connection/<connection name>/<uuid>; the pattern admits only the secrets of connections with the connector\'s own prefix',
  'events:ListEventBuses':
    'events:ListEventBuses has no resource type in the Service Authorization Reference, so IAM accepts only *; it lists bus names and ARNs, nothing inside them',
};

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 (wildcard permissions) for each scoped wildcard of
 * `statements` on `scope`, the principal the library created them for, with the reason above.
 * Uses aws-cdk-lib's own `Validations.acknowledge`, which cdk-nag v3 reads, so the library
 * needs no cdk-nag at run time. The finding id quotes the resource as cdk-nag flattens it.
 */
export function acknowledgeScopedWildcards(scope: IConstruct, statements: iam.PolicyStatement[]): void {
  const done = new Set<string>();
  for (const statement of statements) {
    const reason = WILDCARD_REASONS[statement.actions[0]];
    if (reason === undefined) continue;
    for (const resource of statement.resources) {
      const flat = flattenForNag(Stack.of(scope).resolve(resource));
      if (!flat.includes('*') || done.has(flat)) continue;
      done.add(flat);
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/** A resolved CloudFormation value as cdk-nag prints it: `Ref` as `<Id>`, joins joined. */
export function flattenForNag(value: unknown): string {
  if (typeof value === 'string') return Token.isUnresolved(value) ? value : value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flattenForNag).join(v['Fn::Join'][0]);
    if (v.Ref !== undefined) return `<${flattenForNag(v.Ref)}>`;
    if (v['Fn::GetAtt']) return `<${flattenForNag(v['Fn::GetAtt'][0])}.${flattenForNag(v['Fn::GetAtt'][1])}>`;
    if (v['Fn::Sub'] !== undefined) return flattenForNag(v['Fn::Sub']);
    if (v['Fn::ImportValue'] !== undefined) return flattenForNag(v['Fn::ImportValue']);
  }
  return JSON.stringify(value);
}
