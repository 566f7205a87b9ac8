import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A loopback HTTP proxy that counts the requests it forwards, by X-Amz-Target or path. */
export interface CountingProxy {
  readonly endpoint: string;
  readonly count: number;
  readonly byOperation: Readonly<Record<string, number>>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let byOperation: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`);
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get count() {
      return Object.values(byOperation).reduce((a, b) => a + b, 0);
    },
    get byOperation() {
      return byOperation;
    },
    reset() {
      byOperation = {};
    },
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
