// The two PutEvents transports wired to a loopback endpoint, the way ConnectorClient wires them to AWS.
import { Agent as HttpAgent, createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsFunction, PutEventsTransport } from '../../../src/runtime/put-events';
import { leanPutEvents } from '../../../src/runtime/put-events/lean-transport';
import { sdkPutEvents as boundedSdkPutEvents } from '../../../src/runtime/put-events/sdk-transport';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export const TRANSPORTS: readonly PutEventsTransport[] = ['lean', 'sdk'];

/** An SDK client with retries off (the sender does them) and the PutEventsFunction over it. */
export function sdkPutEvents(endpoint: string): { client: EventBridgeClient; putEvents: PutEventsFunction } {
  const client = new EventBridgeClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return { client, putEvents: (entries) => client.send(new PutEventsCommand({ Entries: entries })) };
}

export interface TransportOptions {
  readonly requestTimeoutMs?: number;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>);
  readonly region?: string;
  /** The sender's, announced by the SDK transport in `amz-sdk-request`. */
  readonly maxAttempts?: number;
}

/** A PutEventsFunction over either transport, as ConnectorClient builds it; `destroy` closes its sockets. */
export function putEventsOver(
  transport: PutEventsTransport,
  endpoint: string,
  options: TransportOptions = {},
): { putEvents: PutEventsFunction; client: EventBridgeClient; destroy: () => void } {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 50 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const client = new EventBridgeClient({
    region: options.region ?? 'us-east-1',
    endpoint,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { httpAgent: agents.http, httpsAgent: agents.https, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  });
  const putEvents = transport === 'lean'
    ? leanPutEvents({ config: client.config, agents, requestTimeoutMs, connectTimeoutMs: 5_000 })
    : boundedSdkPutEvents(client, requestTimeoutMs, options.maxAttempts);
  return { putEvents, client, destroy: () => client.destroy() };
}

/** A loopback HTTP server calling `handler` with each request's whole body; for hand-made PutEvents answers. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
