// The HTTP contenders in a process of their own, side by side: the connector's receiver, the
// bare node:http handler a user would write (key checked in constant time, JSON parsed), and the
// same bare handler with the two per-request savings the receiver makes.
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_API_KEY } from './receiver-bench-key';
import { createReceiver } from '../src/runtime/receiver';

export type ReceiverContender = 'receiver' | 'bare' | 'tunedBare';

const expected = createHash('sha256').update(BENCH_API_KEY).digest();

function answer(res: ServerResponse, event: Record<string, unknown>): void {
  const body = JSON.stringify({ status: 'handled', id: event.id, detailType: event['detail-type'] });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** As most people write it: a Hash object for the digest, the chunks joined with Buffer.concat. */
function bare(req: IncomingMessage, res: ServerResponse): void {
  const key = req.headers['x-api-key'];
  const ok = typeof key === 'string' && timingSafeEqual(createHash('sha256').update(key).digest(), expected);
  if (!ok) {
    res.writeHead(403).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => answer(res, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
}

/** With the receiver's savings: the one-shot `crypto.hash`, and no copy of a body that came in one chunk. */
function tunedBare(req: IncomingMessage, res: ServerResponse): void {
  const key = req.headers['x-api-key'];
  const ok = typeof key === 'string' && timingSafeEqual(hash('sha256', key, 'buffer') as unknown as Buffer, expected);
  if (!ok) {
    res.writeHead(403).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => answer(res, JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8')) as Record<string, unknown>));
}

void (async () => {
  const receiver = createReceiver({ apiKey: BENCH_API_KEY });
  let sink = 0;
  receiver.on<{ amount: number }>('OrderPlaced', (event) => {
    sink += event.detail.amount;
  });
  const handlers: Record<ReceiverContender, (req: IncomingMessage, res: ServerResponse) => unknown> = { receiver: receiver.handle, bare, tunedBare };
  const ports: Partial<Record<ReceiverContender, number>> = {};
  const servers = Object.entries(handlers).map(([name, handler]) => {
    const server = createServer(handler);
    return { name: name as ReceiverContender, server };
  });
  for (const { name, server } of servers) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ports[name] = (server.address() as AddressInfo).port;
  }
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  process.on('SIGTERM', () => {
    if (sink < 0) process.stderr.write('unreachable\n');
    for (const { server } of servers) server.closeAllConnections();
    process.exit(0);
  });
})();
