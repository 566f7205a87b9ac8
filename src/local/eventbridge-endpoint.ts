/**
 * A fast loopback EventBridge PutEvents endpoint (AWS JSON 1.1), for tests and benchmarks: the
 * real SDK client talks to it unmodified. It issues EventIds, records what it accepted, and can
 * inject faults from a seeded sequence: throttled and failed requests, failed entries, dropped
 * connections before and after recording, over-limit requests. It only speaks PutEvents; use
 * moto for everything else.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeFault, EventBridgeFaults, FaultPlan } from './eventbridge-faults';
import { checkEntry, checkRequest, errorBody, JSON_11, PUT_EVENTS_TARGET, WireEntry } from './eventbridge-protocol';

export type { EventBridgeFault, EventBridgeFaults } from './eventbridge-faults';

export interface EventBridgeEndpointOptions {
  /** @default - a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Requests whose entries add up to more bytes (counted as EventBridge counts them) are refused
   * with 400 `ValidationException` "Total size of the entries in the request is over the limit."
   * The default is the service's limit since 2026-01-29 ("Amazon EventBridge quotas"); give
   * 262144 to stand in for an account or target that still caps requests at 256 KiB.
   * @default 1048576
   */
  readonly maxRequestBytes?: number;
  /** @default - no faults */
  readonly faults?: EventBridgeFaults;
  /** Seed of the fault sequence. @default 1 */
  readonly seed?: number;
  /** Pause between the bytes of a `dripResponse` answer. @default 200 */
  readonly dripIntervalMs?: number;
  /** Keep every accepted entry in `accepted`; turn off for benchmarks. @default true */
  readonly record?: boolean;
}

/** An entry the endpoint accepted and gave an EventId. */
export interface AcceptedEvent {
  readonly source: string;
  readonly detailType: string;
  /** The JSON text as sent. */
  readonly detail: string;
  readonly eventBusName?: string;
  readonly time?: Date;
  readonly resources?: readonly string[];
  readonly traceHeader?: string;
}

export interface EventBridgeEndpoint {
  /** `http://127.0.0.1:<port>`, for the SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Accepted entries by EventId (empty with `record: false`). */
  readonly accepted: ReadonlyMap<string, AcceptedEvent>;
  /** HTTP requests received. */
  readonly requests: number;
  /** Entries given an EventId, including those whose answer was then dropped. */
  readonly acceptedCount: number;
  /** How many of each fault were injected. */
  readonly injected: Readonly<Record<EventBridgeFault, number>>;
  /** Requests refused with `ValidationException` (too many entries, over the size limit, malformed). */
  readonly validationErrors: number;
  stop(): Promise<void>;
}

/** Bodies are JSON with Detail escaped inside it, so they may be several times the counted size. */
const BODY_LIMIT_FACTOR = 8;
const BODY_LIMIT_SLACK = 1024 * 1024;

export async function startEventBridgeEndpoint(options: EventBridgeEndpointOptions = {}): Promise<EventBridgeEndpoint> {
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
  const maxBodyBytes = maxRequestBytes * BODY_LIMIT_FACTOR + BODY_LIMIT_SLACK;
  const record = options.record ?? true;
  const plan = new FaultPlan(options.faults, options.seed ?? 1);
  const accepted = new Map<string, AcceptedEvent>();
  const stats = { requests: 0, acceptedCount: 0, validationErrors: 0 };
  const dripIntervalMs = options.dripIntervalMs ?? 200;

  function answer(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, {
      'Content-Type': JSON_11,
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-RequestId': randomUUID(),
    });
    res.end(body);
  }

  function fail(res: ServerResponse, status: number, type: string, message: string): void {
    if (type === 'ValidationException' || type === 'SerializationException') stats.validationErrors++;
    answer(res, status, errorBody(type, message));
  }

  function accept(entry: WireEntry): string {
    const eventId = randomUUID();
    stats.acceptedCount++;
    if (record) accepted.set(eventId, toAccepted(entry));
    return eventId;
  }

  function putEvents(req: IncomingMessage, res: ServerResponse, body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return fail(res, 400, 'SerializationException', 'Start of structure or map found where not expected.');
    }
    const entries = checkRequest(parsed, maxRequestBytes);
    if (!Array.isArray(entries)) return fail(res, entries.status, entries.type, entries.message);

    const fault = plan.nextRequest();
    switch (fault) {
      case 'throttleRequest':
        return fail(res, 400, 'ThrottlingException', 'Rate exceeded');
      case 'internalFailure':
        return fail(res, 500, 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.');
      case 'serviceUnavailable':
        return fail(res, 503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
      case 'dropBeforeRecording':
        req.socket.destroy();
        return;
      case 'emptyBody403':
        return answerEmpty(res, 403);
      case 'emptyBody413':
        return answerEmpty(res, 413);
      case 'emptyBody429':
        return answerEmpty(res, 429);
    }

    const results: string[] = new Array(entries.length);
    let failed = 0;
    for (let i = 0; i < entries.length; i++) {
      const problem = checkEntry(entries[i]) ?? entryFault(plan);
      if (problem) {
        failed++;
        results[i] = JSON.stringify({ ErrorCode: problem.code, ErrorMessage: problem.message });
      } else {
        results[i] = `{"EventId":"${accept(entries[i])}"}`;
      }
    }
    if (fault === 'dropAfterRecording') {
      req.socket.destroy();
      return;
    }
    const response = `{"FailedEntryCount":${failed},"Entries":[${results.join(',')}]}`;
    if (fault === 'stallResponse') return stall(res, response);
    if (fault === 'dripResponse') return drip(res, response);
    answer(res, 200, response);
  }

  function answerEmpty(res: ServerResponse, status: number): void {
    res.writeHead(status, { 'Content-Length': 0, 'x-amzn-RequestId': randomUUID() });
    res.end();
  }

  /** Headers and half the body, then silence until the client gives up. */
  function stall(res: ServerResponse, body: string): void {
    res.writeHead(200, { 'Content-Type': JSON_11, 'Content-Length': Buffer.byteLength(body) });
    res.write(body.slice(0, Math.floor(body.length / 2)));
  }

  /** The body one byte at a time, until it is all sent or the client gives up. */
  function drip(res: ServerResponse, body: string): void {
    const bytes = Buffer.from(body);
    res.writeHead(200, { 'Content-Type': JSON_11, 'Content-Length': bytes.length });
    let sent = 0;
    const timer = setInterval(() => {
      res.write(bytes.subarray(sent, sent + 1));
      if (++sent === bytes.length) {
        clearInterval(timer);
        res.end();
      }
    }, dripIntervalMs);
    res.on('close', () => clearInterval(timer));
  }

  const server = createServer((req, res) => {
    stats.requests++;
    req.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let length = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBodyBytes) {
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        res.setHeader('Connection', 'close');
        return answer(res, 413, errorBody('RequestEntityTooLarge', `request body of ${length} bytes is over ${maxBodyBytes}`));
      }
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== PUT_EVENTS_TARGET) {
        return fail(res, 400, 'UnknownOperationException', `this endpoint only serves ${PUT_EVENTS_TARGET}`);
      }
      putEvents(req, res, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, length).toString('utf8'));
    });
  });
  // Longer than the SDK agent keeps idle sockets, so the client never reuses one the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    accepted,
    get requests() {
      return stats.requests;
    },
    get acceptedCount() {
      return stats.acceptedCount;
    },
    get validationErrors() {
      return stats.validationErrors;
    },
    injected: plan.injected,
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const ENTRY_FAULT_ANSWERS = {
  throttleEntry: { code: 'ThrottlingException', message: 'Rate exceeded' },
  failEntry: { code: 'InternalFailure', message: 'Internal Failure' },
} as const;

function entryFault(plan: FaultPlan): { code: string; message: string } | undefined {
  const fault = plan.nextEntry();
  return fault ? ENTRY_FAULT_ANSWERS[fault] : undefined;
}

function toAccepted(entry: WireEntry): AcceptedEvent {
  const event: {
    -readonly [K in keyof AcceptedEvent]: AcceptedEvent[K];
  } = { source: entry.Source as string, detailType: entry.DetailType as string, detail: entry.Detail as string };
  if (typeof entry.EventBusName === 'string') event.eventBusName = entry.EventBusName;
  if (typeof entry.Time === 'number') event.time = new Date(entry.Time * 1000);
  else if (typeof entry.Time === 'string') event.time = new Date(entry.Time);
  if (Array.isArray(entry.Resources)) event.resources = entry.Resources as string[];
  if (typeof entry.TraceHeader === 'string') event.traceHeader = entry.TraceHeader;
  return event;
}
