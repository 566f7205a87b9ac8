/**
 * A PutEvents request answered with an HTTP error, read as the SDK's AWS JSON 1.1 protocol reads
 * it (see {@link readErrorAnswer}), so that both transports give the same code for the same
 * answer. An answer without a code (an empty body from a proxy or load balancer, a body that is
 * not JSON) gets one derived from its status, so the cause is never lost.
 */
import { loadJsonRpcErrorCode } from '@aws-sdk/core/protocols';
import { NOT_JSON, parseErrorBody } from './error-body';
import { definedOnly } from '../../contract/defined-only';

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
    this.$metadata = definedOnly({ httpStatusCode: status, requestId });
  }
}

/** What the SDK's protocol makes of an error answer it cannot name: these mean "no code" and "no message". */
const SDK_PLACEHOLDERS: ReadonlySet<string> = new Set(['', 'Unknown', 'UnknownError']);

/**
 * The rejection of an answered PutEvents request, from the code and message the SDK's protocol
 * read in it (the SDK transport's error, or what {@link readErrorAnswer} gives): the same input
 * makes the same error on both transports. `code` is `undefined` when the SDK could not read the
 * answer (a body that is not JSON, a code field that is not text).
 */
export function answeredError(status: number, code: unknown, message: unknown, requestId?: string): PutEventsHttpError {
  const named = typeof code === 'string' && !SDK_PLACEHOLDERS.has(code) ? code : undefined;
  const said = typeof message === 'string' && !SDK_PLACEHOLDERS.has(message) ? message : undefined;
  if (named === undefined) {
    return new PutEventsHttpError(codeForStatus(status), said !== undefined ? `${statusMessage(status)}: ${said}` : statusMessage(status), status, requestId);
  }
  return new PutEventsHttpError(named, said ?? `${named} (HTTP ${status})`, status, requestId);
}

/** What {@link readErrorAnswer} found: the SDK's code and message, or that only the SDK's protocol itself can say. */
export type ErrorReading = { readonly code: unknown; readonly message: unknown } | 'ask-the-sdk';

/**
 * The code and message the SDK's AWS JSON 1.1 protocol (`AwsJsonRpcProtocol.handleError` in
 * `@aws-sdk/core`) reads in an error answer, for the answers real services give: a JSON object
 * whose `__type`, code and message fields are text. The code is the SDK's own
 * `loadJsonRpcErrorCode`: body `__type` first, then a `code` field of any case, then the
 * `X-Amzn-ErrorType` header, each cut at `,` and `:` and after `#`. The message is the SDK's
 * `message ?? Message`, falling back to `Message` when that is empty. Anything else (a `__type`
 * that is `null`, a number, an array, a body that is a JSON array or string) is `ask-the-sdk`:
 * the caller hands the answer to the SDK client's protocol object itself, rare enough that its
 * cost does not matter.
 */
export function readErrorAnswer(errorTypeHeader: string | undefined, body: string): ErrorReading {
  const data = parseErrorBody(body);
  if (data === NOT_JSON) return { code: undefined, message: undefined };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'ask-the-sdk';
  const fields = data as Record<string, unknown>;
  // The fields the SDK reads the code and message from (and some it does not: those go the slow way too).
  for (const key of Object.keys(fields)) {
    if (key.length !== 4 && key.length !== 6 && key.length !== 7) continue;
    const lower = key.toLowerCase();
    if (lower !== 'code' && lower !== '__type' && lower !== 'message') continue;
    const value = fields[key];
    if (value !== undefined && typeof value !== 'string' && !(lower !== 'message' && typeof value === 'number')) return 'ask-the-sdk';
  }
  const headers: Record<string, string> = errorTypeHeader !== undefined ? { 'x-amzn-errortype': errorTypeHeader } : {};
  const code: unknown = loadJsonRpcErrorCode({ headers } as never, fields);
  if (code !== undefined && typeof code !== 'string') return 'ask-the-sdk';
  const message = (fields.message ?? fields.Message ?? 'UnknownError') || fields.Message || 'UnknownError';
  return { code: code ?? 'Unknown', message };
}
