import type { ReceivedEvent } from './types';

export type ParsedEvent =
  | { readonly ok: true; readonly event: ReceivedEvent }
  | { readonly ok: false; readonly message: string };

/** Parses a delivered body as JSON; undefined when it is not JSON. */
export function parseJson(body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The strings of an array as delivered; the array itself when it holds nothing else (most do). */
function stringsOf(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  for (const item of value) if (typeof item !== 'string') return value.filter((r): r is string => typeof r === 'string');
  return value as string[];
}

/**
 * Turns a JSON body into a {@link ReceivedEvent}. `detail-type`, `source` and an object `detail`
 * are required: without them there is nothing to route. The other envelope fields are taken as
 * delivered, and left empty when an input transformer removed them.
 */
export function toReceivedEvent(body: unknown): ParsedEvent {
  if (!isObject(body)) {
    return { ok: false, message: `not an EventBridge event: expected a JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}` };
  }
  const detailType = body['detail-type'];
  const source = body.source;
  if (typeof detailType !== 'string' || detailType === '' || typeof source !== 'string' || source === '' || !isObject(body.detail)) {
    const missing: string[] = [];
    if (!text(detailType)) missing.push('detail-type');
    if (!text(source)) missing.push('source');
    if (!isObject(body.detail)) missing.push('detail');
    return {
      ok: false,
      message: `not an EventBridge event: missing or invalid ${missing.map((k) => `'${k}'`).join(', ')} (expected detail-type and source as non-empty strings, detail as an object)`,
    };
  }
  const resources = stringsOf(body.resources);
  return {
    ok: true,
    event: {
      id: text(body.id),
      source,
      detailType,
      detail: body.detail,
      time: text(body.time),
      account: text(body.account),
      region: text(body.region),
      resources,
      raw: body,
    },
  };
}
