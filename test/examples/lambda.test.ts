/**
 * examples/lambda as a user deploys it: the stack synthesized with its NodejsFunction bundled on
 * this machine by the esbuild in node_modules (no Docker), the template linted by cfn-lint
 * (test/support/cfn-lint-templates.ts), the function's role checked to allow PutEvents on the
 * connector's bus and nothing more, and then the bundled handler as it lies in cdk.out run in a
 * new node process, as Lambda's Node runtime imports it, with the function's environment from
 * the template and the credentials Lambda would add, against the loopback PutEvents endpoint.
 * The handler imports `cdk-eventbridge-connector/runtime/lambda` by name: the bundle is the
 * package's shipped ES module build, found through its exports map (the bundles must be built,
 * as for the package tests).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaSenderStack } from '../../examples/lambda/stack';
import { FunctionEnvironment } from '../../src/contract/function-environment';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ensureBundles } from '../support/bundles';

jest.setTimeout(120_000);

const execFileAsync = promisify(execFile);

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

type Resource = { Type: string; Properties: Record<string, any> };

let outdir: string;
let template: Template;
let resources: Record<string, Resource>;
let functionId: string;
let busId: string;

beforeAll(() => {
  ensureBundles();
  outdir = mkdtempSync(join(tmpdir(), 'lambda-example-'));
  const app = new App({ outdir });
  const stack = new LambdaSenderStack(app, 'OrdersLambdaSender', { caCertificates: EXAMPLE_CA, env: { account: ACCOUNT, region: REGION } });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  functionId = stack.getLogicalId(stack.sender.node.defaultChild as any);
  busId = stack.getLogicalId(stack.connector.eventBus.node.defaultChild as any);
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The folder in cdk.out that the function's code was zipped from. */
function assetDir(): string {
  const key: string = resources[functionId].Properties.Code.S3Key;
  const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  if (!existsSync(dir)) throw new Error(`no asset folder ${dir} for S3Key ${key}`);
  return dir;
}

/** A value of the template as CloudFormation resolves it here: text, or the ARN of the connector's bus. */
function resolveValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt && getAtt[0] === busId && getAtt[1] === 'Arn') {
    return `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${resources[busId].Properties.Name}`;
  }
  throw new Error(`the example's environment holds a value this test cannot resolve: ${JSON.stringify(value)}`);
}

test('the function is an ES module bundle made on this machine, without the AWS SDK', () => {
  const fn = resources[functionId].Properties;
  expect(fn.Runtime).toMatch(/^nodejs\d+\.x$/);
  expect(fn.Handler).toBe('index.handler');
  const bundle = join(assetDir(), 'index.mjs');
  const source = readFileSync(bundle, 'utf8');
  // The SDK's EventBridge client, its middleware stack and its credential chain are not in it.
  expect(source).not.toMatch(/PutEventsCommand|EventBridgeClient|@aws-sdk|fromNodeProviderChain/);
  expect(statSync(bundle).size).toBeLessThan(100 * 1024);
});

test('the function is told the connector\'s bus by ARN, in the variable the Lambda entry reads', () => {
  const variables = resources[functionId].Properties.Environment.Variables;
  expect(variables).toEqual({ [FunctionEnvironment.EVENT_BUS_NAME]: { 'Fn::GetAtt': [busId, 'Arn'] } });
});

test('the function\'s role may put events on the connector\'s bus and nothing else', () => {
  const roleId: string = resources[functionId].Properties.Role['Fn::GetAtt'][0];
  const role = resources[roleId].Properties;
  // Lambda's own: writing its logs.
  expect(role.ManagedPolicyArns).toEqual([
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] },
  ]);
  const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`));
  expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
    [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }],
  ]);
});

describe('the bundled handler from cdk.out, in a new process with the function\'s environment', () => {
  let endpoint: EventBridgeEndpoint;
  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterAll(async () => endpoint?.stop());

  test('sends its event to the connector\'s bus and returns the EventId', async () => {
    const fn = resources[functionId].Properties;
    const [file, exported] = String(fn.Handler).split('.');
    const variables = Object.entries(fn.Environment.Variables as Record<string, unknown>);
    const functionEnvironment = Object.fromEntries(variables.map(([name, value]) => [name, resolveValue(value)]));
    const env = {
      PATH: process.env.PATH,
      HOME: outdir,
      ...functionEnvironment,
      // What Lambda adds: the function's region and its execution role's credentials.
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'session-token-of-the-execution-role',
      // Where this test has the service.
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.endpoint,
    };
    const handlerUrl = pathToFileURL(join(assetDir(), `${file}.mjs`)).href;
    const invoke = `const m = await import(${JSON.stringify(handlerUrl)}); const out = await m[${JSON.stringify(exported)}]({ orderId: 'o-1' }); process.stdout.write(JSON.stringify(out)); process.exit(0);`;
    // Not spawnSync: the endpoint answers from this process's event loop.
    const run = await execFileAsync(process.execPath, ['--input-type=module', '-e', invoke], { cwd: outdir, env, encoding: 'utf8', timeout: 60_000 });
    const { eventId } = JSON.parse(run.stdout) as { eventId: string };
    expect(endpoint.requests).toBe(1);
    expect(endpoint.accepted.get(eventId)).toEqual(expect.objectContaining({
      source: 'com.example.orders',
      detailType: 'OrderPlaced',
      detail: JSON.stringify({ orderId: 'o-1' }),
      eventBusName: functionEnvironment[FunctionEnvironment.EVENT_BUS_NAME],
    }));
  });
});
