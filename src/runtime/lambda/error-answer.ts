/**
 * The code and message of a PutEvents error answer as the SDK's AWS JSON 1.1 protocol reads them
 * (`AwsJsonRpcProtocol.handleError` with `loadJsonRpcErrorCode` of `@smithy/core`), without
 * loading the SDK: the Lambda entry's reader for lean-http.ts. Body `__type` first, then a `code`
 * field of any case, then the `X-Amzn-ErrorType` header; a number becomes its text; each is cut
 * at `,` and `:` and after `#`. Where the SDK's reader fails on an odd shape (a `__type` or code
 * that is `null`, an object or a boolean) it names nothing, so neither does this. The message is
 * `message ?? Message`, falling back to `Message` when that is empty.
 * test/runtime/lambda/error-answer.test.ts holds it to the SDK's reader over hand-picked and
 * generated answers.
 */
import { NOT_JSON, parseErrorBody } from '../put-events/error-body';
import { rawHeader } from '../put-events/lean-http';

const NOTHING = { code: undefined, message: undefined } as const;

/**
 * The errors the EventBridge client models (`models/errors` of `@aws-sdk/client-eventbridge`;
 * test/runtime/lambda/error-answer.test.ts checks the list against it). Only these are found
 * when the SDK looks up a code that is not text (a one-element array prints as its element).
 */
export const MODELED_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException', 'ConcurrentModificationException', 'IllegalStatusException', 'InternalException',
  'InvalidEventPatternException', 'InvalidStateException', 'LimitExceededException', 'ManagedRuleException',
  'OperationDisabledException', 'PolicyLengthExceededException', 'ResourceAlreadyExistsException',
  'ResourceNotFoundException', 'ThrottlingException',
]);

export function readErrorAnswerWithoutSdk(
  _status: number,
  rawHeaders: readonly string[],
  body: string,
): { readonly code: unknown; readonly message: unknown } {
  const data = parseErrorBody(body);
  if (data === NOT_JSON) return NOTHING;
  // A body that is not an object (null, an array, text, a number) has no fields the SDK reads.
  const fields: Record<string, unknown> = typeof data === 'object' && data !== null && !Array.isArray(data) ? data as Record<string, unknown> : {};
  let raw: unknown;
  if (fields.__type !== undefined) {
    raw = fields.__type;
  } else {
    const codeKey = Object.keys(fields).find((k) => k.toLowerCase() === 'code');
    raw = codeKey !== undefined && fields[codeKey] !== undefined ? fields[codeKey] : rawHeader(rawHeaders, 'x-amzn-errortype');
  }
  let code: string | undefined;
  if (raw !== undefined) {
    const sanitized = sanitize(raw);
    if (sanitized === 'fails') return NOTHING;
    code = sanitized;
  }
  const message = (fields.message ?? fields.Message ?? 'UnknownError') || fields.Message || 'UnknownError';
  return { code: code ?? 'Unknown', message };
}

/**
 * `sanitizeErrorCode` of `@smithy/core`. It calls `indexOf` on what it is given: text is cut;
 * an array passes through, and the SDK's error registry finds a one-element array naming a
 * modeled error (it prints as its element), else it stays a code that is not text (no code);
 * anything else throws in the SDK (`fails`).
 */
function sanitize(raw: unknown): string | 'fails' | undefined {
  let value = raw;
  if (typeof value === 'number') value = value.toString();
  if (Array.isArray(value)) {
    if (value.some((item) => item === ',' || item === ':' || item === '#')) return 'fails';
    return value.length === 1 && typeof value[0] === 'string' && MODELED_ERRORS.has(value[0]) ? value[0] : undefined;
  }
  if (typeof value !== 'string') return 'fails';
  let text = value;
  if (text.includes(',')) text = text.split(',')[0];
  if (text.includes(':')) text = text.split(':')[0];
  if (text.includes('#')) text = text.split('#')[1];
  return text;
}
