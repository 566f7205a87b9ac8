// fromParameters where no region is set anywhere: the SDK's own error says only "Region is
// missing". The message must name every place the region is read from, for the path the
// call takes (the bootstrap values, or the credentials given), and what the SDK reads itself;
// and a region the SDK finds (AWS_REGION, a profile in the shared config file) must be used.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapEnvironment as E } from '../../src/contract';
import { ConnectorClient, ConstantsError, InputError } from '../../src/runtime';

const PATH = '/eventbridge-connector/orders';
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
// Nothing listens there: a request sent would fail with a connection error, not a region error.
const NOWHERE = 'http://127.0.0.1:9';
const SDK_CHAIN = 'AWS_REGION, region in the profile (AWS_PROFILE, else default) of ~/.aws/config or ~/.aws/credentials, or the EC2 instance metadata (unless AWS_EC2_METADATA_DISABLED)';

const SDK_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];
let saved: Record<string, string | undefined>;
let dir: string;
beforeEach(() => {
  saved = Object.fromEntries(SDK_VARIABLES.map((name) => [name, process.env[name]]));
  dir = mkdtempSync(join(tmpdir(), 'region-missing-'));
  for (const name of SDK_VARIABLES) delete process.env[name];
  // No region in the environment, no shared files, no instance metadata.
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

const failure = (run: Promise<unknown>) => run.then(() => undefined, (e: unknown) => e as Error);

describe('fromParameters with no region anywhere', () => {
  test('inside AWS (only the path): the message names the option, EVENTBRIDGE_CONNECTOR_REGION and the SDK\'s chain', async () => {
    const error = await failure(ConnectorClient.fromParameters({ path: PATH, env: {}, endpoint: NOWHERE }));
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).key).toBe(E.REGION);
    expect(error!.message).toBe(
      `missing region: expected the region of the connector parameters, such as eu-west-1, set in the region option or ${E.REGION}, or where the AWS SDK looks for it: ${SDK_CHAIN}`);
  });

  test('with credentials given: only the region option is read before the SDK\'s chain, and the message says so', async () => {
    const error = await failure(ConnectorClient.fromParameters({ path: PATH, credentials: CREDENTIALS, endpoint: NOWHERE }));
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).key).toBe('region');
    expect(error!.message).toBe(
      `missing region: expected the region of the connector parameters, such as eu-west-1, set in the region option, or where the AWS SDK looks for it: ${SDK_CHAIN}`);
  });

  test.each([
    ['AWS_REGION', () => {
      process.env.AWS_REGION = 'eu-west-1';
    }],
    ['a profile of the shared config file', () => {
      writeFileSync(process.env.AWS_CONFIG_FILE!, '[profile orders]\nregion = eu-west-1\n');
      process.env.AWS_PROFILE = 'orders';
    }],
  ])('a region the SDK finds in %s is used: the request goes out (and fails to connect)', async (_where, set) => {
    set();
    const error = await failure(ConnectorClient.fromParameters({ path: PATH, credentials: CREDENTIALS, endpoint: NOWHERE }));
    expect(error).toBeDefined();
    expect(error!.message).not.toMatch(/region/i);
    expect(error!.message).toMatch(/^reading the connector constants at \/eventbridge-connector\/orders failed: /);
  });

  test('a region that is no region, from the SDK\'s chain, is named as such', async () => {
    process.env.AWS_REGION = 'not a region!';
    const error = await failure(ConnectorClient.fromParameters({ path: PATH, credentials: CREDENTIALS, endpoint: NOWHERE }));
    expect(error).toBeInstanceOf(ConstantsError);
    expect(error!.message).toMatch(/^invalid region from the AWS SDK's chain \(AWS_REGION, .*\): .*: expected the region of the connector parameters, such as eu-west-1$/);
  });
});

describe('fromParameters with no parameter path', () => {
  test('with credentials given: the message names the path option, and why the bootstrap variable is not read', async () => {
    const error = await failure(ConnectorClient.fromParameters({ region: 'eu-west-1', credentials: CREDENTIALS }));
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toBe('missing path: expected the connector parameter path, such as /eventbridge-connector/orders, in the path option ' +
      `(${E.PARAMETER_PATH} and the bootstrap file are read only when neither credentials nor clients.ssm is given)`);
  });

  test('without: the option, the variable and the bootstrap file are named', async () => {
    const error = await failure(ConnectorClient.fromParameters({ env: {} }));
    expect(error).toBeInstanceOf(ConstantsError);
    expect(error!.message).toBe(`missing ${E.PARAMETER_PATH}: expected the connector parameter path, such as /eventbridge-connector/orders ` +
      `(or the path option or parameterPath in the bootstrap file named by ${E.BOOTSTRAP_FILE})`);
  });
});
