// A bootstrap value as a stack output, named and exported alike for the connector and the
// secondary region's connector.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * An output `<name>Output` under `connector` whose logical id and export name
 * (`<stack name>-<connector id><name>`) are derived from the connector's id alone.
 */
export function bootstrapOutput(connector: Construct, name: string, value: string, description: string): CfnOutput {
  const base = `${connector.node.id.replace(/[^A-Za-z0-9]/g, '')}${name}`;
  const output = new CfnOutput(connector, `${name}Output`, {
    value,
    description: `${description} (EventBridge connector ${connector.node.path})`,
    exportName: `${Stack.of(connector).stackName}-${base}`,
  });
  output.overrideLogicalId(base);
  return output;
}
