/**
 * A loopback EventBridge global endpoint (`AWS::Events::Endpoint`), which moto does not have: it
 * takes PutEvents with `EndpointId` signed with SigV4a (checked by sigv4a-verifier.ts, as the
 * service would), and routes it to the primary region's EventBridge or, once the primary is marked
 * unhealthy (what the Route 53 health check says), to the secondary's; the request is signed again
 * with SigV4 for that region (moto picks the region from the credential scope). With replication
 * on, what one region accepted is sent to the other region's bus of the same name too, as the
 * endpoint's managed rules do; a replication the other region refused is kept and sent again when
 * the health changes or {@link GlobalEndpoint.flushReplication} is called.
 *
 * SigV4 requests without `EndpointId` (a client on the secondary region's contract sends to its
 * bus directly) are passed on as they are to the region of their credential scope, so that one
 * events URL serves a local set-up.
 *
 * A replicated event gets another EventId in the other region, as on AWS ("Event IDs can change
 * across API calls", EventBridge global endpoints best practices): consumers deduplicate on the
 * key the producer puts in the event (the runtime's `putEvents.stampIdempotencyKey`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { errorBody, JSON_11, PUT_EVENTS_TARGET } from './eventbridge-protocol';
import { checkGlobalEndpointOptions, GlobalEndpointOptions, GlobalEndpointRegion } from './global-endpoint-options';
import { NodeSha256 } from './node-sha256';
import { SigV4aRefusal, verifySigV4a } from './sigv4a-verifier';
import { definedOnly } from '../contract/defined-only';

export type { GlobalEndpointOptions, GlobalEndpointRegion } from './global-endpoint-options';

export interface GlobalEndpoint {
  /** `http://127.0.0.1:<port>`: the events endpoint URL of a client with `endpointId`. */
  readonly endpoint: string;
  readonly endpointId: string;
  /** Whether PutEvents goes to the primary region. */
  readonly primaryHealthy: boolean;
  /** PutEvents requests passed on, per region. */
  readonly routed: Readonly<Record<string, number>>;
  /** Requests refused here (signature, EndpointId), by error code. */
  readonly refused: Readonly<Record<string, number>>;
  /** Entries replicated to the other region, and entries still waiting for it. */
  readonly replicated: number;
  readonly replicationBacklog: number;
  /** What the health check says; the next request goes to the region it picks. Pending replications are tried again. */
  setPrimaryHealthy(healthy: boolean): Promise<void>;
  /** Sends the replications still waiting; resolves when each was sent or refused again. */
  flushReplication(): Promise<void>;
  stop(): Promise<void>;
}

interface Backlog {
  readonly to: GlobalEndpointRegion;
  readonly entries: unknown[];
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The largest request body EventBridge takes (1 MiB), with room for JSON escaping. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startGlobalEndpoint(options: GlobalEndpointOptions): Promise<GlobalEndpoint> {
  checkGlobalEndpointOptions(options);
  const endpointId = options.endpointId ?? 'local.test';
  const replication = options.replication ?? true;
  const clock = options.clock ?? (() => new Date());
  let primaryHealthy = true;
  const routed: Record<string, number> = { [options.primary.region]: 0, [options.secondary.region]: 0 };
  const refused: Record<string, number> = {};
  const backlog: Backlog[] = [];
  const replicating = new Set<Promise<void>>();
  let replicated = 0;

  const active = () => (primaryHealthy ? options.primary : options.secondary);
  const other = (region: GlobalEndpointRegion) => (region === options.primary ? options.secondary : options.primary);

  function refuse(res: ServerResponse, status: number, code: string, message: string): void {
    refused[code] = (refused[code] ?? 0) + 1;
    const body = errorBody(code, message);
    res.writeHead(status, { 'Content-Type': JSON_11, 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID(), 'x-amzn-ErrorType': code });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const target = active();
    const [path, rawQuery = ''] = (req.url ?? '/').split('?', 2);
    const regional = regionalRequest(req, body);
    if (regional !== undefined) return passOn(req, res, body, regional);
    let verified;
    try {
      verified = verifySigV4a({ method: req.method ?? '', path, rawQuery, headers: req.headers, body }, {
        secretFor: options.secretFor,
        region: target.region,
        service: 'events',
        now: clock(),
      });
    } catch (error) {
      if (error instanceof SigV4aRefusal) return refuse(res, error.status, error.code, error.message);
      throw error;
    }
    if (req.headers['x-amz-target'] !== PUT_EVENTS_TARGET) return refuse(res, 400, 'UnknownOperationException', `a global endpoint only serves ${PUT_EVENTS_TARGET}`);
    let parsed: { Entries?: unknown; EndpointId?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return refuse(res, 400, 'SerializationException', 'Start of structure or map found where not expected.');
    }
    if (parsed.EndpointId !== endpointId) {
      return refuse(res, 400, 'ResourceNotFoundException', `EndpointId ${JSON.stringify(parsed.EndpointId ?? null).slice(0, 80)} is not this endpoint's (${endpointId}).`);
    }
    const credentials = definedOnly({
      accessKeyId: verified.accessKeyId,
      secretAccessKey: options.secretFor(verified.accessKeyId)!,
      sessionToken: verified.sessionToken,
    });
    routed[target.region]++;
    const answer = await forward(target, { Entries: parsed.Entries }, credentials).catch((error: unknown) => ({ error }));
    if ('error' in answer) {
      // The region did not answer: the caller sees a dropped connection, as with an outage.
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? JSON_11, 'Content-Length': answer.body.length, 'x-amzn-RequestId': randomUUID(), ...(answer.errorType && { 'x-amzn-ErrorType': answer.errorType }) });
    res.end(answer.body);
    if (replication && answer.status === 200) replicate(target, parsed.Entries, answer.body, credentials);
  }

  /**
   * A SigV4 request without `EndpointId` is a regional call (a client working from the secondary
   * region's contract): it goes, as it is, to the region of its credential scope, so one events
   * URL serves both kinds locally. A SigV4 request with `EndpointId` is the global endpoint's to refuse.
   */
  function regionalRequest(req: IncomingMessage, body: Buffer): GlobalEndpointRegion | undefined {
    const scope = /^AWS4-HMAC-SHA256 Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/events\//.exec(String(req.headers.authorization ?? ''));
    if (!scope || body.includes('"EndpointId"')) return undefined;
    return [options.primary, options.secondary].find((r) => r.region === scope[1]);
  }

  function passOn(req: IncomingMessage, res: ServerResponse, body: Buffer, to: GlobalEndpointRegion): void {
    routed[to.region]++;
    const url = new URL(to.endpoint);
    const target = { hostname: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers, timeout: 30_000 };
    const upstream = httpRequest(target, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('no answer within 30 s')));
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }

  /** The entries the region accepted (those with an EventId), sent to the other region. */
  function replicate(from: GlobalEndpointRegion, entries: unknown, answer: Buffer, credentials: Backlog['credentials']): void {
    let results: Array<{ EventId?: string }> = [];
    try {
      results = (JSON.parse(answer.toString('utf8')) as { Entries?: Array<{ EventId?: string }> }).Entries ?? [];
    } catch {
      return;
    }
    const accepted = (Array.isArray(entries) ? entries : []).filter((_, i) => results[i]?.EventId !== undefined);
    if (accepted.length === 0) return;
    send({ to: other(from), entries: accepted, credentials });
  }

  function send(item: Backlog): void {
    const attempt = forward(item.to, { Entries: item.entries }, item.credentials).then(
      (answer) => {
        if (answer.status === 200) replicated += item.entries.length;
        else backlog.push(item);
      },
      () => {
        backlog.push(item);
      },
    ).finally(() => replicating.delete(attempt));
    replicating.add(attempt);
  }

  async function flushReplication(): Promise<void> {
    for (const item of backlog.splice(0)) send(item);
    await Promise.all([...replicating]);
  }

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (length > MAX_BODY_BYTES) return refuse(res, 413, 'RequestEntityTooLargeException', `request body of ${length} bytes is over ${MAX_BODY_BYTES}`);
      handle(req, res, Buffer.concat(chunks, length)).catch((error: unknown) => {
        if (!res.headersSent) refuse(res, 500, 'InternalFailure', `the global endpoint stand-in failed: ${(error as Error).message}`);
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    endpointId,
    get primaryHealthy() {
      return primaryHealthy;
    },
    async setPrimaryHealthy(healthy: boolean) {
      primaryHealthy = healthy;
      await flushReplication();
    },
    routed,
    refused,
    get replicated() {
      return replicated;
    },
    get replicationBacklog() {
      return backlog.reduce((n, item) => n + item.entries.length, 0);
    },
    flushReplication,
    async stop() {
      await Promise.all([...replicating]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType?: string;
  readonly errorType?: string;
}

/** PutEvents to one region's EventBridge, signed with SigV4 for it; bounded at 30 s. */
async function forward(to: GlobalEndpointRegion, input: object, credentials: Backlog['credentials']): Promise<Answer> {
  const url = new URL(to.endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'events', region: to.region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname === '' ? '/' : url.pathname,
    query: {},
    headers: { 'host': url.host, 'content-type': JSON_11, 'x-amz-target': PUT_EVENTS_TARGET, 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return new Promise<Answer>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
      method: 'POST',
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname === '' ? '/' : url.pathname,
      headers: signed.headers,
      timeout: 30_000,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({
        status: response.statusCode ?? 500,
        body: Buffer.concat(chunks),
        contentType: response.headers['content-type'],
        errorType: typeof response.headers['x-amzn-errortype'] === 'string' ? response.headers['x-amzn-errortype'] : undefined,
      }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${to.region} EventBridge did not answer within 30 s`)));
    request.on('error', reject);
    request.end(body);
  });
}
