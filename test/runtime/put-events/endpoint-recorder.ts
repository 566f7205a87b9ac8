// Where PutEvents requests go, recorded without DNS or TLS: agents that open every connection to one loopback server.
import { Agent as HttpAgent, createServer, Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect, AddressInfo, Socket } from 'node:net';

/** A request as it reached the recorder: the host it was meant for and its path. */
export interface Arrival {
  readonly host: string;
  readonly path: string;
}

/**
 * A loopback server answering every PutEvents request with one EventId per entry, and agents
 * that connect any host (`events-fips.us-east-1.amazonaws.com:443`, `custom.test:4000`, ...)
 * to it in plain HTTP: the `Host` header and the path say where the request was sent.
 */
export async function endpointRecorder(): Promise<{
  arrivals: Arrival[];
  agents: { http: HttpAgent; https: HttpsAgent };
  url: string;
  close(): Promise<void>;
}> {
  const arrivals: Arrival[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      arrivals.push({ host: String(req.headers.host), path: String(req.url) });
      const entries = (JSON.parse(body) as { Entries: unknown[] }).Entries;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_e, i) => ({ EventId: `e-${i}` })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
    url: `http://127.0.0.1:${port}`,
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
