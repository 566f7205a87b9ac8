// An OpenTelemetry set-up that throws something the warning cannot put into words: an object
// without a prototype (no toString), or an error whose `name` getter throws. The warning that
// describes the first tracing error of a process threw in its turn, out of the guard, and the
// entry failed with "reading it threw 'TypeError: Cannot convert object to primitive value'":
// tracing failed a send, and no warning was given. The entry is acknowledged, and the warning
// says what it could. Each case is the first tracing error of its own copy of the runtime (the
// warning is once per process).
import { context, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import type * as Runtime from '../../src/runtime';

const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

const THROWN: Record<string, [() => unknown, RegExp]> = {
  'an object without a prototype': [() => Object.create(null), /threw "\[object Object\]"/],
  'an error whose name getter throws': [
    () => Object.defineProperty(new Error('inject is broken'), 'name', { get: () => { throw new Error('name is broken'); } }),
    /threw "\[object Error\]"/,
  ],
};

let endpoint: EventBridgeEndpoint;
const warned: unknown[][] = [];
let warn: jest.SpyInstance;
beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint();
  // A spy, not process.on('warning'): jest's sandboxed process does not pass the event on.
  warn = jest.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
    warned.push(args);
  });
});
afterAll(async () => {
  warn.mockRestore();
  await endpoint?.stop();
});
afterEach(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

test.each(Object.entries(THROWN))('a propagator whose inject throws %s: the entry is acknowledged, and the process warned', async (_name, [thrown, description]) => {
  const w3c = new W3CTraceContextPropagator();
  const propagator: TextMapPropagator = {
    inject: () => {
      throw thrown();
    },
    extract: (c, carrier, getter) => w3c.extract(c, carrier, getter),
    fields: () => w3c.fields(),
  };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] }));
  propagation.setGlobalPropagator(propagator);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  let runtime!: typeof Runtime;
  jest.isolateModules(() => {
    runtime = jest.requireActual<typeof Runtime>('../../src/runtime');
  });
  const client = new runtime.ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
  try {
    const before = warned.length;
    const result = await client.putEvents([ENTRY]);
    expect(result).toEqual({ failedEntryCount: 0, entries: [{ eventId: expect.any(String) }] });
    expect(endpoint.accepted.get(result.entries[0].eventId!)!.detail).toBe(JSON.stringify(ENTRY.detail));
    const ours = warned.slice(before).filter(([, options]) => (options as { code?: string } | undefined)?.code === 'EVENTBRIDGE_CONNECTOR_TRACING_ERROR');
    expect(ours).toHaveLength(1);
    expect(ours[0][0]).toMatch(description);
  } finally {
    client.destroy();
  }
});
