import { createServer, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { STSClient } from '@aws-sdk/client-sts';
import { CREDENTIALS, REGION } from './support';
import { ConnectorClient, ConnectorClientOptions, InputError, ServiceError } from '../../../src/runtime';

const valid: ConnectorClientOptions = { region: REGION, eventBusName: 'orders', credentials: CREDENTIALS };

describe('constructor options', () => {
  test.each([
    [{ region: 'Europe' }, "invalid region 'Europe': expected a region code such as eu-west-1"],
    [{ eventBusName: undefined }, 'missing eventBusName: expected a bus name or ARN'],
    [{ eventBusName: 'orders bus' }, "eventBusName 'orders bus' is not valid: expected a bus name"],
    [{ eventBusName: 'arn:aws:events:us-east-1:123456789012:rule/orders' }, 'is not valid: expected a bus name'],
    [{ credentials: undefined }, 'missing credentials: expected { accessKeyId, secretAccessKey, sessionToken? } or a credential provider function'],
    [{ credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } }, "invalid credentials for access key 'AKIAIOSFODNN7EXAMPLE': missing secretAccessKey, expected a non-empty string"],
    [{ endpoint: 'localhost:4566' }, "invalid events endpoint 'localhost:4566': expected an http or https URL such as http://127.0.0.1:5000"],
    [{ endpoints: { ssm: 'ftp://127.0.0.1' } }, "invalid ssm endpoint 'ftp://127.0.0.1'"],
    [{ endpoint: 'http://user:secret@127.0.0.1:4566/' }, "invalid events endpoint 'http://***@127.0.0.1:4566/': expected no user name or password in the URL"],
    [{ endpoint: `junk\x1b${'j'.repeat(1100)}` }, `invalid events endpoint 'junk\\x1b${'j'.repeat(155)}...' (1105 characters): expected an http or https URL`],
    [{ requestTimeoutMs: 0 }, 'invalid requestTimeoutMs 0: expected a whole number from 1 to 900000'],
    [{ connectTimeoutMs: 1.5 }, 'invalid connectTimeoutMs 1.5'],
    [{ maxAttempts: 0 }, 'invalid maxAttempts 0: expected a whole number from 1 to 10'],
    [{ putEvents: { concurrency: 0 } }, 'concurrency 0 is not valid: expected a whole number, 1 or more'],
  ])('refuses %j with a message naming the value', (change, message) => {
    const construct = () => new ConnectorClient({ ...valid, ...change } as ConnectorClientOptions);

    expect(construct).toThrow(InputError);
    expect(construct).toThrow(message);
  });

  test('accepts a well-formed region newer than the package\'s region list', () => {
    const client = new ConnectorClient({ ...valid, region: 'xx-future-1' });

    expect(client.region).toBe('xx-future-1');
    client.destroy();
  });

  test('accepts an event bus ARN and a credential provider', () => {
    const client = new ConnectorClient({
      ...valid,
      eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
      credentials: async () => CREDENTIALS,
    });

    expect(client.eventBusName).toBe('arn:aws:events:us-east-1:123456789012:event-bus/orders');
    expect(client.constants).toBeUndefined();
    client.destroy();
  });
});

/** A stand-in for STS that answers GetCallerIdentity, or never answers, and counts connections. */
async function fakeSts(mode: 'answer' | 'hang'): Promise<{ url: string; connections: () => number; open: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    if (mode === 'hang') return;
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          '<Arn>arn:aws:iam::123456789012:user/app</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>' +
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('SDK client configuration', () => {
  test('keeps connections alive across calls, and destroy() closes them', async () => {
    const sts = await fakeSts('answer');
    const client = new ConnectorClient({ ...valid, endpoints: { sts: sts.url } });
    try {
      for (let i = 0; i < 5; i++) {
        expect(await client.validateCredentials()).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/app', userId: 'AIDAEXAMPLE' });
      }
      expect(sts.connections()).toBe(1);
      expect(sts.open()).toBe(1);

      client.destroy();
      await new Promise<void>((resolve) => {
        const poll = () => (sts.open() === 0 ? resolve() : setImmediate(poll));
        poll();
      });
      expect(sts.open()).toBe(0);
    } finally {
      client.destroy();
      await sts.close();
    }
  });

  test('a request that outlasts requestTimeoutMs fails instead of hanging', async () => {
    const sts = await fakeSts('hang');
    const client = new ConnectorClient({ ...valid, endpoints: { sts: sts.url }, requestTimeoutMs: 200, maxAttempts: 1 });
    try {
      const error = await client.validateCredentials().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServiceError);
      expect((error as Error).message).toMatch(/^GetCallerIdentity failed: .*requestTimeout/);
    } finally {
      client.destroy();
      await sts.close();
    }
  });

  test('leaves injected clients open on destroy()', async () => {
    const sts = await fakeSts('answer');
    const injected = new STSClient({ region: REGION, endpoint: sts.url, credentials: CREDENTIALS });
    const client = new ConnectorClient({ ...valid, clients: { sts: injected } });
    try {
      await client.validateCredentials();
      client.destroy();

      expect((await client.validateCredentials()).account).toBe('123456789012');
    } finally {
      injected.destroy();
      await sts.close();
    }
  });
});

describe('receiver and registerApp without a contract', () => {
  const client = new ConnectorClient(valid);
  afterAll(() => client.destroy());

  test('a receiver needs an API key', async () => {
    await expect(client.receiver()).rejects.toThrow(
      'missing apiKey: expected apiKey or apiKeys, or a client from fromParameters whose contract has the receiving keys',
    );
    expect(await client.receiver({ apiKey: 'k' })).toBeDefined();
  });

  test('registerApp needs an endpoint and a key', async () => {
    await expect(client.registerApp({ name: 'orders-app', apiKey: 'k' })).rejects.toThrow(/^missing endpoint: /);
    await expect(client.registerApp({ name: 'orders-app', endpoint: 'https://x.example.com' })).rejects.toThrow(/^missing apiKey: /);
  });
});
