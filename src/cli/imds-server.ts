/**
 * An IMDSv2-compatible credentials endpoint on 127.0.0.1, as the helper's `serve` runs it: every
 * AWS SDK and the AWS CLI read it through AWS_EC2_METADATA_SERVICE_ENDPOINT with no other
 * configuration. Tokens come from `PUT /latest/api/token` (TTL 1 to 21600 s, stateless, see
 * imds-tokens.ts) and are required on every other request; credentials come from the provider,
 * which caches and refreshes them before they expire with one CreateSession in flight. The last
 * good credentials are kept and answered while they are valid whatever a refresh does.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createTokenSigner, MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from './imds-tokens';
import type { AwsCredentials, CredentialProvider } from '../runtime/types';

export const DEFAULT_IMDS_PORT = 9911;
const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';

/** After a failed refresh the provider is not asked again for 1 s, doubling to 60 s. */
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
/**
 * How long a read waits for a refresh when the last good credentials are still valid. Kept well
 * under the SDKs' IMDS timeout (1 s in the JavaScript SDK and botocore), so that a slow or hung
 * CreateSession answers with the last good credentials instead of timing the SDK out.
 */
export const LAST_GOOD_WAIT_MS = 400;

export interface ImdsServerOptions {
  /** The role name the endpoint lists (the role ARN's last path segment). */
  readonly roleName: string;
  readonly credentials: CredentialProvider;
  /** @default 9911, the helper's default; 0 for a free port */
  readonly port?: number;
  /** @default - the system clock */
  readonly clock?: () => number;
  /**
   * Credentials already fetched (serve fetches once at start): the first last good ones, answered
   * if the first refresh fails while they are valid. @default - none until the first read
   */
  readonly initialCredentials?: AwsCredentials;
  /**
   * How long a read waits for a refresh in flight while the last good credentials are valid,
   * in milliseconds. @default LAST_GOOD_WAIT_MS (400)
   */
  readonly lastGoodWaitMs?: number;
  /** Hears a line per failed refresh when no valid credentials are left to answer with. */
  readonly onError?: (message: string) => void;
  /** Hears a line per failed refresh while the last good credentials are still answered. @default - onError */
  readonly onWarning?: (message: string) => void;
  /** Hears a line when a refresh succeeds after failures. */
  readonly onInfo?: (message: string) => void;
}

/** What the endpoint has done since it started. */
export interface ImdsServerStats {
  /** Tokens issued by `PUT /latest/api/token`. */
  readonly tokensIssued: number;
  /** Requests refused 401 for a missing, altered or expired token. */
  readonly unauthorized: number;
  /** Credentials answered (200), fresh or last good. */
  readonly credentialsServed: number;
  /** Of those, answered with the last good credentials because a refresh failed, was backing off or was slower than {@link LAST_GOOD_WAIT_MS}. */
  readonly servedFromLastGood: number;
  /** Calls to the provider that failed, or answered credentials that are empty or expired. */
  readonly refreshFailures: number;
  /** Credentials reads answered 500: no valid credentials to answer with. */
  readonly unavailable: number;
}

export interface ImdsServer {
  /** `http://127.0.0.1:<port>/`: the value for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  readonly endpoint: string;
  readonly port: number;
  stats(): ImdsServerStats;
  stop(): Promise<void>;
}

export async function startImdsServer(options: ImdsServerOptions): Promise<ImdsServer> {
  const clock = options.clock ?? Date.now;
  const tokens = createTokenSigner(clock);
  const warn = options.onWarning ?? options.onError;
  const lastGoodWaitMs = options.lastGoodWaitMs ?? LAST_GOOD_WAIT_MS;
  const stats = { tokensIssued: 0, unauthorized: 0, credentialsServed: 0, servedFromLastGood: 0, refreshFailures: 0, unavailable: 0 };
  let lastGood: AwsCredentials | undefined = options.initialCredentials;
  let servedFromLastGoodBefore = 0;
  let refreshing: Promise<AwsCredentials> | undefined;
  let failures = 0;
  let port = 0;
  let retryAt = 0;

  /** Why these credentials must not be answered, or undefined when they may. */
  const unusable = (c: AwsCredentials | undefined): string | undefined => {
    if (!c || typeof c.accessKeyId !== 'string' || c.accessKeyId === '' || typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
      return 'the provider answered empty credentials';
    }
    if (c.expiration !== undefined && !(c.expiration.getTime() > clock())) return `the provider answered credentials that expired at ${iso(c.expiration)}`;
    return undefined;
  };
  const valid = (c: AwsCredentials | undefined): c is AwsCredentials => unusable(c) === undefined;

  /** One provider call at a time; a failure sets the backoff and is reported once, however many reads wait. */
  const refresh = (): Promise<AwsCredentials> => {
    refreshing ??= (async () => {
      try {
        const c = await options.credentials();
        const problem = unusable(c);
        if (problem) throw new Error(problem);
        lastGood = c;
        if (failures > 0) {
          options.onInfo?.(`credentials refreshed after ${failures} failed ${failures === 1 ? 'try' : 'tries'}; ${stats.servedFromLastGood - servedFromLastGoodBefore} reads were answered with the last good credentials meanwhile`);
        }
        failures = 0;
        return c;
      } catch (e) {
        if (failures === 0) servedFromLastGoodBefore = stats.servedFromLastGood;
        stats.refreshFailures++;
        const backoffMs = Math.min(MIN_BACKOFF_MS * 2 ** failures++, MAX_BACKOFF_MS);
        const now = clock();
        // Try again before the last good credentials run out, not after.
        const expires = valid(lastGood) ? lastGood.expiration?.getTime() : undefined;
        retryAt = expires !== undefined ? Math.min(now + backoffMs, Math.max(now, expires - MIN_BACKOFF_MS)) : now + backoffMs;
        const next = `next try in ${Math.ceil((retryAt - now) / 1000)} s`;
        const why = (e as Error).message;
        if (valid(lastGood)) {
          const left = lastGood.expiration ? `, which expire at ${iso(lastGood.expiration)} (in ${Math.floor((lastGood.expiration.getTime() - now) / 1000)} s)` : '';
          warn?.(`cannot refresh credentials (failed try ${failures}): ${why}; answering with the last good credentials${left}; ${next}`);
        } else {
          options.onError?.(`cannot get credentials (failed try ${failures}): ${why}; ${next}`);
        }
        throw e;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  /** The credentials to answer with, and whether they are the last good ones; undefined when there are none. */
  const credentialsForRead = async (): Promise<{ credentials: AwsCredentials; fromLastGood: boolean } | undefined> => {
    const fallback = () => (valid(lastGood) ? { credentials: lastGood, fromLastGood: true } : undefined);
    if (clock() < retryAt) return fallback();
    const pending = refresh().then((credentials) => ({ credentials, fromLastGood: false }), () => undefined);
    if (!valid(lastGood)) return pending;
    let timer: NodeJS.Timeout | undefined;
    const waitedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), lastGoodWaitMs)));
    const waited = await Promise.race([pending, waitedOut]);
    clearTimeout(timer);
    return waited ?? fallback();
  };

  const text = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  const putToken = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'PUT') return text(res, 405, '', { Allow: 'PUT' });
    // IMDSv2 issues no token to a request that came through a proxy (EC2 User Guide, "How IMDSv2 works").
    if (req.headers['x-forwarded-for'] !== undefined) return text(res, 400, 'unable to process requests with X-Forwarded-For header');
    const raw = req.headers[TTL_HEADER];
    // IMDSv2 requires the TTL header: a PUT without one is a 400, not a 6-hour token.
    if (raw === undefined) return text(res, 400, 'missing token TTL header X-aws-ec2-metadata-token-ttl-seconds');
    const ttl = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
    if (!(ttl >= MIN_TOKEN_TTL_SECONDS && ttl <= MAX_TOKEN_TTL_SECONDS)) return text(res, 400, 'invalid token TTL');
    stats.tokensIssued++;
    return text(res, 200, tokens.issue(ttl), { [TTL_HEADER]: String(ttl) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a web page served from another name that resolves to 127.0.0.1 sends its own Host.
    if (!isLoopbackHost(req.headers.host, port)) return text(res, 403, 'forbidden: expected a Host header of 127.0.0.1, localhost or [::1] (with this port)');
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (path === TOKEN_PATH) return putToken(req, res);
    // Every other path needs a token first, as IMDSv2 with tokens required answers: 401 before 404.
    const token = req.headers[TOKEN_HEADER];
    const check = typeof token === 'string' ? tokens.check(token) : undefined;
    if (!check) {
      stats.unauthorized++;
      return text(res, 401, token === undefined ? 'no token provided' : 'invalid token provided');
    }
    const ttl = { [TTL_HEADER]: String(check.remainingSeconds) };
    if (path !== CREDENTIALS_PATH && path !== `${CREDENTIALS_PATH}/${options.roleName}`) return text(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, '', { Allow: 'GET' });
    if (path === CREDENTIALS_PATH) return text(res, 200, options.roleName, ttl);
    const answer = await credentialsForRead();
    if (!answer) {
      stats.unavailable++;
      return text(res, 500, 'failed to get credentials');
    }
    stats.credentialsServed++;
    if (answer.fromLastGood) stats.servedFromLastGood++;
    const c = answer.credentials;
    const body = JSON.stringify({
      Code: 'Success',
      Type: 'AWS-HMAC',
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.sessionToken,
      Expiration: c.expiration && iso(c.expiration),
      LastUpdated: iso(new Date(clock())),
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...ttl });
    return res.end(body);
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
    stats: () => ({ ...stats }),
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** `2024-01-01T00:00:00Z`, as IMDS writes times. */
function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
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
