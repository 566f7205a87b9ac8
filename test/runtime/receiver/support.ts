import { createServer, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server on a free loopback port, for exercising a handler over real HTTP. */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serve(listener: RequestListener): Promise<TestServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** An event as an API destination delivers it (the EventBridge envelope, unchanged). */
export function delivery(detailType: string, detail: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType,
    'source': 'com.example.orders',
    'account': '123456789012',
    'time': '2024-05-01T12:00:00Z',
    'region': 'us-east-1',
    'resources': ['arn:aws:events:us-east-1:123456789012:event-bus/orders'],
    detail,
    ...overrides,
  };
}

export const API_KEY = 'test-api-key-0123456789';

/** POSTs a JSON body (a string is sent as is) with the API key, as EventBridge does. */
export async function post(url: string, body: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A JSON body of exactly `bytes` bytes: a delivery whose detail is padded to fit. */
export function bodyOfSize(bytes: number): string {
  const empty = JSON.stringify(delivery('OrderPlaced', { pad: '' }));
  const body = JSON.stringify(delivery('OrderPlaced', { pad: 'x'.repeat(bytes - empty.length) }));
  if (Buffer.byteLength(body) !== bytes) throw new Error(`padding went wrong: ${Buffer.byteLength(body)} bytes`);
  return body;
}

/** Reads a request's body the way Express's `express.json()` does before the receiver runs. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export type { IncomingMessage, ServerResponse };
