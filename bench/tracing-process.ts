// What tracing costs per event: putEvents events/s with no OpenTelemetry SDK registered (the
// runtime's checks only), with only the SDK's async-hooks context manager (what an app with
// OpenTelemetry pays for every promise, whatever the libraries do), and with the SDK on (a tracer
// provider whose batch processor hands spans to an exporter that drops them, the W3C propagator,
// the context manager, a meter provider), rotated round by round in this one process; medians.
// Prints one JSON line.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { median } from './processes';
import { ConnectorClient } from '../src/runtime/client';

const endpoint = process.argv[2];
const EVENTS = 5_000;
const ROUNDS = 7;

/** Counts what it is given and drops it: the export itself is the SDK's cost, not ours. */
class DroppingExporter implements SpanExporter {
  public spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.spans += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

const exporter = new DroppingExporter();
const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 100_000, maxExportBatchSize: 4096, scheduledDelayMillis: 200 });
const tracerProvider = new BasicTracerProvider({ spanProcessors: [processor] });
const meterProvider = new MeterProvider();
const contextManager = new AsyncLocalStorageContextManager();

type Variant = 'off' | 'context' | 'on';

function sdk(variant: Variant): void {
  if (variant === 'context') {
    context.setGlobalContextManager(contextManager.enable());
  } else if (variant === 'on') {
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(contextManager.enable());
  } else {
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  }
}

const events = Array.from({ length: EVENTS }, (_, i) => ({
  source: 'bench.orders',
  detailType: 'OrderPlaced',
  detail: { orderId: `o-${i}`, amount: i % 1000, items: ['a', 'b', 'c'] },
}));

void (async () => {
  const client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'bench', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, endpoint });
  const cpu: Record<Variant, number[]> = { off: [], context: [], on: [] };
  const send = async (variant: Variant): Promise<number> => {
    sdk(variant);
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const result = await client.putEvents(events);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpuStart);
    cpu[variant].push((used.user + used.system) / EVENTS);
    if (result.failedEntryCount > 0) throw new Error(`${result.failedEntryCount} entries failed`);
    sdk('off');
    return EVENTS / seconds;
  };
  // The SDK's own price of what the runtime asks of it per event, for scale: one span started and
  // ended with five attributes (the create span), the same number of times, CPU time per span.
  const spanFloor: number[] = [];
  const floor = () => {
    sdk('on');
    const tracer = trace.getTracer('floor');
    const cpuStart = process.cpuUsage();
    const attributes = {
      'messaging.system': 'aws.eventbridge',
      'messaging.operation.name': 'create',
      'messaging.operation.type': 'create',
      'messaging.destination.name': 'bench',
      'aws.eventbridge.detail_type': 'OrderPlaced',
    };
    for (let i = 0; i < EVENTS; i++) tracer.startSpan('create bench', { attributes }).end();
    const used = process.cpuUsage(cpuStart);
    spanFloor.push((used.user + used.system) / EVENTS);
    sdk('off');
  };
  const variants: Variant[] = ['off', 'context', 'on'];
  for (const variant of variants) await send(variant); // warm-up: JIT, sockets, the API's first load
  const samples: Record<Variant, number[]> = { off: [], context: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (let v = 0; v < variants.length; v++) {
      const variant = variants[(v + r) % variants.length];
      samples[variant].push(await send(variant));
    }
    floor();
  }
  await tracerProvider.forceFlush();
  client.destroy();
  const offPerSecond = median(samples.off);
  const contextPerSecond = median(samples.context);
  const onPerSecond = median(samples.on);
  process.stdout.write(`${JSON.stringify({
    events: EVENTS,
    rounds: ROUNDS,
    offEventsPerSecond: Math.round(offPerSecond),
    contextOnlyEventsPerSecond: Math.round(contextPerSecond),
    onEventsPerSecond: Math.round(onPerSecond),
    ratio: onPerSecond / offPerSecond,
    addedMicrosecondsPerEvent: (1 / onPerSecond - 1 / offPerSecond) * 1e6,
    /** CPU time of this process per event (user + system, µs), medians: less swayed by a loaded machine than events/s. */
    cpuMicrosecondsPerEvent: { off: median(cpu.off), context: median(cpu.context), on: median(cpu.on) },
    /** CPU µs the SDK takes for one span with five attributes, started and ended (median). */
    sdkSpanCpuMicroseconds: median(spanFloor),
    /** The share of the added time that is the context manager's alone. */
    contextManagerMicrosecondsPerEvent: (1 / contextPerSecond - 1 / offPerSecond) * 1e6,
    spansExported: exporter.spans,
  })}\n`);
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
