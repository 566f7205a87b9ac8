// The App of every integ test: the feature flags a new CDK project gets (what integ-runner
// synthesizes with), and no path, asset or version metadata, so that the snapshot is the same
// whoever synthesizes the app: test/integ/snapshots.test.ts, `cdk deploy` or integ-runner.
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

export function integApp(): App {
  return new App({
    context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS },
    // After the CLI's context: `cdk deploy` turns path and asset metadata on by default.
    postCliContext: {
      [cxapi.PATH_METADATA_ENABLE_CONTEXT]: false,
      [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: false,
      [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: false,
    },
  });
}
