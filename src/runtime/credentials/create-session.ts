/**
 * One IAM Roles Anywhere CreateSession call (DESIGN section 4): `POST /sessions` with the ARNs in
 * the query string, `{"durationSeconds":N}` (and `roleSessionName`) as the body, signed with
 * the client certificate's key. Turns the answer into credentials or a {@link RolesAnywhereError}.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { regionalEndpoint } from '../../contract';
import { escapeBounded, quote } from '../../contract/quote';
import { AwsCredentials } from '../types';
import { RolesAnywhereError } from './errors';
import { keyObjectSigner, X509Signer } from './signer';
import { ROLES_ANYWHERE_SERVICE, signX509RequestWith } from './x509-signature';

/** The part of a fetch `Response` CreateSession reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The part of the global `fetch` CreateSession uses; inject one to observe or fake requests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<FetchResponseLike>;

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The session asked for: where CreateSession goes and what it asks. */
export interface SessionTarget {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  /** The trust anchor's region: the credential scope, and the endpoint unless `endpoint` is set. */
  readonly region: string;
  /** Overrides `https://rolesanywhere.<region>.<dns suffix>`; see {@link checkEndpoint}. */
  readonly endpoint?: string;
  readonly durationSeconds: number;
  readonly roleSessionName?: string;
}

export interface CreateSessionInput extends SessionTarget {
  /** Signs the request; or give `certificate` and `privateKey`. */
  readonly signer?: X509Signer;
  readonly certificate?: X509Certificate;
  readonly privateKey?: KeyObject;
  /** The leaf's issuer first (with `certificate` and `privateKey`). */
  readonly intermediates?: readonly X509Certificate[];
  /** The signing time (`X-Amz-Date`). */
  readonly date: Date;
  /** @default - the global fetch */
  readonly fetch?: FetchLike;
  /** @default 10000 */
  readonly timeoutMs?: number;
  /**
   * Credentials that expire within this many milliseconds of `date` are refused (a session that
   * is already stale would be used, found stale and asked for again at once).
   * @default 0 - refused only when already expired
   */
  readonly minValidityMs?: number;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Says what is wrong with an endpoint override, or returns undefined: an https URL, or an http
 * URL on a loopback address (a local stand-in such as this package's own Roles Anywhere service).
 * Certificates' signatures travel in headers, but the session credentials come back in the body.
 */
export function checkEndpoint(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `invalid endpoint '${endpoint}': expected a URL such as https://rolesanywhere.eu-west-1.amazonaws.com`;
  }
  if (url.search || url.hash || url.username || url.password) {
    return `invalid endpoint '${endpoint}': expected a URL without query, fragment or credentials`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)) return undefined;
  if (url.protocol === 'http:') {
    return `invalid endpoint '${endpoint}': http is allowed on loopback addresses only (localhost, 127.0.0.1, [::1]); expected https`;
  }
  return `invalid endpoint '${endpoint}': expected an https URL`;
}

/** The CreateSession URL, without its query. */
export function sessionsUrl(region: string, endpoint?: string): URL {
  const url = new URL(endpoint ?? regionalEndpoint(ROLES_ANYWHERE_SERVICE, region));
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/sessions`;
  return url;
}

/** SigV4's URI encoding (RFC 3986 unreserved characters stay), so the URL is what was signed. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export async function createSession(input: CreateSessionInput): Promise<AwsCredentials> {
  const url = sessionsUrl(input.region, input.endpoint);
  const query = { profileArn: input.profileArn, roleArn: input.roleArn, trustAnchorArn: input.trustAnchorArn };
  url.search = Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const body = JSON.stringify(input.roleSessionName !== undefined
    ? { durationSeconds: input.durationSeconds, roleSessionName: input.roleSessionName }
    : { durationSeconds: input.durationSeconds });

  const signer = input.signer ?? keyObjectSigner(input.certificate!, input.privateKey!, input.intermediates ?? []);
  const signed = await signX509RequestWith(
    {
      method: 'POST',
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers: { 'Content-Type': 'application/json', 'Host': url.host },
      body,
    },
    signer,
    input.region,
    input.date,
  );

  const endpoint = `${url.origin}${url.pathname}`;
  const timeoutMs = input.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const fetchFn: FetchLike = input.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let text: string;
  let errorType: string | null;
  let requestId: string | undefined;
  try {
    const response = await fetchFn(url.toString(), { method: 'POST', headers: signed.headers, body, signal: controller.signal });
    status = response.status;
    errorType = response.headers.get('x-amzn-errortype');
    requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    text = await response.text();
  } catch (cause) {
    if (controller.signal.aborted) {
      throw new RolesAnywhereError('RequestTimeout', `roles anywhere endpoint ${endpoint} did not answer CreateSession within ${timeoutMs} ms: expected an answer (is the endpoint right?)`, undefined, { endpoint, cause });
    }
    throw new RolesAnywhereError('NetworkError', `cannot reach the roles anywhere endpoint ${endpoint} (${networkReason(cause)}): expected a reachable CreateSession endpoint`, undefined, { endpoint, cause });
  } finally {
    clearTimeout(timer);
  }

  if (status >= 200 && status < 300) return parseSession(text, status, endpoint, requestId, input.date, input.minValidityMs ?? 0);
  throw serviceError(status, errorType, text, endpoint, requestId);
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  return inner?.code ?? inner?.message ?? (cause as Error)?.message ?? String(cause);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseSession(
  text: string, status: number, endpoint: string, requestId: string | undefined, date: Date, minValidityMs: number,
): AwsCredentials {
  const invalid = (what: string) => new RolesAnywhereError('InvalidResponse', `roles anywhere endpoint ${endpoint} answered ${status} with ${what}: expected credentialSet[0].credentials with accessKeyId, secretAccessKey, sessionToken and expiration`, status, { endpoint, requestId });
  const json = parseJson(text);
  if (!json) throw invalid(`a body that is not a JSON object (${quote(text)})`);
  const set = json.credentialSet;
  const credentials = Array.isArray(set) && set.length > 0 ? (set[0] as { credentials?: Record<string, unknown> }).credentials : undefined;
  if (!credentials || typeof credentials !== 'object') throw invalid('no credentialSet[0].credentials');
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = credentials;
  for (const [name, value] of Object.entries({ accessKeyId, secretAccessKey, sessionToken, expiration })) {
    if (typeof value !== 'string' || value === '') throw invalid(`no ${name}`);
  }
  const expires = new Date(expiration as string);
  if (Number.isNaN(expires.getTime())) throw invalid(`expiration ${quote(expiration)}, which is not a date`);
  if (expires.getTime() - date.getTime() <= minValidityMs) {
    const left = Math.round((expires.getTime() - date.getTime()) / 1000);
    throw new RolesAnywhereError('ExpiredCredentials', `roles anywhere endpoint ${endpoint} answered ${status} with credentials that expire at ${expires.toISOString()}, ${left >= 0 ? `${left} s from` : `${-left} s before`} ${date.toISOString()}: expected credentials valid for more than ${Math.round(minValidityMs / 1000)} s (the refresh margin)`, status, { endpoint, requestId });
  }
  return {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
    sessionToken: sessionToken as string,
    expiration: expires,
  };
}

/**
 * The error type comes from `x-amzn-ErrorType` (`AccessDeniedException:http://internal...`) or
 * the body's `code`/`__type` (`com.amazonaws...#ValidationException`), as AWS's JSON protocols
 * send it.
 */
function serviceError(status: number, errorType: string | null, text: string, endpoint: string, requestId: string | undefined): RolesAnywhereError {
  const json = parseJson(text);
  const fromBody = [json?.code, json?.__type].find((v): v is string => typeof v === 'string' && v !== '');
  const raw = errorType?.split(':')[0] || fromBody || '';
  const shaped = raw.split('#').pop()?.trim() ?? '';
  // A server's words go to stderr and logs: the code must look like one, the message is escaped and cut.
  const code = /^[A-Za-z0-9._:-]{1,128}$/.test(shaped) ? shaped : 'UnknownError';
  const message = [json?.message, json?.Message].find((v): v is string => typeof v === 'string');
  const found = message ?? (text.trim() || undefined);
  const serviceMessage = found === undefined ? undefined : escapeBounded(found, 1024);
  return new RolesAnywhereError(
    code,
    `roles anywhere CreateSession at ${endpoint} failed with ${status} ${code}${serviceMessage ? `: ${serviceMessage}` : ''}`,
    status,
    { endpoint, serviceMessage, requestId },
  );
}
