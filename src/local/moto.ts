/**
 * Starts moto (a third-party AWS emulator, `pip install 'moto[server]'`) on a free loopback port.
 * The real AWS SDK clients and the runtime talk to it unmodified.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServerOptions {
  /**
   * Number of calls moto serves before it starts checking SigV4 signatures and IAM actions
   * (`INITIAL_NO_AUTH_ACTION_COUNT`).
   * @default - never checks authentication
   */
  readonly initialNoAuthActionCount?: number;
  /** @default - a free port */
  readonly port?: number;
  /** @default 'python3' */
  readonly python?: string;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** The last lines moto wrote to stderr (its request log and tracebacks), for error reports. */
  recentLog(): string;
  /** Clears every resource moto holds. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts moto's server after one change in how it runs, not in what it does: moto evaluates a
 * rule target's input paths with jsonpath-ng, which rebuilds its LALR parser tables for every
 * path of every event (about 100 ms per event delivered to an SQS target here). Caching parsed
 * paths makes rule deliveries about 25 times faster; the parsed paths are immutable.
 */
const LAUNCHER = `
import functools, sys
try:
    import jsonpath_ng.ext as ext
    ext.parse = functools.lru_cache(maxsize=1024)(ext.parse)
except ImportError:
    pass
from moto.server import main
main(sys.argv[1:])
`;

export async function startMoto(options: MotoServerOptions = {}): Promise<MotoServer> {
  const python = options.python ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`moto is not installed for ${python}: run ${python} -m pip install 'moto[server]'`);
  }
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_PORT: String(port) };
  if (options.initialNoAuthActionCount !== undefined) {
    env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.initialNoAuthActionCount);
  }
  const child: ChildProcess = spawn(python, ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-16_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not start on ${endpoint} in time: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    recentLog: () => stderr,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed with HTTP ${res.status}`);
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
