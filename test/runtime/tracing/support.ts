// The OpenTelemetry SDK as an app would set it up, with in-memory exporters: spans and metrics
// the tests read back. Registered globally (that is what the runtime looks for) and removed after.
import { context, metrics, propagation, ROOT_CONTEXT, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Otel {
  readonly spans: InMemorySpanExporter;
  readonly metrics: InMemoryMetricExporter;
  readonly reader: PeriodicExportingMetricReader;
  readonly provider: BasicTracerProvider;
  /** Finished spans, named. */
  named(name: string): ReadableSpan[];
  shutdown(): Promise<void>;
}

export function startOtel(options: { propagator?: TextMapPropagator; metrics?: boolean; tracing?: boolean } = {}): Otel {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  if (options.tracing !== false) trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(options.propagator ?? new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Collected on demand (forceFlush) in the tests: the interval never fires during one.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  if (options.metrics !== false) metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans,
    metrics: metricExporter,
    reader,
    provider,
    named: (name) => spans.getFinishedSpans().filter((s) => s.name === name),
    async shutdown() {
      await provider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      metrics.disable();
    },
  };
}

/** The span's parent span id (SDK 2.x keeps it in `parentSpanContext`). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Runs `work` inside a new active span of the test's own ("the app's request"), ended after. */
export async function inSpan<T>(name: string, work: () => Promise<T>): Promise<{ result: T; traceId: string; spanId: string }> {
  const span = trace.getTracer('test').startSpan(name, {}, ROOT_CONTEXT);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), work);
    return { result, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
  } finally {
    span.end();
  }
}

/** Waits until `check` holds, polling every 20 ms, for at most `ms`. */
export async function eventually(check: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The data points of the metric named `name` in the last collection. */
export async function collect(otel: Otel, name: string): Promise<{ value: unknown; attributes: Record<string, unknown> }[]> {
  otel.metrics.reset();
  await otel.reader.forceFlush();
  const points: { value: unknown; attributes: Record<string, unknown> }[] = [];
  for (const resource of otel.metrics.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) points.push({ value: point.value, attributes: point.attributes });
      }
    }
  }
  return points;
}
