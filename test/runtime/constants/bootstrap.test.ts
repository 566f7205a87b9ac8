/** The bootstrap values are checked before any request: every message names the variable or file key and the value. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILE_ARN, REGION, ROLE_ARN, SESSION_CONTRACT, TRUST_ANCHOR_ARN } from './support/contracts';
import { BootstrapEnvironment as E } from '../../../src/contract';
import { bootstrap, ConstantsError, credentialsFromConstants, parseConstants } from '../../../src/runtime';

const GOOD_ENV = {
  [E.REGION]: REGION,
  [E.TRUST_ANCHOR_ARN]: TRUST_ANCHOR_ARN,
  [E.PROFILE_ARN]: PROFILE_ARN,
  [E.ROLE_ARN]: ROLE_ARN,
  [E.PARAMETER_PATH]: '/eventbridge-connector/orders',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(run: Promise<unknown>): Promise<ConstantsError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConstantsError);
  return error as ConstantsError;
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('bootstrap values from environment variables', () => {
  test.each([
    ['a region name', E.REGION, 'Ireland', 'expected a region code such as eu-west-1'],
    ['a profile ARN as trust anchor', E.TRUST_ANCHOR_ARN, PROFILE_ARN, 'expected a Roles Anywhere trust anchor ARN'],
    ['a bare profile id', E.PROFILE_ARN, '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b', 'expected a Roles Anywhere profile ARN'],
    ['a user ARN as role', E.ROLE_ARN, 'arn:aws:iam::123456789012:user/bob', 'expected an IAM role ARN'],
    ['a path with a trailing slash', E.PARAMETER_PATH, '/eventbridge-connector/orders/', 'expected a path such as /eventbridge-connector/orders'],
    ['a reserved path', E.PARAMETER_PATH, '/aws/orders', "paths may not begin with 'aws' or 'ssm'"],
  ])('%s in %s', async (_what, variable, value, expected) => {
    const error = await failure(bootstrap({ env: { ...GOOD_ENV, [variable]: value } }));
    expect(error.key).toBe(variable);
    expect(error.message).toContain(`invalid ${variable} '${value}': `);
    expect(error.message).toContain(expected);
  });

  test('trust anchor and profile in different regions', async () => {
    const profile = PROFILE_ARN.replace(':us-east-1:', ':eu-west-1:');
    const error = await failure(bootstrap({ env: { ...GOOD_ENV, [E.PROFILE_ARN]: profile } }));
    expect(error.message).toBe(
      `trust anchor '${TRUST_ANCHOR_ARN}' is in us-east-1 but profile '${profile}' is in eu-west-1: expected both in one region (${E.TRUST_ANCHOR_ARN} and ${E.PROFILE_ARN})`);
  });

  test('one value of four is taken as bootstrapping, and the rest are reported missing at once', async () => {
    const error = await failure(bootstrap({ env: { [E.TRUST_ANCHOR_ARN]: TRUST_ANCHOR_ARN } }));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('4 problems with the bootstrap values:');
    for (const variable of [E.REGION, E.PROFILE_ARN, E.ROLE_ARN, E.PARAMETER_PATH]) {
      expect(lines.some((l) => l.startsWith(`  - missing ${variable}: expected `))).toBe(true);
    }
  });

  test('without any bootstrap value the parameter path is still needed', async () => {
    const error = await failure(bootstrap({ env: {} }));
    expect(error.message).toBe(`missing ${E.PARAMETER_PATH}: expected the connector parameter path, such as /eventbridge-connector/orders (or the path option or parameterPath in the bootstrap file named by ${E.BOOTSTRAP_FILE})`);
  });

  test('no certificate and no key: both are named with every way to give them', async () => {
    const error = await failure(bootstrap({ env: GOOD_ENV }));
    expect(error.message).toContain(`missing client certificate: expected the certificate option, ${E.CERTIFICATE} (a PEM file path or PEM text)`);
    expect(error.message).toContain(`missing private key: expected the privateKey option, ${E.PRIVATE_KEY} (a PEM file path or PEM text)`);
  });

  test('a certificate path that cannot be read is named with its variable', async () => {
    const missing = join(dir, 'absent.pem');
    const error = await failure(bootstrap({ env: { ...GOOD_ENV, [E.CERTIFICATE]: missing, [E.PRIVATE_KEY]: missing } }));
    expect(error.message).toContain(`cannot read ${E.CERTIFICATE} '${missing}' (ENOENT): expected a readable PEM file`);
    expect(error.message).toContain(`cannot read ${E.PRIVATE_KEY} '${missing}' (ENOENT)`);
  });
});

describe('bootstrap values from a file', () => {
  const good = { region: REGION, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, parameterPath: '/eventbridge-connector/orders' };

  test.each([
    ['region', 'eu-middle-9', 'expected one of the AWS regions'],
    ['trustAnchorArn', 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/not-a-uuid', 'expected a Roles Anywhere trust anchor ARN'],
    ['profileArn', ROLE_ARN, 'expected a Roles Anywhere profile ARN'],
    ['roleArn', 'orders-connector', 'expected an IAM role ARN'],
    ['parameterPath', 'eventbridge-connector/orders', 'expected a path such as'],
  ])('a bad %s is named with the file', async (key, value, expected) => {
    const file = writeJson(`bad-${key}.json`, { ...good, [key]: value });
    const error = await failure(bootstrap({ env: {}, file }));
    expect(error.message).toContain(`invalid ${key} '${value}' at ${file}: `);
    expect(error.message).toContain(expected);
  });

  test('the file may be named by an environment variable; its missing keys are named with the file', async () => {
    const file = writeJson('partial.json', { region: REGION, parameterPath: '/eventbridge-connector/orders' });
    const error = await failure(bootstrap({ env: { [E.BOOTSTRAP_FILE]: file } }));
    expect(error.message).toContain(`missing trustAnchorArn at ${file}: expected the Roles Anywhere trust anchor ARN (or set ${E.TRUST_ANCHOR_ARN})`);
    expect(error.message).toContain(`missing profileArn at ${file}`);
    expect(error.message).toContain(`missing roleArn at ${file}`);
  });

  test('environment variables override the file', async () => {
    const file = writeJson('overridden.json', { ...good, roleArn: 'not-an-arn', region: 'nowhere' });
    const error = await failure(bootstrap({ env: { [E.ROLE_ARN]: ROLE_ARN }, file }));
    expect(error.message).toBe(`invalid region 'nowhere' at ${file}: expected a region code such as eu-west-1`);
  });

  test('an unknown key (a typo) and a value that is not a string', async () => {
    const file = writeJson('typo.json', { ...good, roleARN: ROLE_ARN, region: 1 });
    const error = await failure(bootstrap({ env: {}, file }));
    expect(error.message).toContain(`unknown key 'roleARN' at ${file}: expected one of region, trustAnchorArn, profileArn, roleArn, parameterPath, certificate, privateKey, intermediates`);
    expect(error.message).toContain(`invalid region '1' at ${file}: expected a string`);
  });

  test('a file that is not JSON, or not an object', async () => {
    const text = writeJson('text.json', 'region=us-east-1');
    expect((await failure(bootstrap({ env: {}, file: text }))).message).toMatch(new RegExp(`^invalid bootstrap file '${text}' \\(.*JSON.*\\): expected a JSON object with region, `));
    const list = writeJson('list.json', [good]);
    expect((await failure(bootstrap({ env: {}, file: list }))).message).toContain(`invalid bootstrap file '${list}': expected a JSON object with region, trustAnchorArn`);
  });

  test('a file that does not exist', async () => {
    const file = join(dir, 'nowhere.json');
    const error = await failure(bootstrap({ env: {}, file }));
    expect(error.key).toBe(E.BOOTSTRAP_FILE);
    expect(error.message).toMatch(new RegExp(`^cannot read bootstrap file '${file}' \\(ENOENT\\): expected a JSON object`));
  });

  test('key files are read relative to the bootstrap file', async () => {
    const file = writeJson('relative.json', { ...good, certificate: 'certs/client.pem', privateKey: 'certs/client.key' });
    const error = await failure(bootstrap({ env: {}, file }));
    expect(error.message).toContain(`cannot read certificate 'certs/client.pem' at ${file} (ENOENT): expected a readable PEM file, relative to the bootstrap file`);
    expect(error.message).toContain(`cannot read privateKey 'certs/client.key' at ${file} (ENOENT)`);
  });
});

describe('session credentials from constants', () => {
  test('need a certificate and key, and say where they can come from', () => {
    const constants = parseConstants(SESSION_CONTRACT);
    expect(() => credentialsFromConstants(constants, { env: {} })).toThrow(ConstantsError);
    expect(() => credentialsFromConstants(constants, { env: {} })).toThrow(`missing client certificate: expected the certificate option, ${E.CERTIFICATE}`);
  });
});
