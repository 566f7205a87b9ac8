import { domainToASCII } from 'node:url';
import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { resourceNamePrefixProblem } from '../access/validation';
import { checkParameterPath, GENERATED_NAME_LENGTH, quote } from '../contract';
import type { ConnectorReceiverProps } from './receiver-props';

/** Bounds EventBridge puts on the receiving path; the messages below quote them. */
const RATE_LIMIT_RANGE = { min: 1, max: 300 } as const;
const RETRY_ATTEMPTS_RANGE = { min: 0, max: 185 } as const;
const MAX_EVENT_AGE_SECONDS_RANGE = { min: 60, max: 86400 } as const;
const MAX_ENDPOINT_LENGTH = 2048;
const MAX_HEADER_NAME_LENGTH = 512;
export { GENERATED_NAME_LENGTH };

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Throws on the first invalid prop; values that are unresolved tokens are left to deployment. */
export function validateReceiverProps(props: ConnectorReceiverProps): void {
  const problem =
    checkEndpoint(props.endpoint) ??
    optional(props.parameterPath, checkParameterPath) ??
    checkEventPattern(props.eventPattern) ??
    optional(props.apiKeyHeaderName, checkHeaderName) ??
    checkIntegerInRange('rateLimitPerSecond', props.rateLimitPerSecond, RATE_LIMIT_RANGE, 'invocations per second') ??
    checkHttpMethod(props.httpMethod) ??
    checkIntegerInRange('retryAttempts', props.retryAttempts, RETRY_ATTEMPTS_RANGE, 'attempts') ??
    checkMaxEventAge(props) ??
    checkDeadLetterQueue(props) ??
    (props.resourceNamePrefix === undefined ? undefined : resourceNamePrefixProblem(props.resourceNamePrefix));
  if (problem) throw new Error(problem);
}

function optional(value: string | undefined, check: (v: string) => string | undefined): string | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : check(value);
}

/**
 * The pattern CloudFormation and CreateApiDestination give `InvocationEndpoint`: percent escapes
 * and URL characters only, so no whitespace, control characters, `#`, quotes or brackets.
 */
const INVOCATION_ENDPOINT = /^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?$/;

/**
 * Checks the endpoint as it will be written (the raw string), not a parsed form of it: `new URL`
 * drops an empty fragment and trims whitespace that the template would keep.
 */
function checkEndpoint(endpoint: string): string | undefined {
  if (Token.isUnresolved(endpoint)) return undefined;
  const expected = 'expected an https:// URL such as https://app.example.com/events';
  if (endpoint.length > MAX_ENDPOINT_LENGTH) {
    return `invalid endpoint ${quote(endpoint)}: ${endpoint.length} characters, at most ${MAX_ENDPOINT_LENGTH} allowed`;
  }
  const hostProblem = checkEndpointAuthority(endpoint);
  if (hostProblem) return hostProblem;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `invalid endpoint ${quote(endpoint)}: ${expected}`;
  }
  if (url.username || url.password || /^[^/]*\/\/[^/?#]*@/.test(endpoint)) {
    // EventBridge would store them in plain text on the API destination; the key belongs in the connection.
    return `invalid endpoint ${quote(`${url.protocol}//***@${url.host}${url.pathname}`)}: credentials in the URL are not allowed, the API key travels in a header`;
  }
  if (!endpoint.startsWith('https://')) {
    return `invalid endpoint ${quote(endpoint)}: API destinations only call HTTPS endpoints, ${expected} (lower-case scheme, as written)`;
  }
  if (endpoint.includes('#')) {
    return `invalid endpoint ${quote(endpoint)}: a fragment is never sent to the server, expected a URL without '#'`;
  }
  if (!INVOCATION_ENDPOINT.test(endpoint)) {
    return `invalid endpoint ${quote(endpoint)}: expected only URL characters (no whitespace, control characters, quotes or brackets; percent-encode them), the InvocationEndpoint pattern of CloudFormation`;
  }
  return undefined;
}

/** DNS: labels of 1 to 63 letters, digits and inner hyphens, at most 253 characters in all (RFC 1035, RFC 1123). */
const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOST_LENGTH = 253;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The host and port of an https:// endpoint as written: a DNS name of ASCII labels or an IP
 * IPv4 literal, and a port from 1 to 65535. `new URL` would accept `https:///e` (host `e`), empty
 * labels and a trailing dot, and convert a Unicode host that CloudFormation refuses.
 */
function checkEndpointAuthority(endpoint: string): string | undefined {
  if (!endpoint.startsWith('https://')) return undefined;
  const authority = /^https:\/\/([^/?#]*)/.exec(endpoint)![1];
  // Credentials are refused, without echoing them, by the checks that follow.
  if (authority.includes('@')) return undefined;
  const bad = (why: string) => `invalid endpoint ${quote(endpoint)}: ${why}`;
  const ipv6 = /^\[([^\]]*)\](?::(.*))?$/.exec(authority);
  const [, host, port] = ipv6 ? [authority, `[${ipv6[1]}]`, ipv6[2]] : /^([^:]*)(?::(.*))?$/.exec(authority)!;
  if (port !== undefined) {
    const number = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (!(number >= 1 && number <= 65535)) return bad(`port ${quote(port)}, expected a port from 1 to 65535`);
  }
  if (host.length === 0) return bad('no host, expected a host name after https:// such as https://app.example.com/events');
  if (ipv6) return bad(`host ${quote(host)} is an IPv6 literal, expected a DNS name or an IPv4 address (the InvocationEndpoint pattern of CloudFormation allows no brackets)`);
  const ipv4 = IPV4.exec(host);
  if (ipv4) {
    return ipv4.slice(1).every((octet) => Number(octet) <= 255) ? undefined : bad(`host ${quote(host)}, expected an IPv4 address of four numbers from 0 to 255`);
  }
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host);
    return bad(`host ${quote(host)} is not ASCII, expected the host name in punycode${ascii ? ` (${quote(ascii)})` : ' (xn--...)'}`);
  }
  if (host.endsWith('.')) return bad(`host ${quote(host)} ends with '.', expected the host name without the trailing dot`);
  if (host.length > MAX_HOST_LENGTH || !host.split('.').every((label) => DNS_LABEL.test(label))) {
    return bad(`host ${quote(host)}, expected a DNS name: labels of 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a hyphen, separated by '.', at most ${MAX_HOST_LENGTH} characters in all`);
  }
  return undefined;
}

function checkHeaderName(name: string): string | undefined {
  if (!HEADER_TOKEN.test(name) || name.length > MAX_HEADER_NAME_LENGTH) {
    return `invalid apiKeyHeaderName ${quote(name)}: expected an HTTP header name such as x-api-key (1 to ${MAX_HEADER_NAME_LENGTH} letters, digits and !#$%&'*+-.^_\`|~)`;
  }
  return undefined;
}

function checkEventPattern(pattern: events.EventPattern | undefined): string | undefined {
  if (pattern === undefined) return undefined;
  const fields = Object.entries(pattern).filter(([, v]) => v !== undefined);
  if (fields.length === 0) {
    return 'invalid eventPattern {}: EventBridge requires at least one field; leave eventPattern out to receive every event on the bus';
  }
  return undefined;
}

function checkIntegerInRange(
  prop: string,
  value: number | undefined,
  range: { readonly min: number; readonly max: number },
  unit: string,
): string | undefined {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    return `invalid ${prop} ${value}: expected a whole number of ${unit} from ${range.min} to ${range.max}`;
  }
  return undefined;
}

function checkHttpMethod(method: events.HttpMethod | undefined): string | undefined {
  if (method === undefined || Token.isUnresolved(method)) return undefined;
  const methods = Object.values(events.HttpMethod) as string[];
  if (!methods.includes(method)) {
    return `invalid httpMethod ${quote(method)}: expected one of ${methods.join(', ')}`;
  }
  return undefined;
}

function checkMaxEventAge(props: ConnectorReceiverProps): string | undefined {
  const age = props.maxEventAge;
  if (age === undefined || age.isUnresolved()) return undefined;
  const seconds = age.toSeconds({ integral: false });
  const { min, max } = MAX_EVENT_AGE_SECONDS_RANGE;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    const shown = age.toHumanString() === `${seconds} seconds` ? age.toHumanString() : `${age.toHumanString()} (${seconds} seconds)`;
    return `invalid maxEventAge ${shown}: expected a whole number of seconds from ${min} (1 minute) to ${max} (24 hours)`;
  }
  return undefined;
}

function checkDeadLetterQueue(props: ConnectorReceiverProps): string | undefined {
  const queue = props.deadLetterQueue;
  if (queue?.fifo) {
    return `invalid deadLetterQueue '${queue.node.path}': EventBridge sends undelivered events only to standard queues, not FIFO queues`;
  }
  return undefined;
}
