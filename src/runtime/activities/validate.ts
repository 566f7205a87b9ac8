/** Checks of activity input, made before anything is sent: each returns a message or undefined. */
import { isIP } from 'node:net';
import { parseArn } from '../../contract';
import { InputError } from '../errors';
import { HEADER_NAME, RESOURCE_NAME } from '../names';
import type { ConnectionAuthorization, HttpMethod } from './types';

export const HTTP_METHODS: readonly HttpMethod[] = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
export const RATE_LIMIT = { min: 1, max: 300 } as const;

/** EventBridge's pattern for API key names and values, user names and passwords: no control characters, no ':'. */
const AUTH_VALUE = /^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$/;
const MAX_AUTH_VALUE = 512;
const MAX_DESCRIPTION = 512;
const MAX_ENDPOINT = 2048;

/** Throws the first problem as an {@link InputError}. */
export function check(...problems: Array<string | undefined>): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new InputError(problem);
}

export function checkResourceName(what: string, name: unknown, prefix: string | undefined): string | undefined {
  if (typeof name !== 'string' || !RESOURCE_NAME.test(name)) {
    return `invalid ${what} name '${String(name)}': expected 1 to 64 letters, digits, and . - _`;
  }
  if (prefix !== undefined && !name.startsWith(prefix)) {
    // The connector role may only manage names with the prefix (ResourceNamePrefix in the contract).
    return `invalid ${what} name '${name}': expected a name starting with '${prefix}' (the connector's ResourceNamePrefix)`;
  }
  return undefined;
}

export function checkDescription(description: unknown): string | undefined {
  if (description === undefined) return undefined;
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    return `invalid description: expected a string of at most ${MAX_DESCRIPTION} characters`;
  }
  return undefined;
}

export function checkAuthorization(authorization: ConnectionAuthorization | undefined): string | undefined {
  if (authorization === undefined || typeof authorization !== 'object') {
    return "missing authorization: expected { type: 'API_KEY', apiKeyName, apiKeyValue } or { type: 'BASIC', username, password }";
  }
  switch (authorization.type) {
    case 'API_KEY':
      return checkHeaderName('apiKeyName', authorization.apiKeyName) ?? checkSecretValue('apiKeyValue', authorization.apiKeyValue);
    case 'BASIC':
      return checkAuthValue('username', authorization.username) ?? checkSecretValue('password', authorization.password);
    default:
      return `invalid authorization type '${String((authorization as { type?: unknown }).type)}': expected 'API_KEY' or 'BASIC'`;
  }
}

export function checkHeaderName(what: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_AUTH_VALUE || !HEADER_NAME.test(name)) {
    return `invalid ${what} '${String(name)}': expected an HTTP header name such as x-api-key`;
  }
  return undefined;
}

function checkAuthValue(what: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_AUTH_VALUE || !AUTH_VALUE.test(value)) {
    return `invalid ${what} '${String(value)}': expected 1 to ${MAX_AUTH_VALUE} characters without control characters or ':'`;
  }
  return undefined;
}

/** Like {@link checkAuthValue}, but never shows the value: it is a secret. */
function checkSecretValue(what: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `missing ${what}: expected 1 to ${MAX_AUTH_VALUE} characters`;
  if (value.length > MAX_AUTH_VALUE || !AUTH_VALUE.test(value)) {
    return `invalid ${what} (${value.length} characters, not shown): expected 1 to ${MAX_AUTH_VALUE} characters without control characters or ':'`;
  }
  return undefined;
}

export function checkHttpMethod(method: unknown): string | undefined {
  if (method === undefined || HTTP_METHODS.includes(method as HttpMethod)) return undefined;
  return `invalid httpMethod '${String(method)}': expected one of ${HTTP_METHODS.join(', ')}`;
}

export function checkRateLimit(rate: unknown): string | undefined {
  if (rate === undefined) return undefined;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < RATE_LIMIT.min || rate > RATE_LIMIT.max) {
    return `invalid rateLimitPerSecond ${String(rate)}: expected a whole number from ${RATE_LIMIT.min} to ${RATE_LIMIT.max}`;
  }
  return undefined;
}

/**
 * EventBridge calls https endpoints only. Plain http is let through for loopback hosts, where
 * local stand-ins for EventBridge (tests, the demo) deliver.
 */
export function checkEndpoint(endpoint: unknown): string | undefined {
  const expected = 'expected an https URL such as https://app.example.com/events (http only on a loopback host)';
  if (typeof endpoint !== 'string' || endpoint.length === 0) return `missing endpoint: ${expected}`;
  if (endpoint.length > MAX_ENDPOINT) return `invalid endpoint '${endpoint.slice(0, 40)}...': ${endpoint.length} characters, at most ${MAX_ENDPOINT}`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `invalid endpoint '${endpoint}': ${expected}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return `invalid endpoint '${endpoint}': ${expected}`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function checkConnectionArn(arn: unknown): string | undefined {
  const parts = typeof arn === 'string' ? parseArn(arn) : undefined;
  if (!parts || parts.service !== 'events' || !parts.resource.startsWith('connection/')) {
    return `invalid connectionArn '${String(arn)}': expected a connection ARN such as arn:aws:events:eu-west-1:123456789012:connection/name/<id>`;
  }
  return undefined;
}
