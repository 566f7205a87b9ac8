import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** moto accepts any static credentials until it is told to check them. */
export const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const REGION = 'us-east-1';

/**
 * An EventBridge client that records the name of every command it sends, so a test can say
 * which calls an activity made (and which it did not).
 */
export function recordingEventBridge(endpoint: string): { client: EventBridgeClient; commands: string[] } {
  const client = new EventBridgeClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, commands };
}

/**
 * A loopback proxy in front of moto that pages ListEventBuses as AWS does (moto returns every
 * bus at once, ignoring Limit and NextToken), so paging is exercised over real HTTP.
 */
export async function pagingProxy(target: string, pageSize: number): Promise<{ url: string; pagesServed: () => number; close(): Promise<void> }> {
  let pages = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
    let text = await upstream.text();
    if (req.headers['x-amz-target'] === 'AWSEvents.ListEventBuses' && upstream.ok) {
      const request = JSON.parse(body) as { NextToken?: string };
      const all = (JSON.parse(text) as { EventBuses: unknown[] }).EventBuses;
      const start = request.NextToken ? Number(request.NextToken) : 0;
      const end = start + pageSize;
      pages++;
      text = JSON.stringify({ EventBuses: all.slice(start, end), ...(end < all.length && { NextToken: String(end) }) });
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/x-amz-json-1.1' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pagesServed: () => pages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An IAM user with an access key in moto, created through IAM's query API (the repository has no
 * IAM client): moto's GetCallerIdentity then names this user for this key.
 */
export async function createIamUser(endpoint: string, userName: string): Promise<{ arn: string; accessKeyId: string; secretAccessKey: string }> {
  const call = async (params: Record<string, string>): Promise<string> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // moto routes by the service in the credential scope and, until told to, checks nothing else.
        'authorization': `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20240101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`IAM ${params.Action} failed: ${text}`);
    return text;
  };
  const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1] ?? '';
  const user = await call({ Action: 'CreateUser', UserName: userName });
  const key = await call({ Action: 'CreateAccessKey', UserName: userName });
  return { arn: tag(user, 'Arn'), accessKeyId: tag(key, 'AccessKeyId'), secretAccessKey: tag(key, 'SecretAccessKey') };
}
