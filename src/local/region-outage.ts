/**
 * A regional outage on loopback: a reverse proxy in front of moto or a loopback service that
 * passes requests on, except those signed for a region marked down (the region of the
 * `Authorization` header's credential scope, SigV4 or Roles Anywhere's X.509 signature alike),
 * which get 503 `ServiceUnavailable` as from a service in trouble. One proxy in front of moto
 * takes a region's SSM, SQS and EventBridge down together; one in front of the loopback Roles
 * Anywhere service its CreateSession.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOutageProxyTarget } from './global-endpoint-options';

export interface RegionOutageProxy {
  /** `http://127.0.0.1:<port>`, used instead of the target's URL. */
  readonly endpoint: string;
  /** Requests refused because their region was down, per region. */
  readonly refused: Readonly<Record<string, number>>;
  /** Requests passed on, per region (`unsigned` for requests without a credential scope). */
  readonly passed: Readonly<Record<string, number>>;
  /** Marks a region down (`true`) or up again. */
  setDown(region: string, down: boolean): void;
  stop(): Promise<void>;
}

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//;

export async function startRegionOutageProxy(options: { readonly target: string }): Promise<RegionOutageProxy> {
  checkOutageProxyTarget(options?.target);
  const target = new URL(options.target);
  const down = new Set<string>();
  const refused: Record<string, number> = {};
  const passed: Record<string, number> = {};

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    const authorization = req.headers.authorization;
    const region = typeof authorization === 'string' ? SCOPE.exec(authorization)?.[1] : undefined;
    if (region !== undefined && down.has(region)) {
      refused[region] = (refused[region] ?? 0) + 1;
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({ __type: 'ServiceUnavailable', message: `the region ${region} is down (a loopback outage)` });
        res.writeHead(503, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body), 'x-amzn-ErrorType': 'ServiceUnavailable' });
        res.end(body);
      });
      return;
    }
    const key = region ?? 'unsigned';
    passed[key] = (passed[key] ?? 0) + 1;
    const upstream = httpRequest({
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      timeout: 60_000,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('upstream did not answer within 60 s')));
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    refused,
    passed,
    setDown(region, isDown) {
      if (isDown) down.add(region);
      else down.delete(region);
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
