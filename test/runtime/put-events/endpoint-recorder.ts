// Where PutEvents requests go, recorded without DNS or TLS: agents that open every connection to
// one loopback server; and the environment the SDK reads endpoint settings from, set for a case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect, AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen } from './sdk';

/** A request as it reached the recorder: the host it was meant for and its path. */
export interface Arrival {
  readonly host: string;
  readonly path: string;
}

/**
 * A loopback server answering every PutEvents request with one EventId per entry (`e-0`,
 * `e-1`, ...), and agents that connect any host (`events-fips.us-east-1.amazonaws.com:443`,
 * `custom.test:4000`, ...) to it in plain HTTP: the `Host` header and the path say where the
 * request was sent. `url` reaches the server itself.
 */
export async function endpointRecorder(): Promise<{
  arrivals: Arrival[];
  agents: { http: HttpAgent; https: HttpsAgent };
  url: string;
  close(): Promise<void>;
}> {
  const arrivals: Arrival[] = [];
  const { server, endpoint } = await listen((req, res, body) => {
    arrivals.push({ host: String(req.headers.host), path: String(req.url) });
    const entries = (JSON.parse(body) as { Entries: unknown[] }).Entries;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_e, i) => ({ EventId: `e-${i}` })) }));
  });
  const { port } = server.address() as AddressInfo;
  const toLoopback = (): Socket => connect(port, '127.0.0.1');
  class LoopbackHttpAgent extends HttpAgent {
    public createConnection(): Socket {
      return toLoopback();
    }
  }
  class LoopbackHttpsAgent extends HttpsAgent {
    public createConnection(): Socket {
      return toLoopback();
    }
  }
  const agents = { http: new LoopbackHttpAgent({ keepAlive: false }), https: new LoopbackHttpsAgent({ keepAlive: false }) };
  return {
    arrivals,
    agents,
    url: endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        agents.http.destroy();
        agents.https.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `body` with these environment variables set (and `undefined` ones removed), then puts
 * the environment back as it was.
 */
export async function withEnvironment<T>(env: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Every variable the SDK reads for an endpoint or a profile: unset unless a case sets it. */
export const ENDPOINT_VARIABLES_UNSET: Readonly<Record<string, undefined>> = {
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_EVENTBRIDGE: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  AWS_USE_FIPS_ENDPOINT: undefined,
  AWS_USE_DUALSTACK_ENDPOINT: undefined,
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
};

/**
 * Runs `body` in an environment of `env` alone among the endpoint variables (the rest unset),
 * with a shared config file of `config` (empty: none of its settings, as in Lambda) and no
 * shared credentials file; the files are removed afterwards.
 */
export async function withEndpointSettings<T>(env: Record<string, string>, config: string, body: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-settings-'));
  try {
    writeFileSync(join(dir, 'config'), config);
    const files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
    return await withEnvironment({ ...ENDPOINT_VARIABLES_UNSET, ...env, ...files }, body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
