/**
 * An IMDSv2-compatible credentials endpoint on 127.0.0.1, as the helper's `serve` runs it: every
 * AWS SDK and the AWS CLI read it through AWS_EC2_METADATA_SERVICE_ENDPOINT with no other
 * configuration. Tokens come from `PUT /latest/api/token` (TTL 1 to 21600 s) and are required
 * on every GET; credentials come from the provider, which caches and refreshes them before they
 * expire with one CreateSession in flight.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { CredentialProvider } from '../runtime/types';

export const DEFAULT_IMDS_PORT = 9911;
const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const MAX_TTL_SECONDS = 21600;
/**
 * At most 256 unexpired tokens, as the helper keeps. When full, expired ones are dropped; if none
 * has expired a new token is refused (503) rather than evicting one a client still holds.
 */
export const MAX_TOKENS = 256;

/** After a failed refresh, GETs answer 500 without asking again for 1 s, doubling to 60 s. */
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

export interface ImdsServerOptions {
  /** The role name the endpoint lists (the role ARN's last path segment). */
  readonly roleName: string;
  readonly credentials: CredentialProvider;
  /** @default 9911, the helper's default; 0 for a free port */
  readonly port?: number;
  /** @default - the system clock */
  readonly clock?: () => number;
  /** Hears a line per failed credential refresh. */
  readonly onError?: (message: string) => void;
}

export interface ImdsServer {
  /** `http://127.0.0.1:<port>/`: the value for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startImdsServer(options: ImdsServerOptions): Promise<ImdsServer> {
  const clock = options.clock ?? Date.now;
  const tokens = new Map<string, number>();
  let failures = 0;
  let port = 0;
  let retryAt = 0;

  const text = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  /** The token's remaining seconds, or undefined after answering 401 as IMDSv2 does. */
  const checkToken = (req: IncomingMessage, res: ServerResponse): number | undefined => {
    const token = req.headers[TOKEN_HEADER];
    const expires = typeof token === 'string' ? tokens.get(token) : undefined;
    if (expires === undefined || expires <= clock()) {
      if (expires !== undefined) tokens.delete(token as string);
      text(res, 401, token === undefined ? 'no token provided' : 'invalid token provided');
      return undefined;
    }
    return Math.floor((expires - clock()) / 1000);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a web page served from another name that resolves to 127.0.0.1 sends its own Host.
    if (!isLoopbackHost(req.headers.host, port)) return text(res, 403, 'forbidden: expected a Host header of 127.0.0.1, localhost or [::1] (with this port)');
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (path === TOKEN_PATH) {
      if (req.method !== 'PUT') return text(res, 405, '', { Allow: 'PUT' });
      if (req.headers['x-forwarded-for'] !== undefined) return text(res, 400, 'unable to process requests with X-Forwarded-For header');
      const raw = req.headers[TTL_HEADER];
      // IMDSv2 requires the TTL header: a PUT without one is a 400, not a 6-hour token.
      if (raw === undefined) return text(res, 400, 'missing token TTL header X-aws-ec2-metadata-token-ttl-seconds');
      const ttl = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(ttl >= 1 && ttl <= MAX_TTL_SECONDS)) return text(res, 400, 'invalid token TTL');
      if (tokens.size >= MAX_TOKENS) {
        const now = clock();
        for (const [token, expires] of tokens) if (expires <= now) tokens.delete(token);
        if (tokens.size >= MAX_TOKENS) return text(res, 503, `too many tokens: at most ${MAX_TOKENS} unexpired tokens are kept; retry when one expires`);
      }
      const token = randomBytes(75).toString('base64').slice(0, 100);
      tokens.set(token, clock() + ttl * 1000);
      return text(res, 200, token, { [TTL_HEADER]: String(ttl) });
    }
    if (path === CREDENTIALS_PATH || path === `${CREDENTIALS_PATH}/${options.roleName}`) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, '', { Allow: 'GET' });
      const ttl = checkToken(req, res);
      if (ttl === undefined) return undefined;
      if (path === CREDENTIALS_PATH) return text(res, 200, options.roleName, { [TTL_HEADER]: String(ttl) });
      if (clock() < retryAt) return text(res, 500, 'failed to get credentials');
      let body: string;
      try {
        const c = await options.credentials();
        failures = 0;
        body = JSON.stringify({
          Code: 'Success',
          Type: 'AWS-HMAC',
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: c.expiration?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          LastUpdated: new Date(clock()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        });
      } catch (e) {
        // Back off: a failing CreateSession (or one answering stale credentials) is not asked again on every GET.
        const backoffMs = Math.min(MIN_BACKOFF_MS * 2 ** failures++, MAX_BACKOFF_MS);
        retryAt = clock() + backoffMs;
        options.onError?.(`cannot get credentials: ${(e as Error).message}; next try in ${backoffMs / 1000} s`);
        return text(res, 500, 'failed to get credentials');
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [TTL_HEADER]: String(ttl) });
      return res.end(body);
    }
    return text(res, 404, 'not found');
  };

  const server = createServer((req, res) => void handle(req, res));
  // Bounded waits: SDKs ask in one short request, nothing here is long-lived.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot listen on 127.0.0.1:${options.port ?? DEFAULT_IMDS_PORT}: ${e.message}`)));
    server.listen(options.port ?? DEFAULT_IMDS_PORT, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    port,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `127.0.0.1`, `localhost` or `[::1]`, bare or with the port the server listens on. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const value = host.toLowerCase();
  if (LOOPBACK_NAMES.has(value)) return true;
  const colon = value.lastIndexOf(':');
  return colon > 0 && LOOPBACK_NAMES.has(value.slice(0, colon)) && value.slice(colon + 1) === String(port);
}
