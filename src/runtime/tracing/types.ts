/**
 * The tracing's own shapes, declared here without @opentelemetry/api: they appear in the
 * package's declarations (an entry's trace rides on the sender's entries), which must compile for
 * users who do not install the API. An OpenTelemetry `Span` and `SpanContext` fit them.
 */

/** The parts of an OpenTelemetry span the runtime calls. */
export interface SpanHandle {
  addEvent(name: string, attributes?: Record<string, string | number | boolean>): unknown;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** A span's context as a link needs it (an OpenTelemetry `SpanContext`). */
export interface LinkedContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** An entry's trace: its creation context, and what it adds to the entry on the wire. */
export interface EntryTrace {
  /** The entry's `create` span, still open; ended by whoever started it. Absent for an outbox record's context read back from disk. */
  readonly span?: SpanHandle;
  /** The creation context, linked from every request that carries the entry. */
  readonly link: LinkedContext;
  /** The carrier's JSON, spliced into `detail` as it is sent; absent when off or dropped. */
  readonly carrier?: string;
  /** The X-Ray header an X-Ray propagator gave, for PutEvents' `TraceHeader` when the entry has none. */
  readonly traceHeader?: string;
  /** The entry's bytes as EventBridge counts them, the carrier included. */
  readonly size: number;
}

/** Where an event was received: the HTTP receiver, or a queue consumer's queue. */
export interface ProcessSource {
  readonly queueUrl?: string;
}

/** A delivery's process span (when tracing) and its start (for `messaging.process.duration`). */
export interface ProcessTrace {
  readonly span?: SpanHandle & { recordException(exception: Error): void };
  /** The OpenTelemetry context the handlers run in. */
  readonly context?: unknown;
  readonly startedAt: number;
  readonly source: ProcessSource;
}

/** The receive span of one ReceiveMessage call (queue consumer), open while its messages are read. */
export interface ReceiveTrace {
  /** `addLink` is absent from the spans of SDKs older than API 1.9's. */
  readonly span: { end(endTime?: number): void; addLink?(link: { context: LinkedContext }): unknown };
  /** Its context, linked from each process span of the messages it brought. */
  readonly link: LinkedContext;
  /** When the ReceiveMessage answer arrived (`performance.now()`): the span's end. */
  readonly answeredAt: number;
}
