import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { REGION, STATIC_CONTRACT } from './support/contracts';
import { putParameters, recordingSsm, TEST_CREDENTIALS } from './support/moto-ssm';
import { BootstrapEnvironment, secretReference } from '../../../src/contract';
import { startMoto, MotoServer } from '../../../src/local/moto';
import { bootstrap, ConstantsError, credentialsFromConstants, loadConstants, resolveSecretReference } from '../../../src/runtime';

const SECRET_ACCESS_KEY = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2Fy';
const PATH = '/eventbridge-connector/static-orders';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  await secrets.send(new CreateSecretCommand({ Name: 'orders/secret-key', SecretString: SECRET_ACCESS_KEY }));
  secrets.destroy();
  const ssm = new SSMClient({ endpoint: moto.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  await putParameters(ssm, PATH, STATIC_CONTRACT);
  ssm.destroy();
});

afterAll(async () => {
  await moto?.stop();
});

describe('the SecretKey reference, resolved through SSM', () => {
  test('by secret name: one GetParameter with decryption on the reference name', async () => {
    const { client, requests } = recordingSsm(moto.endpoint);
    await expect(resolveSecretReference(secretReference('orders/secret-key'), { ssm: client })).resolves.toBe(SECRET_ACCESS_KEY);
    expect(requests.map((r) => [r.command, r.input])).toEqual([
      ['GetParameterCommand', { Name: '/aws/reference/secretsmanager/orders/secret-key', WithDecryption: true }],
    ]);
    client.destroy();
  });

  test('with a client made from region, credentials and endpoint', async () => {
    const value = await resolveSecretReference(secretReference('orders/secret-key'), { region: REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
    expect(value).toBe(SECRET_ACCESS_KEY);
  });

  test('a secret that does not exist is named with the constant that refers to it', async () => {
    const { client } = recordingSsm(moto.endpoint);
    const error = await resolveSecretReference(secretReference('orders/gone'), { ssm: client, key: 'ApiKeySecret' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).key).toBe('ApiKeySecret');
    expect((error as Error).message).toBe(
      "secret 'orders/gone' referenced by ApiKeySecret '/aws/reference/secretsmanager/orders/gone' was not found: expected an existing Secrets Manager secret");
    client.destroy();
  });

  test('a value that is not a reference is refused before any request, without repeating it', async () => {
    const { client, requests } = recordingSsm(moto.endpoint);
    const error = await resolveSecretReference(SECRET_ACCESS_KEY, { ssm: client }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("invalid SecretKey '<redacted, 40 characters>': expected /aws/reference/secretsmanager/<secret name or ARN>");
    expect(requests).toHaveLength(0);
    client.destroy();
  });
});

describe('static credentials from the loaded constants', () => {
  test('are the AccessKey and the referenced secret, resolved once however often they are asked for', async () => {
    const { client, requests } = recordingSsm(moto.endpoint);
    const constants = await loadConstants({ path: PATH, ssm: client });
    const provider = credentialsFromConstants(constants, { ssm: client });
    const [first, second] = await Promise.all([provider(), provider()]);
    const third = await provider();

    expect(first).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET_ACCESS_KEY });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(requests.filter((r) => r.command === 'GetParameterCommand')).toHaveLength(1);
    client.destroy();
  });

  test('a failed resolution is tried again on the next call', async () => {
    const constants = await loadConstants({ path: PATH, ssm: recordingSsm(moto.endpoint).client });
    const broken = { send: jest.fn().mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })) };
    const { client } = recordingSsm(moto.endpoint);
    broken.send.mockImplementation((command: object) => client.send(command as never));

    const provider = credentialsFromConstants(constants, { ssm: broken });
    await expect(provider()).rejects.toThrow("resolving SecretKey '/aws/reference/secretsmanager/orders/secret-key' failed: ThrottlingException: Rate exceeded");
    await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET_ACCESS_KEY });
    expect(broken.send).toHaveBeenCalledTimes(2);
    client.destroy();
  });
});

describe('bootstrap inside AWS (no bootstrap values)', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // The SDK's default credential chain reads these first.
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_PROFILE;
  });
  afterAll(() => {
    process.env = saved;
  });

  test('reads the contract with the default credential chain and returns the credentials it calls for', async () => {
    const env = { [BootstrapEnvironment.PARAMETER_PATH]: PATH, [BootstrapEnvironment.REGION]: REGION };
    const { constants, credentials } = await bootstrap({ env, endpoints: { ssm: moto.endpoint } });

    expect(constants.parameterPath).toBe(PATH);
    expect(constants.static?.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    await expect(credentials()).resolves.toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET_ACCESS_KEY });
  });
});
