/**
 * The body of a PutEvents error answer parsed as the SDK's AWS JSON 1.1 protocol parses it
 * (`parseJsonBody` of `@aws-sdk/core`), without loading the SDK: shared by the main client's
 * reader (http-errors.ts) and the Lambda entry's (runtime/lambda/error-answer.ts).
 */

/** What {@link parseErrorBody} gives for a body that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * The parsed body: an empty body is an empty object, as the SDK takes it; text that is not JSON
 * is {@link NOT_JSON} (the SDK fails with a SyntaxError there, so it reads no code).
 */
export function parseErrorBody(body: string): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body);
  } catch {
    return NOT_JSON;
  }
}
