// The two HTTP contenders in a process of their own, side by side: the connector's receiver, and
// the bare node:http handler a user would write (key checked in constant time, JSON parsed).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_API_KEY } from './receiver-bench-key';
import { createReceiver } from '../src/runtime/receiver';


const expected = createHash('sha256').update(BENCH_API_KEY).digest();

function bare(req: IncomingMessage, res: ServerResponse): void {
  const key = req.headers['x-api-key'];
  const ok = typeof key === 'string' && timingSafeEqual(createHash('sha256').update(key).digest(), expected);
  if (!ok) {
    res.writeHead(403).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const body = JSON.stringify({ status: 'handled', id: event.id, detailType: event['detail-type'] });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

void (async () => {
  const receiver = createReceiver({ apiKey: BENCH_API_KEY });
  let sink = 0;
  receiver.on<{ amount: number }>('OrderPlaced', (event) => {
    sink += event.detail.amount;
  });
  const servers = [createServer(receiver.handle), createServer(bare)];
  for (const server of servers) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const [receiverPort, barePort] = servers.map((s) => (s.address() as AddressInfo).port);
  process.stdout.write(`${JSON.stringify({ receiverPort, barePort })}\n`);
  process.on('SIGTERM', () => {
    if (sink < 0) process.stderr.write('unreachable\n');
    for (const server of servers) server.closeAllConnections();
    process.exit(0);
  });
})();
