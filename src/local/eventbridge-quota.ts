/**
 * A loopback PutEvents endpoint with an account quota, as EventBridge enforces it: a token bucket
 * of events per second; an entry that finds no token is answered `ThrottlingException` ("Rate
 * exceeded") in an otherwise successful response. An answer delay stands in for the round trip to
 * a region, so requests in flight translate into events per second as they do against AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkEntry, checkRequest, errorBody, JSON_11, PUT_EVENTS_TARGET } from './eventbridge-protocol';

export interface QuotaEndpointOptions {
  /** The quota: entries accepted per second, sustained. */
  readonly eventsPerSecond: number;
  /** Entries accepted at once after a quiet spell. @default - a quarter of a second's worth */
  readonly burst?: number;
  /** Milliseconds before each answer (the round trip). @default 20 */
  readonly latencyMs?: number;
}

/** What the endpoint saw in one tenth of a second, for convergence checks. */
export interface QuotaInterval {
  readonly accepted: number;
  readonly throttled: number;
}

export interface QuotaEndpoint {
  readonly endpoint: string;
  readonly acceptedCount: number;
  readonly throttledCount: number;
  /** Per 100 ms interval since start, accepted and throttled entries. */
  readonly intervals: readonly QuotaInterval[];
  stop(): Promise<void>;
}

export async function startQuotaEndpoint(options: QuotaEndpointOptions): Promise<QuotaEndpoint> {
  const rate = options.eventsPerSecond;
  const capacity = options.burst ?? Math.max(10, rate / 4);
  const latencyMs = options.latencyMs ?? 20;
  const started = performance.now();
  let tokens = capacity;
  let refilledAt = started;
  let acceptedCount = 0;
  let throttledCount = 0;
  const intervals: Array<{ accepted: number; throttled: number }> = [];
  const interval = () => {
    const i = Math.floor((performance.now() - started) / 100);
    while (intervals.length <= i) intervals.push({ accepted: 0, throttled: 0 });
    return intervals[i];
  };
  const take = (): boolean => {
    const now = performance.now();
    tokens = Math.min(capacity, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: string) => setTimeout(() => {
        res.writeHead(status, { 'Content-Type': JSON_11, 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID() });
        res.end(body);
      }, latencyMs);
      if (req.headers['x-amz-target'] !== PUT_EVENTS_TARGET) {
        reply(400, errorBody('UnknownOperationException', `only ${PUT_EVENTS_TARGET}`));
        return;
      }
      let entries;
      try {
        entries = checkRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), 256 * 1024);
      } catch {
        reply(400, errorBody('SerializationException', 'Start of structure or map found where not expected.'));
        return;
      }
      if (!Array.isArray(entries)) {
        reply(entries.status, errorBody(entries.type, entries.message));
        return;
      }
      const stats = interval();
      const answers = entries.map((entry) => {
        const problem = checkEntry(entry);
        if (problem) return { ErrorCode: problem.code, ErrorMessage: problem.message };
        if (!take()) {
          throttledCount++;
          stats.throttled++;
          return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
        }
        acceptedCount++;
        stats.accepted++;
        return { EventId: randomUUID() };
      });
      reply(200, JSON.stringify({ FailedEntryCount: answers.filter((a) => 'ErrorCode' in a).length, Entries: answers }));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get acceptedCount() {
      return acceptedCount;
    },
    get throttledCount() {
      return throttledCount;
    },
    intervals,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
