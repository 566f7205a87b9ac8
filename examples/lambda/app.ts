// `node build-tools/run-ts.mjs examples/lambda/app.ts` (or `npx cdk synth --app ...` with it):
// synthesizes the Lambda example into cdk.out, bundling the function with the esbuild in
// node_modules. Needs the package's bundles (`npx projen bundle`): the function imports the
// package by name, which resolves to them through the package's exports map.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { LambdaSenderStack } from './stack';

const app = new App();
new LambdaSenderStack(app, 'OrdersLambdaSender', {
  caCertificates: readFileSync(join('examples', 'reference', 'example-ca.pem'), 'utf8'),
});
app.synth();
