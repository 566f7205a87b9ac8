import { createServer } from 'node:http';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient } from '../../../src/runtime/client';
import type { ConnectorClientOptions } from '../../../src/runtime/client-options';
import { InputError } from '../../../src/runtime/errors';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
const EVENT = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

describe('client.putEvents chooses its transport', () => {
  let endpoint: EventBridgeEndpoint;
  const userAgents: string[] = [];
  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint({ faults: {} });
  });
  afterAll(() => endpoint.stop());

  async function userAgentOf(options: Partial<ConnectorClientOptions>): Promise<string> {
    const server = createServer((req, res) => {
      userAgents.push(String(req.headers['x-amz-user-agent']));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"FailedEntryCount":0,"Entries":[{"EventId":"e-1"}]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, endpoint: url, ...options });
    const result = await client.putEvents([EVENT]);
    client.destroy();
    server.close();
    expect(result.entries).toEqual([{ eventId: 'e-1' }]);
    return userAgents[userAgents.length - 1];
  }

  test('the lean transport by default, naming the library in its user agent', async () => {
    expect(await userAgentOf({})).toMatch(/^cdk-eventbridge-connector\//);
  });

  test("the SDK client with putEvents: { transport: 'sdk' }", async () => {
    expect(await userAgentOf({ putEvents: { transport: 'sdk' } })).toMatch(/^aws-sdk-js\//);
  });

  test('an injected EventBridge client is used as given (the SDK transport)', async () => {
    const injected = new EventBridgeClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoint: endpoint.endpoint, maxAttempts: 1 });
    const sent = jest.spyOn(injected, 'send');
    const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS, clients: { putEvents: injected } });
    const result = await client.putEvents([EVENT]);
    expect(result.failedEntryCount).toBe(0);
    expect(sent).toHaveBeenCalledTimes(1);
    injected.destroy();
  });

  test('a transport that does not exist, or lean with an injected client, is refused naming it', () => {
    const base = { region: 'us-east-1', eventBusName: 'orders', credentials: CREDENTIALS };
    expect(() => new ConnectorClient({ ...base, putEvents: { transport: 'fast\n' as 'lean' } }))
      .toThrow(new InputError("invalid putEvents.transport 'fast\\n': expected 'lean' or 'sdk'"));
    const injected = new EventBridgeClient({ region: 'us-east-1', credentials: CREDENTIALS });
    expect(() => new ConnectorClient({ ...base, clients: { events: injected }, putEvents: { transport: 'lean' } }))
      .toThrow(/^invalid putEvents.transport 'lean' with an injected EventBridge client/);
    injected.destroy();
  });

  test.each(['lean', 'sdk'] as const)('requestTimeoutMs bounds a stalled answer, body included (%s)', async (transport) => {
    const stalling = await startEventBridgeEndpoint({ faults: { stallResponse: 1 } });
    const client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoint: stalling.endpoint,
      requestTimeoutMs: 300,
      putEvents: { transport, maxAttempts: 2, baseDelayMs: 1 },
    });
    const start = Date.now();
    const result = await client.putEvents([EVENT]);
    client.destroy();
    await stalling.stop();
    expect(result.entries[0]).toMatchObject({ errorCode: 'TimeoutError', attempts: 2 });
    expect(Date.now() - start).toBeLessThan(2_000);
  });
});
