/**
 * cdk-nag's AwsSolutions pack over a construct tree, as the tests read it. cdk-nag v3 is a policy
 * validation plugin; `validateScope` runs the pack on a scope and honours
 * `Validations.of(...).acknowledge`, so what it returns is what a user's synth would report.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The unacknowledged findings under `scope`: rule and the construct paths it names. */
export function findings(scope: IConstruct) {
  return new AwsSolutionsChecks().validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    resources: v.violatingResources.map((r) => r.constructPath),
  }));
}
