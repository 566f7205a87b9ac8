/**
 * The slow, exact way to read an error answer: hand it to the SDK EventBridge client's own
 * protocol object (`config.protocol`, an `AwsJson1_1Protocol`), as its deserializer middleware
 * would, and take the code and message of what it throws. The lean transport does this only for
 * answers {@link readErrorAnswer} does not read itself (a `__type` that is `null` or an array, a
 * body that is a JSON array); about 0.3 ms each, against microseconds for the usual answers.
 */
import { PutEvents$ } from '@aws-sdk/client-eventbridge';
import { HttpResponse } from '@smithy/core/protocols';
import { operation } from '@smithy/core/schema';
import type { readErrorAnswer } from './http-errors';

interface ProtocolLike {
  deserializeResponse(operationSchema: unknown, context: object, response: unknown): Promise<unknown>;
}

let putEventsOperation: unknown;

/**
 * What the SDK names an error answer: `code` is `undefined` when its protocol could not read one
 * (it threw a `TypeError` or `SyntaxError` rather than a service exception), or when the config
 * has no protocol object.
 */
export async function readWithSdkProtocol(
  config: object,
  status: number,
  rawHeaders: readonly string[],
  body: string,
): Promise<{ code: unknown; message: unknown }> {
  const protocol = (config as { protocol?: Partial<ProtocolLike> }).protocol;
  if (typeof protocol?.deserializeResponse !== 'function') return { code: undefined, message: undefined };
  // Joined as Node joins repeated headers into `IncomingMessage.headers`, which the SDK's handler reads.
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    headers[name] = headers[name] === undefined ? rawHeaders[i + 1] : `${headers[name]}, ${rawHeaders[i + 1]}`;
  }
  const [, namespace, name, traits, input, output] = PutEvents$ as unknown as [unknown, string, string, never, never, never];
  putEventsOperation ??= operation(namespace, name, traits, input, output);
  try {
    await (protocol as ProtocolLike).deserializeResponse(putEventsOperation, { ...config }, new HttpResponse({ statusCode: status, headers, body: Buffer.from(body, 'utf8') }));
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown; $fault?: unknown };
    return e.$fault === undefined ? { code: undefined, message: undefined } : { code: e.name, message: e.message };
  }
  return { code: undefined, message: undefined };
}
