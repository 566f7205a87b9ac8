/**
 * Requests/s of the connector's HTTP receiver against bare node:http handlers that check the key
 * in constant time and parse the JSON: 50 keep-alive connections to each server on loopback, all
 * servers in one child process, driven by a minimal raw-socket client (so the client costs
 * little). The connections are opened once; rounds are short and rotate the contenders, so the
 * machine's slow drifts (these are shared cores) fall on all of them alike.
 */
import { connect, Socket } from 'node:net';
import { median, startChild, stopChild } from './processes';
import { BENCH_API_KEY } from './receiver-bench-key';
import type { ReceiverContender } from './receiver-server-process';

export interface ReceiverThroughputResult {
  readonly requestsPerRound: number;
  readonly rounds: number;
  readonly connections: number;
  /** Median requests/s of each contender over the rounds. */
  readonly requestsPerSecond: Record<ReceiverContender, number>;
  /** Median over rounds of the round's receiver / bare ratio: the goal's figure. */
  readonly ratio: number;
  /** The same against the bare handler written with the receiver's two per-request savings. */
  readonly ratioToTunedBare: number;
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

/** Keep-alive sockets to one server, opened once; `run` sends requests over them, one in flight per socket. */
class Connections {
  private readonly sockets: Socket[] = [];
  private readonly payload: Buffer;
  private sent = 0;
  private count = 0;
  private active = 0;
  private settle?: (error?: Error) => void;

  constructor(private readonly port: number, private readonly size: number) {
    this.payload = Buffer.from([
      'POST /events HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(BODY)}`, `x-api-key: ${BENCH_API_KEY}`, '', BODY,
    ].join('\r\n'));
  }

  public async open(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => new Promise<void>((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.setNoDelay(true);
      let buffer = '';
      socket.once('connect', () => {
        this.sockets.push(socket);
        resolve();
      });
      socket.on('error', (error) => (this.settle ? this.settle(error) : reject(error)));
      socket.on('data', (chunk) => {
        buffer += chunk.toString('latin1');
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          if (!buffer.startsWith('HTTP/1.1 200')) return this.settle?.(new Error(`unexpected answer: ${buffer.slice(0, 80)}`));
          const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
          if (buffer.length < end + 4 + length) return;
          buffer = buffer.slice(end + 4 + length);
          this.next(socket);
        }
      });
    })));
  }

  /** Sends `count` requests; resolves when every answer is in. */
  public run(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sent = 0;
      this.count = count;
      this.active = this.sockets.length;
      this.settle = (error) => (error ? reject(error) : resolve());
      for (const socket of this.sockets) this.next(socket);
    });
  }

  public close(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private next(socket: Socket): void {
    if (this.sent < this.count) {
      this.sent++;
      socket.write(this.payload);
    } else if (--this.active === 0) {
      this.settle?.();
    }
  }
}

const CONTENDERS: readonly ReceiverContender[] = ['receiver', 'bare', 'tunedBare'];

export async function measureReceiverThroughput(requestsPerRound = 4_000, rounds = 60, connections = 50): Promise<ReceiverThroughputResult> {
  const { child, info } = await startChild<Record<ReceiverContender, number>>('bench/receiver-server-process.ts');
  const pools = CONTENDERS.map((name) => new Connections(info[name], connections));
  try {
    for (const pool of pools) {
      await pool.open();
      await pool.run(20_000); // warms up the server's code and the connections
    }
    const samples = CONTENDERS.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < CONTENDERS.length; k++) {
        const i = (k + r) % CONTENDERS.length;
        const start = process.hrtime.bigint();
        await pools[i].run(requestsPerRound);
        samples[i].push(requestsPerRound / (Number(process.hrtime.bigint() - start) / 1e9));
      }
    }
    const [receiver, bare, tunedBare] = samples;
    // Within a round the contenders ran a fraction of a second apart: the median of the rounds'
    // ratios (see throughput.ts).
    const perRound = receiver.map((value, i) => value / bare[i]);
    return {
      requestsPerRound,
      rounds,
      connections,
      requestsPerSecond: { receiver: median(receiver), bare: median(bare), tunedBare: median(tunedBare) },
      ratio: median(perRound),
      ratioToTunedBare: median(receiver.map((value, i) => value / tunedBare[i])),
      perRound,
    };
  } finally {
    for (const pool of pools) pool.close();
    await stopChild(child);
  }
}
