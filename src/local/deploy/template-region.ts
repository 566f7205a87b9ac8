// The region a template was synthesized for, read from the contract it writes, checked against
// the region deployLocally was given: a stack with env.region bakes that region into its ARNs and
// its contract, so deployed into another region it would work there under the wrong names.
import { evaluate, isObject, Json, JsonObject } from './intrinsics';
import { ParameterKeys, quote } from '../../contract';

/** A value that refers to pseudo parameters only, evaluated; undefined when it refers to a resource. */
function literal(value: Json | undefined, pseudo: Record<string, string>): Json | undefined {
  if (value === undefined) return undefined;
  try {
    return evaluate(value, { ref: () => undefined, getAtt: () => undefined }, pseudo);
  } catch {
    return undefined;
  }
}

/**
 * Throws when a connector contract's `Region` parameter in the template names another region than
 * `region` (a secondary region's template given the primary's region, or the other way round).
 * Parameters written with `AWS::Region` (environment-agnostic stacks) evaluate to `region` and pass.
 */
export function checkTemplateRegion(template: JsonObject, region: string, pseudo: Record<string, string>): void {
  const resources = isObject(template.Resources) ? template.Resources : {};
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::SSM::Parameter' || !isObject(resource.Properties)) continue;
    const name = literal(resource.Properties.Name, pseudo);
    if (typeof name !== 'string' || !name.endsWith(`/${ParameterKeys.REGION}`)) continue;
    const value = literal(resource.Properties.Value, pseudo);
    if (typeof value === 'string' && value !== region) {
      throw new Error(`invalid region ${quote(region)} for this template: its contract parameter ${quote(name)} (${id}) says ${quote(value)}, ` +
        `expected region ${quote(value)} (the stack was synthesized with env.region ${value}: deploy it there)`);
    }
  }
}
