// The reference app `npx cdk synth` builds in the repository root, with no AWS account: a
// session-mode connector whose trust anchor trusts the CA shipped beside this file, a second
// stack that uses the connector by its parameter path, and a multi-region connector over two
// stacks (us-east-1 with a global endpoint, us-west-2) trusting the same CA.
//
//   npx cdk synth                                         # the shipped example CA
//   npx cdk synth -c caCertificate=my-ca.pem              # your own CA (PEM file)
//   npx cdk synth -c clientCertificate=my-client.pem      # pin the client certificate
//   npx cdk synth -c receiveEndpoint=https://app/events   # where the app receives events
//   npx cdk deploy OrdersConnector OrdersConsumer         # the single-region stacks only
//   npx cdk deploy OrdersGlobalSecondary OrdersGlobalPrimary  # the multi-region connector (secondary first)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REFERENCE_PARAMETER_PATH, ReferenceConnectorStack, ReferenceConsumerStack } from './stacks';
import { addTwoRegionStacks } from './two-region-stacks';

// Paths are relative to the working directory: this file runs bundled from a cache directory.
const EXAMPLE_CA = join('examples', 'reference', 'example-ca.pem');

const app = new App();
// AWS Solutions security checks run at every synth; each finding we accept is acknowledged with
// its reason where the resource is made.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const caCertificates = readPem(app.node.tryGetContext('caCertificate') ?? EXAMPLE_CA, 'caCertificate');
const clientCertificatePath: string | undefined = app.node.tryGetContext('clientCertificate');
const clientCertificate = clientCertificatePath === undefined ? undefined : readPem(clientCertificatePath, 'clientCertificate');

const receiveEndpoint: string | undefined = app.node.tryGetContext('receiveEndpoint');
const connector = new ReferenceConnectorStack(app, 'OrdersConnector', { caCertificates, clientCertificate, receiveEndpoint });
const consumer = new ReferenceConsumerStack(app, 'OrdersConsumer', { parameterPath: REFERENCE_PARAMETER_PATH });
// The consumer reads the contract's parameters at deploy time, so they must exist first.
consumer.addStackDependency(connector);
// OrdersGlobalSecondary and OrdersGlobalPrimary, deployed in that order (docs/multi-region.md).
addTwoRegionStacks(app, { caCertificates, clientCertificate, account: process.env.CDK_DEFAULT_ACCOUNT });

app.synth();

function readPem(path: string, contextKey: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the PEM file '${path}' given as context ${contextKey}: ${(e as Error).message}`);
  }
}
