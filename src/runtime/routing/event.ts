import type { ReceivedEvent } from './types';
import { hasIdempotencyKeyField, rememberKeyProblem, takeIdempotencyKey } from '../idempotency-key';
import { rememberCarrier, takeCarrier } from '../tracing/carrier';

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
  // A copy: handlers share the event, and the body may be the caller's own (a framework's req.body).
  const resources = Array.isArray(body.resources) ? body.resources.filter((r): r is string => typeof r === 'string') : [];
  // The trace carrier (src/runtime/tracing/carrier.ts) and the idempotency key
  // (src/runtime/idempotency-key.ts) are ours, not the sender's: handlers never see them in detail.
  const { detail: untraced, carrier } = takeCarrier(body.detail);
  // Most events carry no key: one own-property test, no object made.
  const taken = hasIdempotencyKeyField(untraced) ? takeIdempotencyKey(untraced) : undefined;
  const detail = taken === undefined ? untraced : taken.detail;
  const event: ReceivedEvent = {
    id: text(body.id),
    source,
    detailType,
    detail,
    time: text(body.time),
    account: text(body.account),
    region: text(body.region),
    resources,
    raw: detail !== body.detail ? { ...body, detail } : body,
  };
  if (taken?.key !== undefined) (event as { idempotencyKey?: string }).idempotencyKey = taken.key;
  if (taken?.problem !== undefined) rememberKeyProblem(event, taken.problem);
  if (carrier) rememberCarrier(event, carrier);
  return { ok: true, event };
}
