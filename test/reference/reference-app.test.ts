import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { REFERENCE_PARAMETER_PATH, REFERENCE_RECEIVE_ENDPOINT, ReferenceConnectorStack, ReferenceConsumerStack } from '../../examples/reference/stacks';
import { COMMON_KEYS, ParameterKeys, QUEUE_KEYS, RECEIVING_KEYS, SESSION_KEYS } from '../../src/contract';
import { EXAMPLE_CA, opensslFingerprint } from '../connector/fixtures';
import { createTestPki } from '../rolesanywhere/test-pki';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

function referenceApp() {
  const app = new App();
  const connector = new ReferenceConnectorStack(app, 'OrdersConnector', { caCertificates: EXAMPLE_CA });
  const consumer = new ReferenceConsumerStack(app, 'OrdersConsumer', { parameterPath: REFERENCE_PARAMETER_PATH });
  return { app, connector, consumer };
}

describe('the reference app', () => {
  const { app, connector, consumer } = referenceApp();
  const connectorTemplate = Template.fromStack(connector);
  const consumerTemplate = Template.fromStack(consumer);

  test('synthesizes the connector stack as recorded', () => {
    expect(connectorTemplate.toJSON()).toMatchSnapshot();
  });

  test('synthesizes the consumer stack as recorded', () => {
    expect(consumerTemplate.toJSON()).toMatchSnapshot();
  });

  test('has a trust anchor, a profile, the role, the bus, a receiving path and one parameter per contract key', () => {
    connectorTemplate.resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 1);
    connectorTemplate.resourceCountIs('AWS::RolesAnywhere::Profile', 1);
    const assumedBy = (service: string) => Object.values(connectorTemplate.findResources('AWS::IAM::Role'))
      .filter((r: any) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes(service));
    expect(assumedBy('rolesanywhere.amazonaws.com')).toHaveLength(1);
    expect(assumedBy('events.amazonaws.com')).toHaveLength(1);
    connectorTemplate.resourceCountIs('AWS::Events::EventBus', 1);
    connectorTemplate.resourceCountIs('AWS::Events::Connection', 1);
    connectorTemplate.resourceCountIs('AWS::Events::ApiDestination', 1);
    connectorTemplate.hasResourceProperties('AWS::Events::ApiDestination', { InvocationEndpoint: REFERENCE_RECEIVE_ENDPOINT });
    const names = Object.values(connectorTemplate.findResources('AWS::SSM::Parameter')).map((r: any) => r.Properties.Name);
    expect(names.sort()).toEqual([...COMMON_KEYS, ...SESSION_KEYS, ...RECEIVING_KEYS, ...QUEUE_KEYS].map((key) => `${REFERENCE_PARAMETER_PATH}/${key}`).sort());
  });

  test('the consumer imports the connector by path and lets its application role read the contract', () => {
    consumerTemplate.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: consumer.getLogicalId(consumer.applicationRole.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'ssm:GetParametersByPath', Resource: { 'Fn::Join': ['', Match.arrayWith([`:parameter${REFERENCE_PARAMETER_PATH}`])] } }),
          Match.objectLike({ Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith([`:parameter${REFERENCE_PARAMETER_PATH}/${ParameterKeys.EVENT_BUS_ARN}`])] }]) }),
        ],
      },
    });
    consumerTemplate.hasParameter('*', { Type: 'AWS::SSM::Parameter::Value<String>', Default: `${REFERENCE_PARAMETER_PATH}/${ParameterKeys.EVENT_BUS_ARN}` });
  });

  test('the consumer rule listens on the bus the connector writes into its contract', () => {
    const deployedConnector = new DeployedTemplates([connectorTemplate.toJSON()]);
    const [busArnParameter] = Object.keys(connectorTemplate.findResources('AWS::SSM::Parameter', {
      Properties: { Name: `${REFERENCE_PARAMETER_PATH}/${ParameterKeys.EVENT_BUS_ARN}` },
    }));
    const busArn = deployedConnector.propertiesOf(busArnParameter).Value;
    const [busId] = Object.keys(connectorTemplate.findResources('AWS::Events::EventBus'));

    const deployedConsumer = new DeployedTemplates([consumerTemplate.toJSON()], { [`${REFERENCE_PARAMETER_PATH}/${ParameterKeys.EVENT_BUS_ARN}`]: busArn });
    const [ruleId] = Object.keys(consumerTemplate.findResources('AWS::Events::Rule'));
    expect(deployedConsumer.propertiesOf(ruleId).EventBusName).toBe(deployedConnector.propertiesOf(busId).Name);
  });

  test.each([
    ['ssm:GetParametersByPath', `parameter${REFERENCE_PARAMETER_PATH}`, 'Allowed'],
    ['ssm:GetParameter', `parameter${REFERENCE_PARAMETER_PATH}/${ParameterKeys.ROLE_ARN}`, 'Allowed'],
    ['ssm:GetParametersByPath', 'parameter/eventbridge-connector/billing', 'ImplicitlyDenied'],
    ['ssm:GetParameter', `parameter/eventbridge-connector/billing/${ParameterKeys.ROLE_ARN}`, 'ImplicitlyDenied'],
  ])('the application role: %s on %s is %s', async (action, resource, decision) => {
    const deployed = new DeployedTemplates([consumerTemplate.toJSON()]);
    const role = consumer.getLogicalId(consumer.applicationRole.node.defaultChild as any);
    expect(await deployed.decide(role, action, `arn:aws:ssm:${REGION}:${ACCOUNT}:${resource}`)).toBe(decision);
  });

  describe('cdk-nag AwsSolutionsChecks', () => {
    test('runs as a validation plugin at synth and passes', () => {
      const checked = referenceApp();
      Validations.of(checked.app).addPlugins(new AwsSolutionsChecks(checked.app));
      expect(() => checked.app.synth()).not.toThrow();
    });

    test('fails synth on a finding nobody acknowledged', () => {
      const checked = referenceApp();
      new sqs.Queue(checked.consumer, 'UncheckedQueue');
      Validations.of(checked.app).addPlugins(new AwsSolutionsChecks(checked.app));
      expect(() => checked.app.synth()).toThrow(/OrdersConsumer\/UncheckedQueue\/Resource[\s\S]*AwsSolutions-SQS4/);
    });

    test('finds nothing unacknowledged', () => {
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    });

    test('every acknowledgment answers a finding on its construct, with a reason', () => {
      const findings = new Set(
        new SeeThroughAcknowledgments().validateScope(app).violations.flatMap((v) =>
          v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`)),
      );
      const acknowledgments = acknowledgmentsIn(app);
      expect(acknowledgments.length).toBeGreaterThan(0);
      for (const { path, id, reason } of acknowledgments) {
        expect(reason.length).toBeGreaterThan(40);
        expect([...findings].some((f) => f.startsWith(`${path}/`) && f.endsWith(` ${id}`))).toBe(true);
      }
      expect(findings.size).toBe(acknowledgments.length);
    });
  });
});

/** AwsSolutionsChecks that ignores acknowledgments, to list every finding. */
class SeeThroughAcknowledgments extends AwsSolutionsChecks {
  constructor() {
    super();
    (this as any).isAcknowledged = () => false;
  }
}

/** Acknowledgments recorded in the tree (each acknowledge() call re-records the earlier ones). */
function acknowledgmentsIn(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  const found = new Map<string, { path: string; id: string; reason: string }>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualified.replace(/^annotation::/i, '');
        found.set(`${construct.node.path} ${id}`, { path: construct.node.path, id, reason });
      }
    }
  }
  return [...found.values()];
}

describe('npx cdk synth of examples/reference/app.ts', () => {
  function synth(context: Record<string, string> = {}) {
    const outdir = mkdtempSync(join(tmpdir(), 'reference-app-'));
    try {
      execFileSync(process.execPath, ['build-tools/run-ts.mjs', 'examples/reference/app.ts'], {
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
        stdio: 'pipe',
      });
      const read = (stack: string) => JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));
      return { connector: read('OrdersConnector'), consumer: read('OrdersConsumer'), globalPrimary: read('OrdersGlobalPrimary'), globalSecondary: read('OrdersGlobalSecondary') };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  const trustAnchorData = (template: any) =>
    (Object.values(template.Resources).find((r: any) => r.Type === 'AWS::RolesAnywhere::TrustAnchor') as any).Properties.Source.SourceData.X509CertificateData;

  test('trusts the CA the repository ships by default, with no account', () => {
    const { connector, consumer, globalPrimary, globalSecondary } = synth();
    expect(trustAnchorData(connector)).toBe(EXAMPLE_CA);
    expect(Object.values(consumer.Resources).some((r: any) => r.Type === 'AWS::Events::Rule')).toBe(true);
    // The multi-region connector's two stacks, trusting the same CA in both regions.
    expect(Object.values(globalPrimary.Resources).some((r: any) => r.Type === 'AWS::Events::Endpoint')).toBe(true);
    expect([trustAnchorData(globalPrimary), trustAnchorData(globalSecondary)]).toEqual([EXAMPLE_CA, EXAMPLE_CA]);
  });

  test('takes another CA and a client certificate from the context', () => {
    // The pinned certificate must be an end-entity certificate the CA issued (checked at synth).
    const pki = createTestPki();
    const dir = pki.dir;
    try {
      const leaf = join(dir, 'leaf.pem');
      const { connector } = synth({ caCertificate: pki.caFile, clientCertificate: leaf });
      expect(trustAnchorData(connector)).toBe(readFileSync(pki.caFile, 'utf8'));
      const certificateId = Object.values(connector.Resources).find((r: any) =>
        r.Type === 'AWS::SSM::Parameter' && r.Properties.Name === `${REFERENCE_PARAMETER_PATH}/${ParameterKeys.CLIENT_CERTIFICATE_ID}`) as any;
      expect(certificateId.Properties.Value).toBe(opensslFingerprint(leaf));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
