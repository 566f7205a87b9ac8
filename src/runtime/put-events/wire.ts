/**
 * PutEvents in the AWS JSON 1.1 protocol, as the AWS SDK writes and reads it: the same target,
 * content type and body bytes (members in the order the SDK's serializer emits them, `Time` as
 * epoch seconds), so the lean transport's requests are indistinguishable from the SDK's.
 */
import type { PutEventsRequestEntry, PutEventsResponse } from './types';

export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
export const JSON_11 = 'application/x-amz-json-1.1';

interface WireEntry {
  Time?: number;
  Source: string;
  Resources?: string[];
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  TraceHeader?: string;
}

/** The request body for these entries. */
export function serializePutEvents(entries: readonly PutEventsRequestEntry[]): string {
  const wire = new Array<WireEntry>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const w: WireEntry = {} as WireEntry;
    if (e.Time !== undefined) w.Time = e.Time.getTime() / 1000;
    w.Source = e.Source;
    if (e.Resources !== undefined) w.Resources = e.Resources;
    w.DetailType = e.DetailType;
    w.Detail = e.Detail;
    if (e.EventBusName !== undefined) w.EventBusName = e.EventBusName;
    if (e.TraceHeader !== undefined) w.TraceHeader = e.TraceHeader;
    wire[i] = w;
  }
  return JSON.stringify({ Entries: wire });
}

/** A 2xx answer's body; throws `InvalidResponse` when it is not a JSON object. */
export function parsePutEventsResponse(body: string): PutEventsResponse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw invalidResponse(`response body is not JSON (${(error as Error).message}): expected a PutEvents response`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidResponse('response body is not a JSON object: expected a PutEvents response');
  }
  return value as PutEventsResponse;
}

function invalidResponse(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidResponse';
  return error;
}
