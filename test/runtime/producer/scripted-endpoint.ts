/**
 * A loopback PutEvents endpoint whose answers a test scripts per request (accept every entry,
 * throttle every entry, or never answer), recording when each request arrived and when each
 * connection closed, so a test can tell what reached the wire and when.
 */
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer = 'accept' | 'throttle' | 'hang';

export interface ScriptedEndpoint {
  readonly url: string;
  /** performance.now() of each request's arrival (its headers read). */
  readonly arrivals: number[];
  /** Requests that arrived and are not yet answered or closed. */
  readonly open: number;
  readonly server: Server;
  stop(): Promise<void>;
}

/**
 * @param answer decides each request's answer from its arrival time (performance.now())
 * @param latencyMs time before each answer (the round trip)
 */
export async function startScriptedEndpoint(answer: (arrivedAt: number) => Answer, latencyMs = 20): Promise<ScriptedEndpoint> {
  const arrivals: number[] = [];
  let open = 0;
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    arrivals.push(arrivedAt);
    open++;
    let closed = false;
    res.on('close', () => {
      if (!closed) open--;
      closed = true;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const mode = answer(arrivedAt);
      if (mode === 'hang') return;
      const entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: unknown[] }).Entries;
      const answers = entries.map(() => (mode === 'accept' ? { EventId: randomUUID() } : { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }));
      const body = JSON.stringify({ FailedEntryCount: mode === 'accept' ? 0 : entries.length, Entries: answers });
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID() });
        res.end(body);
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    get open() {
      return open;
    },
    server,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
