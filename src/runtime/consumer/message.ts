import type { SqsMessage } from './sqs';
import { parseJson, toReceivedEvent } from '../routing/event';
import type { ReceivedEvent } from '../routing/types';

export type ParsedMessage = { readonly ok: true; readonly event: ReceivedEvent } | { readonly ok: false; readonly reason: string };

/** The EventBridge event an SQS target put in the message body, or why there is none. */
export function eventOfMessage(message: SqsMessage, maxBytes: number): ParsedMessage {
  const body = message.Body ?? '';
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) return { ok: false, reason: `body of ${bytes} bytes is over the limit of ${maxBytes} bytes` };
  const json = parseJson(body);
  if (!json) return { ok: false, reason: `body is not JSON (${bytes} bytes starting '${escape(body.slice(0, 32))}')` };
  const parsed = toReceivedEvent(json.value);
  return parsed.ok ? parsed : { ok: false, reason: parsed.message };
}

function escape(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\\']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
