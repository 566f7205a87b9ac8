/**
 * Requests/s of the connector's HTTP receiver against a bare node:http handler that checks the
 * key in constant time and parses the JSON: 50 keep-alive connections on loopback, both servers in
 * one child process, driven by a minimal raw-socket client (so the client costs little), variants
 * interleaved, median taken.
 */
import { connect, Socket } from 'node:net';
import { median, startChild, stopChild } from './processes';
import { BENCH_API_KEY } from './receiver-bench-key';

export interface ReceiverThroughputResult {
  readonly requestsPerRun: number;
  readonly rounds: number;
  readonly connections: number;
  readonly requestsPerSecond: { receiver: number; bare: number };
  /** Median over rounds of the round's receiver / bare ratio. */
  readonly ratio: number;
  readonly perRound: number[];
}

const BODY = JSON.stringify({
  'version': '0',
  'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'OrderPlaced',
  'source': 'com.example.orders',
  'account': '123456789012',
  'time': '2026-11-29T00:00:00Z',
  'region': 'us-east-1',
  'resources': [],
  'detail': { orderId: 'o-1', amount: 42, items: ['a', 'b', 'c'] },
});

function request(port: number): Buffer {
  return Buffer.from([
    'POST /events HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(BODY)}`, `x-api-key: ${BENCH_API_KEY}`, '', BODY,
  ].join('\r\n'));
}

/** Sends `count` requests over `connections` keep-alive sockets, one in flight per socket. */
async function drive(port: number, count: number, connections: number): Promise<void> {
  const payload = request(port);
  let sent = 0;
  await Promise.all(Array.from({ length: connections }, () => new Promise<void>((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffer = '';
    const next = () => {
      if (sent >= count) {
        socket.end();
        resolve();
        return;
      }
      sent++;
      socket.write(payload);
    };
    socket.on('connect', next);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.startsWith('HTTP/1.1 200')) return reject(new Error(`unexpected answer: ${buffer.slice(0, 80)}`));
        const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.slice(end + 4 + length);
        next();
      }
    });
  })));
}

export async function measureReceiverThroughput(requestsPerRun = 20_000, rounds = 9, connections = 50): Promise<ReceiverThroughputResult> {
  const { child, info } = await startChild<{ receiverPort: number; barePort: number }>('bench/receiver-server-process.ts');
  try {
    const samples = { receiver: [] as number[], bare: [] as number[] };
    const variants: Array<[keyof typeof samples, number]> = [['receiver', info.receiverPort], ['bare', info.barePort]];
    for (let r = -1; r < rounds; r++) {
      for (let v = 0; v < variants.length; v++) {
        const [name, port] = variants[(v + Math.max(r, 0)) % variants.length];
        const start = process.hrtime.bigint();
        await drive(port, requestsPerRun, connections);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (r >= 0) samples[name].push(requestsPerRun / seconds); // round -1 warms up
      }
    }
    const rps = { receiver: median(samples.receiver), bare: median(samples.bare) };
    // Within a round the two ran seconds apart: the median of the rounds' ratios (see throughput.ts).
    const perRound = samples.receiver.map((receiver, i) => receiver / samples.bare[i]);
    return { requestsPerRun, rounds, connections, requestsPerSecond: rps, ratio: median(perRound), perRound };
  } finally {
    await stopChild(child);
  }
}

