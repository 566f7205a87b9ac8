import { SSMClient } from '@aws-sdk/client-ssm';
import { CERTIFICATE_ID, edit, RECEIVING_KEYS, SESSION_CONTRACT, STATIC_CONTRACT, TRUST_ANCHOR_ARN } from './support/contracts';
import { putParameters, recordingSsm, TEST_CREDENTIALS } from './support/moto-ssm';
import { ParameterKeys as K } from '../../../src/contract';
import { startMoto, MotoServer } from '../../../src/local/moto';
import { ConnectorError, ConstantsError, loadConstants } from '../../../src/runtime';

let moto: MotoServer;
let setUp: SSMClient;

beforeAll(async () => {
  moto = await startMoto();
  setUp = new SSMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
});

afterAll(async () => {
  setUp?.destroy();
  await moto?.stop();
});

describe('loading a contract of 27 parameters over three pages', () => {
  const path = '/eventbridge-connector/orders';
  const unknownKeys = { Team: 'payments', Owner: 'ops@example.com', CostCentre: '4711', Notes: 'managed by cdk', LegacyQueueUrl: 'https://sqs', Tier: 'gold', Stage: 'prod', Contact: 'pager' };
  // The construct writes the fingerprint in lowercase hex; people copying it from openssl use this form.
  const colonFingerprint = CERTIFICATE_ID.toUpperCase().match(/../g)!.join(':');
  const direct = { ...SESSION_CONTRACT, [K.SESSION_NAME]: 'orders-app', [K.CLIENT_CERTIFICATE_ID]: colonFingerprint, ...RECEIVING_KEYS, ...unknownKeys };
  const count = Object.keys(direct).length;

  beforeAll(async () => {
    await putParameters(setUp, path, direct);
    // Same key names one level down, and a sibling path sharing the prefix: neither may leak in.
    await putParameters(setUp, `${path}/nested`, { Region: 'eu-west-1', RoleARN: 'arn:aws:iam::123456789012:role/other', Duration: '900', Extra: 'x', More: 'y' });
    await putParameters(setUp, `${path}-v2`, { Region: 'eu-central-1', EventBusName: 'orders-v2' });
  });

  test('reads every page with one request each and returns the typed constants', async () => {
    const { client, requests } = recordingSsm(moto.endpoint);
    const debug = jest.fn();
    const constants = await loadConstants({ path, ssm: client, logger: { debug, warn: jest.fn(), error: jest.fn() } });

    expect(count).toBeGreaterThanOrEqual(25);
    const pages = requests.filter((r) => r.command === 'GetParametersByPathCommand');
    expect(pages).toHaveLength(Math.ceil(count / 10));
    expect(requests).toHaveLength(pages.length);
    pages.forEach((page, i) => {
      expect(page.input).toMatchObject({ Path: path, Recursive: false, MaxResults: 10 });
      // Each page asks for where the previous one stopped; the last one hands back no token.
      expect(page.input.NextToken).toBe(i === 0 ? undefined : pages[i - 1].returnedNextToken);
    });
    expect(pages[pages.length - 1].returnedNextToken).toBeUndefined();
    const returned = pages.flatMap((p) => p.returnedNames);
    expect(returned.sort()).toEqual(Object.keys(direct).map((k) => `${path}/${k}`).sort());

    expect(constants).toEqual({
      schemaVersion: '2',
      region: 'us-east-1',
      eventBusName: 'orders',
      eventBusArn: SESSION_CONTRACT[K.EVENT_BUS_ARN],
      useStaticCredentials: false,
      resourceNamePrefix: 'orders.',
      session: {
        roleArn: SESSION_CONTRACT[K.ROLE_ARN],
        profileArn: SESSION_CONTRACT[K.PROFILE_ARN],
        trustAnchorArn: TRUST_ANCHOR_ARN,
        durationSeconds: 3600,
        sessionName: 'orders-app',
        clientCertificateId: CERTIFICATE_ID,
      },
      receiving: {
        connectionName: 'orders.app',
        connectionArn: RECEIVING_KEYS[K.CONNECTION_ARN],
        apiDestinationName: 'orders.app',
        apiDestinationArn: RECEIVING_KEYS[K.API_DESTINATION_ARN],
        endpoint: 'https://orders.example.com/events',
        apiKeyHeader: 'x-api-key',
        apiKeySecretReference: RECEIVING_KEYS[K.API_KEY_SECRET],
      },
      parameterPath: path,
    });
    const logged = debug.mock.calls.map((c) => String(c[0])).join('\n');
    for (const key of Object.keys(unknownKeys)) expect(logged).toContain(key);
    client.destroy();
  });

  test('makes its own client from region, credentials and endpoint', async () => {
    const constants = await loadConstants({ path, region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
    expect(constants.session?.roleArn).toBe(SESSION_CONTRACT[K.ROLE_ARN]);
  });

  test('a path with nothing directly under it says so and how to check', async () => {
    const { client } = recordingSsm(moto.endpoint);
    const error = await loadConstants({ path: '/eventbridge-connector/absent', region: 'us-east-1', ssm: client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('ParametersNotFound');
    expect((error as Error).message).toContain('no parameters found at /eventbridge-connector/absent');
    expect((error as Error).message).toContain('aws ssm get-parameters-by-path --path /eventbridge-connector/absent --region us-east-1');
    client.destroy();
  });

  test('parameters only below the path are not the contract', async () => {
    await putParameters(setUp, '/eventbridge-connector/deeper/child', { ...SESSION_CONTRACT });
    const error = await loadConstants({ path: '/eventbridge-connector/deeper', region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }).catch((e: unknown) => e);
    expect((error as ConnectorError).code).toBe('ParametersNotFound');
  });

  test('an invalid path is refused before any request', async () => {
    const { client, requests } = recordingSsm(moto.endpoint);
    await expect(loadConstants({ path: 'eventbridge-connector/orders/', ssm: client })).rejects.toThrow(/invalid parameter path 'eventbridge-connector\/orders\/': expected a path such as/);
    expect(requests).toHaveLength(0);
    client.destroy();
  });
});

describe('answers from SSM that are not a contract', () => {
  test('access denied names the path, the permission and the principal SSM named', async () => {
    const said = 'User: arn:aws:sts::123456789012:assumed-role/orders-app/i-0abc is not authorized to perform: ssm:GetParametersByPath';
    const ssm = { send: jest.fn().mockRejectedValue(Object.assign(new Error(said), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } })) };
    const error = await loadConstants({ path: '/eventbridge-connector/orders', region: 'eu-west-1', ssm }).catch((e: unknown) => e);
    expect((error as ConnectorError).code).toBe('AccessDenied');
    expect((error as Error).message).toBe(
      'access denied reading the connector constants at /eventbridge-connector/orders: the principal needs ssm:GetParametersByPath on ' +
      `arn:aws:ssm:eu-west-1:<account>:parameter/eventbridge-connector/orders (SSM said: ${said})`);
  });

  test('an endpoint that hands back the same NextToken again is not paged forever', async () => {
    const page = { Parameters: [{ Name: '/eventbridge-connector/orders/Region', Value: 'us-east-1' }], NextToken: 'again' };
    const ssm = { send: jest.fn().mockResolvedValue(page) };
    await expect(loadConstants({ path: '/eventbridge-connector/orders', ssm })).rejects.toThrow('reading /eventbridge-connector/orders: SSM returned the same NextToken twice');
    expect(ssm.send).toHaveBeenCalledTimes(2);
  });
});

interface BadCase {
  readonly name: string;
  readonly contract: Readonly<Record<string, string>>;
  readonly changes: Readonly<Record<string, string | undefined>>;
  /** Each problem the message must state: the key, its value (absent when missing) and what was expected. */
  readonly problems: ReadonlyArray<{ key: string; value?: string; expected: string }>;
}

const RAW_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const BAD: readonly BadCase[] = [
  {
    name: 'session mode without its four keys, reported at once',
    contract: SESSION_CONTRACT,
    changes: { RoleARN: undefined, ProfileARN: undefined, AWS_TrustAnchorARN: undefined, Duration: undefined },
    problems: [
      { key: 'RoleARN', expected: 'the IAM role ARN the runtime assumes (session mode: UseStaticCredentials is false)' },
      { key: 'ProfileARN', expected: 'the Roles Anywhere profile ARN (session mode' },
      { key: 'AWS_TrustAnchorARN', expected: 'the Roles Anywhere trust anchor ARN (session mode' },
      { key: 'Duration', expected: 'the session length in seconds, 900 to 43200 (session mode' },
    ],
  },
  {
    name: 'static mode without AccessKey and SecretKey',
    contract: STATIC_CONTRACT,
    changes: { AccessKey: undefined, SecretKey: undefined },
    problems: [
      { key: 'AccessKey', expected: 'the access key id (static mode: UseStaticCredentials is true)' },
      { key: 'SecretKey', expected: 'a reference to the Secrets Manager secret holding the secret key (static mode' },
    ],
  },
  {
    name: 'no Region and no SchemaVersion',
    contract: SESSION_CONTRACT,
    changes: { Region: undefined, SchemaVersion: undefined },
    problems: [{ key: 'Region', expected: 'a region code such as eu-west-1' }, { key: 'SchemaVersion', expected: "'2'" }],
  },
  {
    name: 'a user ARN as RoleARN',
    contract: SESSION_CONTRACT,
    changes: { RoleARN: 'arn:aws:iam::123456789012:user/bob' },
    problems: [{ key: 'RoleARN', value: 'arn:aws:iam::123456789012:user/bob', expected: 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/name' }],
  },
  {
    name: 'a profile id instead of a profile ARN',
    contract: SESSION_CONTRACT,
    changes: { ProfileARN: 'profile/6f1e2d3c' },
    problems: [{ key: 'ProfileARN', value: 'profile/6f1e2d3c', expected: 'expected a Roles Anywhere profile ARN' }],
  },
  {
    name: 'trust anchor and profile in different regions',
    contract: SESSION_CONTRACT,
    changes: { ProfileARN: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b' },
    problems: [{ key: 'ProfileARN', value: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b', expected: 'is in us-east-1 but profile' }],
  },
  {
    name: 'Duration below 900 seconds',
    contract: SESSION_CONTRACT,
    changes: { Duration: '60' },
    problems: [{ key: 'Duration', value: '60', expected: 'expected whole seconds from 900 to 43200' }],
  },
  {
    name: 'Duration above 43200 seconds',
    contract: SESSION_CONTRACT,
    changes: { Duration: '86400' },
    problems: [{ key: 'Duration', value: '86400', expected: 'expected whole seconds from 900 to 43200' }],
  },
  {
    name: 'Duration not an integer',
    contract: SESSION_CONTRACT,
    changes: { Duration: '1h' },
    problems: [{ key: 'Duration', value: '1h', expected: 'expected whole seconds from 900 to 43200' }],
  },
  {
    name: 'a schema version this runtime does not know',
    contract: SESSION_CONTRACT,
    changes: { SchemaVersion: '3' },
    problems: [{ key: 'SchemaVersion', value: '3', expected: "expected '1' or '2' (the parameters were written by a newer cdk-eventbridge-connector" }],
  },
  {
    name: 'UseStaticCredentials not a contract boolean',
    contract: SESSION_CONTRACT,
    changes: { UseStaticCredentials: 'yes' },
    problems: [{ key: 'UseStaticCredentials', value: 'yes', expected: "expected 'true' (static keys) or 'false' (Roles Anywhere session)" }],
  },
  {
    name: 'an ARN as SecretKey instead of a reference',
    contract: STATIC_CONTRACT,
    changes: { SecretKey: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-AbCdEf' },
    problems: [{ key: 'SecretKey', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-AbCdEf', expected: 'expected a reference such as /aws/reference/secretsmanager/<secret name or ARN>' }],
  },
  {
    name: 'the secret key itself as SecretKey, which the message must not repeat',
    contract: STATIC_CONTRACT,
    changes: { SecretKey: RAW_SECRET_KEY },
    problems: [{ key: 'SecretKey', value: '<redacted, 40 characters>', expected: 'never the secret key itself' }],
  },
  {
    name: 'an access key id too short to be one',
    contract: STATIC_CONTRACT,
    changes: { AccessKey: 'AKIA123' },
    problems: [{ key: 'AccessKey', value: 'AKIA123', expected: 'expected an access key id such as AKIAIOSFODNN7EXAMPLE' }],
  },
  {
    name: 'a region name instead of a code',
    contract: SESSION_CONTRACT,
    changes: { Region: 'Ireland' },
    problems: [{ key: 'Region', value: 'Ireland', expected: 'expected a region code such as eu-west-1' }],
  },
  {
    name: 'a region code AWS does not have',
    contract: SESSION_CONTRACT,
    changes: { Region: 'eu-middle-9' },
    problems: [{ key: 'Region', value: 'eu-middle-9', expected: 'expected one of the AWS regions' }],
  },
  {
    name: "an event bus outside the connector's Region",
    contract: SESSION_CONTRACT,
    changes: { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' },
    problems: [{ key: 'EventBusArn', value: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders', expected: "expected a bus in Region 'us-east-1', not in eu-west-1" }],
  },
  {
    name: 'an EventBusArn of another bus than EventBusName',
    contract: SESSION_CONTRACT,
    changes: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/payments' },
    problems: [{ key: 'EventBusArn', value: 'arn:aws:events:us-east-1:123456789012:event-bus/payments', expected: "expected the ARN of EventBusName 'orders', not of 'payments'" }],
  },
  {
    name: 'a SessionName with a space',
    contract: SESSION_CONTRACT,
    changes: { SessionName: 'orders app' },
    problems: [{ key: 'SessionName', value: 'orders app', expected: 'expected a role session name of 2 to 64 letters, digits' }],
  },
  {
    name: 'an AWS_ClientCertificateID that is no SHA-256 fingerprint',
    contract: SESSION_CONTRACT,
    changes: { AWS_ClientCertificateID: 'a3:f1:c2' },
    problems: [{ key: 'AWS_ClientCertificateID', value: 'a3:f1:c2', expected: 'expected the SHA-256 fingerprint of the client certificate: 64 hex digits' }],
  },
  {
    name: 'receiving keys cut short',
    contract: SESSION_CONTRACT,
    changes: { ConnectionName: 'orders.app', ApiDestinationName: 'orders.app' },
    problems: ['ReceiveEndpoint', 'ApiKeyHeader', 'ApiKeySecret'].map((key) => ({
      key,
      expected: 'expected all receiving keys, since ConnectionName, ApiDestinationName are present',
    })),
  },
  {
    name: 'the API key itself as ApiKeySecret',
    contract: edit(SESSION_CONTRACT, RECEIVING_KEYS),
    changes: { ApiKeySecret: 'super-secret-api-key' },
    problems: [{ key: 'ApiKeySecret', value: '<redacted, 20 characters>', expected: 'never the API key itself' }],
  },
  {
    name: 'a connection name without the resource name prefix',
    contract: edit(SESSION_CONTRACT, RECEIVING_KEYS),
    changes: { ConnectionName: 'payments-app' },
    problems: [{ key: 'ConnectionName', value: 'payments-app', expected: "expected a name starting with ResourceNamePrefix 'orders.'" }],
  },
  {
    // Written by hand into a version 2 contract: its grant on `orders-*` would reach `orders-eu.conn`.
    name: 'a resource name prefix without the delimiter',
    contract: SESSION_CONTRACT,
    changes: { ResourceNamePrefix: 'orders-' },
    problems: [{
      key: 'ResourceNamePrefix',
      value: 'orders-',
      expected: "expected 1 to 39 letters, digits, '-' or '_' ended by one '.', such as 'orders.' ('.' is the delimiter no prefix contains elsewhere, so one connector's names never start with another's prefix)",
    }],
  },
  {
    name: 'a receive endpoint that is not a URL',
    contract: edit(SESSION_CONTRACT, RECEIVING_KEYS),
    changes: { ReceiveEndpoint: 'orders.example.com/events' },
    problems: [{ key: 'ReceiveEndpoint', value: 'orders.example.com/events', expected: 'expected the https:// URL the API destination calls' }],
  },
];

describe('a contract written before the delimiter rule (SchemaVersion 1)', () => {
  test('still loads with its prefix read by the rule it was written by, so an upgraded app keeps running until the stack is deployed again', async () => {
    const path = '/eventbridge-connector/legacy-v1';
    await putParameters(setUp, path, { ...SESSION_CONTRACT, SchemaVersion: '1', ResourceNamePrefix: 'orders-' });
    const constants = await loadConstants({ path, region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
    expect(constants.schemaVersion).toBe('1');
    expect(constants.resourceNamePrefix).toBe('orders-');
  });

  test('a version 1 prefix that breaks even the rule of its day is refused by that rule', async () => {
    const path = '/eventbridge-connector/legacy-v1-bad';
    await putParameters(setUp, path, { ...SESSION_CONTRACT, SchemaVersion: '1', ResourceNamePrefix: 'orders/' });
    const error = await loadConstants({ path, region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).message).toContain("'orders/' at /eventbridge-connector/legacy-v1-bad/ResourceNamePrefix: expected 1 to 64 letters, digits, '.', '-' or '_' (the rule of SchemaVersion 1 contracts");
  });

  test('a version 2 contract with the same prefix is refused (its grant would reach another connector\'s names)', async () => {
    const path = '/eventbridge-connector/legacy-v2';
    await putParameters(setUp, path, { ...SESSION_CONTRACT, SchemaVersion: '2', ResourceNamePrefix: 'orders-' });
    const error = await loadConstants({ path, region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstantsError);
    expect((error as ConstantsError).key).toBe('ResourceNamePrefix');
  });
});

describe('every bad constant read from SSM is named with its value and what was expected', () => {
  beforeAll(async () => {
    for (const [i, bad] of BAD.entries()) await putParameters(setUp, `/eventbridge-connector/bad-${i}`, edit(bad.contract, bad.changes));
  });

  test.each(BAD.map((bad, i) => [bad.name, bad, i] as const))('%s', async (_name, bad, i) => {
    const path = `/eventbridge-connector/bad-${i}`;
    const error = await loadConstants({ path, region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConstantsError);
    const message = (error as ConstantsError).message;
    expect((error as ConstantsError).key).toBe(bad.problems[0].key);
    const lines = message.split('\n');
    if (bad.problems.length > 1) expect(lines[0]).toBe(`${bad.problems.length} problems with the connector constants at ${path}:`);
    else expect(lines).toHaveLength(1);
    for (const problem of bad.problems) {
      const line = lines.find((l) => l.includes(`${path}/${problem.key}`));
      expect(line).toBeDefined();
      expect(line).toContain(problem.value === undefined ? `missing ${problem.key}` : `'${problem.value}'`);
      expect(line).toContain(problem.expected);
    }
    expect(message).not.toContain(RAW_SECRET_KEY);
    expect(message).not.toContain('super-secret-api-key');
  });

  test('the table covers at least 15 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(15);
  });
});
