import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CREDENTIALS, pagingProxy, recordingEventBridge, REGION } from './support';
import { startMoto, MotoServer } from '../../../src/local/moto';
import { ConnectorClient, InputError, ServiceError } from '../../../src/runtime';

let moto: MotoServer;
let client: ConnectorClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new ConnectorClient({ region: REGION, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: moto.endpoint });
});
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

describe('connections', () => {
  test('an API key connection is created, then described without its key', async () => {
    const created = await client.createConnection({
      name: 'orders-api-key',
      authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'k-123456' },
      description: 'deliveries to the orders app',
    });
    const described = await client.describeConnection('orders-api-key');

    expect(created.arn).toMatch(/^arn:aws:events:us-east-1:\d{12}:connection\/orders-api-key\/.+/);
    expect(described).toEqual(expect.objectContaining({
      name: 'orders-api-key',
      arn: created.arn,
      authorizationType: 'API_KEY',
      apiKeyName: 'x-api-key',
      description: 'deliveries to the orders app',
    }));
    // moto echoes the key back; AWS never does, and the client never passes it on.
    expect(JSON.stringify(described)).not.toContain('k-123456');
  });

  test('a basic-auth connection is created and described with its user name only', async () => {
    await client.createConnection({ name: 'orders-basic', authorization: { type: 'BASIC', username: 'eventbridge', password: 's3cret-pw' } });
    const described = await client.describeConnection('orders-basic');

    expect(described).toEqual(expect.objectContaining({ name: 'orders-basic', authorizationType: 'BASIC', username: 'eventbridge' }));
    expect(JSON.stringify(described)).not.toContain('s3cret-pw');
  });

  test('updating a connection changes its authorization and keeps what was left out', async () => {
    await client.createConnection({
      name: 'orders-rotating',
      authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'first' },
      description: 'kept',
    });
    const updated = await client.updateConnection({ name: 'orders-rotating', authorization: { type: 'API_KEY', apiKeyName: 'x-orders-key', apiKeyValue: 'second' } });
    const described = await client.describeConnection('orders-rotating');

    expect(updated.arn).toBe(described.arn);
    expect(described.apiKeyName).toBe('x-orders-key');
    expect(described.description).toBe('kept');

    await client.updateConnection({ name: 'orders-rotating', authorization: { type: 'BASIC', username: 'u', password: 'p' } });
    expect(await client.describeConnection('orders-rotating')).toEqual(expect.objectContaining({ authorizationType: 'BASIC', username: 'u' }));
  });

  test('describing a connection that does not exist is a ServiceError with the service code and status', async () => {
    const error = await client.describeConnection('orders-missing').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 400 });
    expect((error as Error).message).toMatch(/^DescribeConnection 'orders-missing' failed: ResourceNotFoundException: /);
  });

  test.each([
    [{ name: 'orders app', authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'k' } }, "invalid connection name 'orders app': expected 1 to 64 letters, digits, and . - _"],
    [{ name: 'o'.repeat(65), authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'k' } }, 'expected 1 to 64 letters, digits, and . - _'],
    [{ name: 'orders' }, "missing authorization: expected { type: 'API_KEY', apiKeyName, apiKeyValue } or { type: 'BASIC', username, password }"],
    [{ name: 'orders', authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: '' } }, 'missing apiKeyValue: expected 1 to 512 characters'],
    [{ name: 'orders', authorization: { type: 'API_KEY', apiKeyName: 'x api key', apiKeyValue: 'k' } }, "invalid apiKeyName 'x api key': expected an HTTP header name such as x-api-key"],
    [{ name: 'orders', authorization: { type: 'BASIC', username: 'a:b', password: 'p' } }, "invalid username 'a:b': expected 1 to 512 characters without control characters or ':'"],
    [{ name: 'orders', authorization: { type: 'OAUTH', username: 'u' } }, "invalid authorization type 'OAUTH': expected 'API_KEY' or 'BASIC'"],
    [{ name: 'orders', authorization: { type: 'BASIC', username: 'u', password: 'p' }, description: 'd'.repeat(513) }, 'invalid description: expected a string of at most 512 characters'],
  ])('refuses bad input before calling EventBridge: %#', async (input, message) => {
    await expect(client.createConnection(input as never)).rejects.toThrow(new InputError(message).message);
    await expect(client.createConnection(input as never)).rejects.toBeInstanceOf(InputError);
  });
});

describe('API destinations', () => {
  let connectionArn: string;
  beforeAll(async () => {
    ({ arn: connectionArn } = await client.createConnection({
      name: 'orders-destinations',
      authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'k-1' },
    }));
  });

  test('an API destination is created and described', async () => {
    const created = await client.createApiDestination({
      name: 'orders-app',
      connectionArn,
      endpoint: 'https://orders.example.com/events',
      httpMethod: 'PUT',
      rateLimitPerSecond: 20,
    });
    const described = await client.describeApiDestination('orders-app');

    expect(created.arn).toMatch(/^arn:aws:events:us-east-1:\d{12}:api-destination\/orders-app\/.+/);
    expect(described).toEqual(expect.objectContaining({
      name: 'orders-app',
      arn: created.arn,
      connectionArn,
      endpoint: 'https://orders.example.com/events',
      httpMethod: 'PUT',
      rateLimitPerSecond: 20,
    }));
  });

  test('POST is the default method, and http is accepted for a loopback endpoint', async () => {
    await client.createApiDestination({ name: 'orders-local', connectionArn, endpoint: 'http://127.0.0.1:8080/events' });

    expect(await client.describeApiDestination('orders-local')).toEqual(expect.objectContaining({ httpMethod: 'POST', endpoint: 'http://127.0.0.1:8080/events' }));
  });

  test('updating an API destination changes what is given and keeps the rest', async () => {
    await client.createApiDestination({ name: 'orders-moving', connectionArn, endpoint: 'https://old.example.com/events', rateLimitPerSecond: 5 });
    await client.updateApiDestination({ name: 'orders-moving', endpoint: 'https://new.example.com/events', rateLimitPerSecond: 300 });

    expect(await client.describeApiDestination('orders-moving')).toEqual(expect.objectContaining({
      endpoint: 'https://new.example.com/events',
      rateLimitPerSecond: 300,
      httpMethod: 'POST',
      connectionArn,
    }));
  });

  test.each([
    [{ endpoint: 'http://orders.example.com/events' }, "invalid endpoint 'http://orders.example.com/events': expected an https URL such as https://app.example.com/events (http only on a loopback host)"],
    [{ endpoint: 'orders.example.com' }, "invalid endpoint 'orders.example.com'"],
    [{ httpMethod: 'CONNECT' }, "invalid httpMethod 'CONNECT': expected one of POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE"],
    [{ rateLimitPerSecond: 0 }, 'invalid rateLimitPerSecond 0: expected a whole number from 1 to 300'],
    [{ rateLimitPerSecond: 301 }, 'invalid rateLimitPerSecond 301'],
    [{ rateLimitPerSecond: 1.5 }, 'invalid rateLimitPerSecond 1.5'],
    [{ connectionArn: 'arn:aws:events:us-east-1:123456789012:rule/x' }, "invalid connectionArn 'arn:aws:events:us-east-1:123456789012:rule/x': expected a connection ARN"],
  ])('refuses bad input before calling EventBridge: %j', async (change, message) => {
    const input = { name: 'orders-bad', connectionArn, endpoint: 'https://orders.example.com/events', ...change };

    await expect(client.createApiDestination(input as never)).rejects.toThrow(message);
    await expect(client.describeApiDestination('orders-bad')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });
});

describe('registerApp', () => {
  let recorded: ReturnType<typeof recordingEventBridge>;
  let app: ConnectorClient;
  const registration = { name: 'orders-receiver', endpoint: 'https://orders.example.com/events', apiKey: 'key-one-0123456789' };

  beforeAll(() => {
    recorded = recordingEventBridge(moto.endpoint);
    app = new ConnectorClient({ region: REGION, eventBusName: 'orders', credentials: CREDENTIALS, clients: { events: recorded.client } });
  });
  afterAll(() => recorded.client.destroy());
  beforeEach(() => {
    recorded.commands.length = 0;
  });

  test('creates the connection and the API destination on the first start', async () => {
    const result = await app.registerApp(registration);

    const connection = await app.describeConnection('orders-receiver');
    const destination = await app.describeApiDestination('orders-receiver');
    expect(result).toEqual({ connection: 'created', apiDestination: 'created', connectionArn: connection.arn, apiDestinationArn: destination.arn });
    expect(connection).toEqual(expect.objectContaining({ authorizationType: 'API_KEY', apiKeyName: 'x-api-key' }));
    expect(destination).toEqual(expect.objectContaining({ endpoint: registration.endpoint, httpMethod: 'POST', rateLimitPerSecond: 50, connectionArn: connection.arn }));
  });

  test('changes nothing on the next start: two describes, no create, no update', async () => {
    const result = await app.registerApp(registration);

    expect(result).toEqual(expect.objectContaining({ connection: 'unchanged', apiDestination: 'unchanged' }));
    expect(recorded.commands).toEqual(['DescribeConnectionCommand', 'DescribeApiDestinationCommand']);
  });

  test('updates only the API destination when the endpoint moved', async () => {
    const result = await app.registerApp({ ...registration, endpoint: 'https://orders-v2.example.com/events' });

    expect(result).toEqual(expect.objectContaining({ connection: 'unchanged', apiDestination: 'updated' }));
    expect(recorded.commands).toEqual(['DescribeConnectionCommand', 'DescribeApiDestinationCommand', 'UpdateApiDestinationCommand']);
    expect((await app.describeApiDestination('orders-receiver')).endpoint).toBe('https://orders-v2.example.com/events');
  });

  test('updates only the connection when the API key changed, detected through the digest in its description', async () => {
    const moved = { ...registration, endpoint: 'https://orders-v2.example.com/events' };
    const result = await app.registerApp({ ...moved, apiKey: 'key-two-0123456789' });
    const again = await app.registerApp({ ...moved, apiKey: 'key-two-0123456789' });

    expect(result).toEqual(expect.objectContaining({ connection: 'updated', apiDestination: 'unchanged' }));
    expect(again).toEqual(expect.objectContaining({ connection: 'unchanged', apiDestination: 'unchanged' }));
    const { description } = await app.describeConnection('orders-receiver');
    expect(description).toMatch(/api-key-digest=scrypt:/);
    expect(description).not.toContain('key-two');
  });

  test('updates when the header, the method or a given rate differ', async () => {
    const moved = { ...registration, endpoint: 'https://orders-v2.example.com/events', apiKey: 'key-two-0123456789' };

    expect(await app.registerApp({ ...moved, apiKeyHeader: 'x-orders-key' })).toEqual(expect.objectContaining({ connection: 'updated', apiDestination: 'unchanged' }));
    expect(await app.registerApp({ ...moved, apiKeyHeader: 'x-orders-key', rateLimitPerSecond: 10 })).toEqual(expect.objectContaining({ connection: 'unchanged', apiDestination: 'updated' }));
    // A rate left out keeps the one the destination has.
    expect(await app.registerApp({ ...moved, apiKeyHeader: 'x-orders-key' })).toEqual(expect.objectContaining({ connection: 'unchanged', apiDestination: 'unchanged' }));
    expect(await app.registerApp({ ...moved, apiKeyHeader: 'x-orders-key', httpMethod: 'PUT' })).toEqual(expect.objectContaining({ apiDestination: 'updated' }));
    expect((await app.describeApiDestination('orders-receiver')).rateLimitPerSecond).toBe(10);
  });

  test('takes over a connection made by someone else once, then leaves it alone', async () => {
    await app.createConnection({ name: 'orders-adopted', authorization: { type: 'API_KEY', apiKeyName: 'x-api-key', apiKeyValue: 'key-one-0123456789' } });
    const input = { ...registration, name: 'orders-adopted' };

    // Without a digest nothing says the key is the same, so it is sent again.
    expect((await app.registerApp(input)).connection).toBe('updated');
    expect((await app.registerApp(input)).connection).toBe('unchanged');
  });

  test('needs names when the client has no contract', async () => {
    await expect(app.registerApp({ endpoint: registration.endpoint, apiKey: 'k' })).rejects.toThrow(
      'missing name: expected name (or connectionName and apiDestinationName), or a client from ConnectorClient.fromParameters whose contract has the receiving keys',
    );
    await expect(app.registerApp({ name: 'x', apiKey: 'k' })).rejects.toBeInstanceOf(InputError);
    expect(recorded.commands).toEqual([]);
  });
});

describe('inspection', () => {
  test('validateCredentials says whose credentials the client uses', async () => {
    const identity = await client.validateCredentials();

    expect(identity).toEqual({ account: '123456789012', arn: expect.stringMatching(/^arn:aws:(iam|sts)::123456789012:/), userId: expect.any(String) });
  });

  test('validateCredentials fails with a ServiceError when the endpoint is unreachable', async () => {
    const offline = new ConnectorClient({ region: REGION, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      const error = await offline.validateCredentials().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServiceError);
      expect((error as Error).message).toMatch(/^GetCallerIdentity failed: .*ECONNREFUSED/);
    } finally {
      offline.destroy();
    }
  });

  test('listEventBuses reads every page', async () => {
    const setup = new EventBridgeClient({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });
    for (const name of ['inspect-a', 'inspect-b', 'inspect-c', 'inspect-d', 'inspect-e']) {
      await setup.send(new CreateEventBusCommand({ Name: name }));
    }
    setup.destroy();
    const proxy = await pagingProxy(moto.endpoint, 2);
    const paged = new ConnectorClient({ region: REGION, eventBusName: 'orders', credentials: CREDENTIALS, endpoints: { events: proxy.url } });
    try {
      const buses = await paged.listEventBuses({ namePrefix: 'inspect-' });

      expect(buses.map((b) => b.name)).toEqual(['inspect-a', 'inspect-b', 'inspect-c', 'inspect-d', 'inspect-e']);
      expect(buses[0].arn).toMatch(/^arn:aws:events:us-east-1:\d{12}:event-bus\/inspect-a$/);
      expect(proxy.pagesServed()).toBe(3);
      expect((await paged.listEventBuses()).map((b) => b.name)).toContain('default');
    } finally {
      paged.destroy();
      await proxy.close();
    }
  });

  test("describeEventBus describes the client's bus unless told another", async () => {
    const setup = new EventBridgeClient({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });
    await setup.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
    setup.destroy();

    expect(await client.describeEventBus()).toEqual(expect.objectContaining({ name: 'orders', arn: expect.stringMatching(/event-bus\/orders$/) }));
    expect((await client.describeEventBus('default')).name).toBe('default');
    await expect(client.describeEventBus('nope')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });
});
