/**
 * A PutEvents request answered with an HTTP error, in the AWS JSON 1.1 protocol's terms: the code
 * from `X-Amzn-ErrorType`, else the body's `__type` (or `code`), namespace and suffix stripped as
 * the SDK does; the message from `message` or `Message`. An answer without a code (an empty body
 * from a proxy or load balancer) gets one derived from its status, so the cause is never lost.
 */

/**
 * Codes for error answers that carry none, by status. Named as AWS services name these causes,
 * so that retry decisions and callers' branches work alike: 429 is throttling (retried),
 * 5xx are retried, 4xx are final.
 */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequestException',
  401: 'UnauthorizedException',
  403: 'AccessDeniedException',
  404: 'NotFoundException',
  408: 'RequestTimeoutException',
  413: 'RequestEntityTooLargeException',
  429: 'ThrottlingException',
  500: 'InternalFailure',
  502: 'BadGatewayException',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeoutException',
};

/** `ThrottlingException` for 429 and the like; `Http<status>Error` for a status without a usual name. */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? `Http${status}Error`;
}

/** What a request answered with an empty or code-less error body failed with. */
export function statusMessage(status: number): string {
  return `HTTP ${status} with no error code in the response (${codeForStatus(status)} derived from the status)`;
}

/** The rejection of a lean PutEvents request, shaped like the SDK's service exceptions. */
export class PutEventsHttpError extends Error {
  public readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string; clockSkewCorrected?: boolean };
  public readonly $fault: 'client' | 'server';
  /** Set when the SDK would retry regardless of code (the clock skew was just corrected). */
  public $retryable?: { readonly throttling: boolean };

  constructor(code: string, message: string, status: number, requestId?: string) {
    super(message);
    this.name = code;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, ...(requestId !== undefined && { requestId }) };
  }
}

/** Same as the SDK's `sanitizeErrorCode`: `a.b#Code:http://...` -> `Code`. */
function sanitizeCode(raw: string): string {
  let code = raw;
  const comma = code.indexOf(',');
  if (comma >= 0) code = code.slice(0, comma);
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.indexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  return code.trim();
}

/** Builds the error for an answer with status >= 300. */
export function errorFromResponse(status: number, errorTypeHeader: string | undefined, body: string, requestId?: string): PutEventsHttpError {
  let parsed: Record<string, unknown> | undefined;
  if (body.trim() !== '') {
    try {
      const value: unknown = JSON.parse(body);
      if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
  }
  const rawCode = errorTypeHeader ?? text(parsed?.__type) ?? text(parsed?.code) ?? text(parsed?.Code);
  const code = rawCode !== undefined ? sanitizeCode(rawCode) : '';
  const message = text(parsed?.message) ?? text(parsed?.Message) ?? text(parsed?.errorMessage);
  if (code === '') {
    return new PutEventsHttpError(codeForStatus(status), message !== undefined ? `${statusMessage(status)}: ${message}` : statusMessage(status), status, requestId);
  }
  return new PutEventsHttpError(code, message ?? `${code} (HTTP ${status})`, status, requestId);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
