// An app's OpenTelemetry set-up that throws: a tracer provider, its spans, a propagator, a
// context manager or a meter provider. Tracing must never fail a send or a delivery: every event
// is sent once and acknowledged with its EventId, every delivery runs its handler once and
// answers as it would untraced (a handler's own error stays its error), and the process gets one
// warning saying tracing steps were skipped.
import { context, metrics, propagation, ROOT_CONTEXT, trace, type Context, type ContextManager, type MeterProvider, type TextMapPropagator, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { MotoServer, startMoto } from '../../src/local/moto';
import { ConnectorClient, createReceiver, PutEventError, ReceivedEvent, TRACE_CARRIER_KEY } from '../../src/runtime';
import { eventually, order, wireQueue } from '../runtime/consumer/support';
import { API_KEY, delivery } from '../runtime/receiver/support';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };
const CARRIED = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

const boom = (part: string) => () => {
  throw new Error(`${part} is broken`);
};

/** A span whose every method throws, but for its context (which a link needs). */
function throwingSpan(): unknown {
  const span: Record<string, unknown> = { spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }), isRecording: () => true };
  for (const method of ['setAttribute', 'setAttributes', 'addEvent', 'addLink', 'setStatus', 'updateName', 'end', 'recordException']) span[method] = boom(`span.${method}`);
  return span;
}

/** The app's set-up: the real SDK but for the parts a case breaks. */
interface SetUp {
  readonly tracerProvider?: TracerProvider;
  readonly propagator?: TextMapPropagator;
  readonly contextManager?: ContextManager;
  readonly meterProvider?: MeterProvider;
}

const BROKEN: Record<string, () => SetUp> = {
  'a tracer provider whose getTracer throws': () => ({ tracerProvider: { getTracer: boom('getTracer') } }),
  'a tracer whose startSpan throws': () => ({ tracerProvider: { getTracer: () => ({ startSpan: boom('startSpan'), startActiveSpan: boom('startActiveSpan') }) } }),
  'spans whose every method throws': () => ({ tracerProvider: { getTracer: () => ({ startSpan: throwingSpan, startActiveSpan: boom('startActiveSpan') }) } as unknown as TracerProvider }),
  'spans whose context throws': () => ({ tracerProvider: { getTracer: () => ({ startSpan: () => ({ ...(throwingSpan() as object), spanContext: boom('spanContext') }), startActiveSpan: boom('startActiveSpan') }) } as unknown as TracerProvider }),
  'a propagator whose inject and extract throw': () => ({ propagator: { inject: boom('inject'), extract: boom('extract'), fields: () => ['traceparent'] } }),
  'a context manager whose with throws before it runs the work': () => ({
    contextManager: Object.assign(new AsyncLocalStorageContextManager().enable(), { active: () => ROOT_CONTEXT, with: boom('with') }) as unknown as ContextManager,
  }),
  'a context manager whose with throws after the work ran': () => ({
    contextManager: Object.assign(new AsyncLocalStorageContextManager().enable(), {
      with(_context: unknown, work: (...args: unknown[]) => unknown) {
        work();
        throw new Error('with is broken on the way out');
      },
    }),
  }),
  'a meter provider whose getMeter throws': () => ({ meterProvider: { getMeter: boom('getMeter') } }),
  // A context manager's `with` must run the work once and return what it returned; these do not.
  // The work runs once and its outcome stands (a send was reported failed while in flight, sent
  // twice, or never sent; a handler's error was answered 200).
  'a context manager whose with forgets to return the work\'s result': () => ({ contextManager: contextManager((run) => { run(); }) }),
  'a context manager whose with runs the work twice': () => ({ contextManager: contextManager((run) => { run(); return run(); }) }),
  'a context manager whose with never runs the work': () => ({ contextManager: contextManager(() => undefined) }),
  'a context manager whose with runs the work later': () => ({ contextManager: contextManager((run) => { setTimeout(run, 1); }) }),
  'a context manager whose with returns another value': () => ({ contextManager: contextManager((run) => { run(); return Promise.resolve({ Entries: [] }); }) }),
};

/** The SDK's context manager but for `with`, which calls `body(run)` where `run` runs the work in the context. */
function contextManager(body: (run: () => unknown) => unknown): ContextManager {
  const real = new AsyncLocalStorageContextManager().enable();
  return Object.assign(real, {
    with(ctx: Context, work: (...args: unknown[]) => unknown, thisArg?: unknown, ...args: unknown[]) {
      return body(() => AsyncLocalStorageContextManager.prototype.with.call(real, ctx, work, thisArg, ...args));
    },
  }) as unknown as ContextManager;
}

function install(setUp: SetUp): () => void {
  const real = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  trace.setGlobalTracerProvider(setUp.tracerProvider ?? real);
  propagation.setGlobalPropagator(setUp.propagator ?? new W3CTraceContextPropagator());
  context.setGlobalContextManager(setUp.contextManager ?? new AsyncLocalStorageContextManager().enable());
  if (setUp.meterProvider) metrics.setGlobalMeterProvider(setUp.meterProvider);
  return () => {
    trace.disable();
    propagation.disable();
    context.disable();
    metrics.disable();
  };
}

// A spy, not process.on('warning'): jest's sandboxed process does not pass the event on; the
// calls kept here, since the config's clearMocks empties mock.calls before each test.
const warned: unknown[][] = [];
let warn: jest.SpyInstance;
beforeAll(() => {
  warn = jest.spyOn(process, 'emitWarning').mockImplementation((...args: unknown[]) => {
    warned.push(args);
  });
});
afterAll(() => warn.mockRestore());

describe.each(Object.entries(BROKEN))('with %s', (_name, broken) => {
  let uninstall: (() => void) | undefined;
  let endpoint: EventBridgeEndpoint | undefined;
  let client: ConnectorClient | undefined;
  beforeEach(() => {
    uninstall = install(broken());
  });
  afterEach(async () => {
    client?.destroy();
    client = undefined;
    await endpoint?.stop();
    endpoint = undefined;
    uninstall?.();
  });

  async function connect(faults?: Parameters<typeof startEventBridgeEndpoint>[0]): Promise<ConnectorClient> {
    endpoint = await startEventBridgeEndpoint(faults);
    client = new ConnectorClient({
      region: 'us-east-1',
      eventBusName: 'orders',
      credentials: CREDENTIALS,
      endpoint: endpoint.endpoint,
      putEvents: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    return client;
  }

  test('putEvent is acknowledged with the EventId the bus gave, sent once, detail as given', async () => {
    const events = await connect();
    const eventId = await events.putEvent(ENTRY);
    expect(endpoint!.acceptedCount).toBe(1);
    const accepted = endpoint!.accepted.get(eventId);
    expect(accepted).toBeDefined();
    const detail = JSON.parse(String((accepted as { detail?: string }).detail)) as Record<string, unknown>;
    expect({ ...detail, [TRACE_CARRIER_KEY]: undefined }).toEqual({ orderId: 'o-1', [TRACE_CARRIER_KEY]: undefined });
  });

  test('a batch of 50 sends all 50 once, in order of their EventIds', async () => {
    const events = await connect();
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => events.putEvent({ ...ENTRY, detail: { orderId: `o-${i}` } })));
    expect(new Set(ids).size).toBe(50);
    expect(endpoint!.acceptedCount).toBe(50);
  });

  test('an entry throttled on every attempt still fails as the bus answered, after its 3 attempts', async () => {
    const events = await connect({ faults: { throttleEntry: 1 } });
    const error = await events.putEvent(ENTRY).then(() => undefined, (e: PutEventError) => e);
    expect(error).toBeInstanceOf(PutEventError);
    expect(error!.errorCode).toBe('ThrottlingException');
    expect(endpoint!.requests).toBe(3);
  });

  test('the HTTP receiver runs the handler once and answers 200; a failing handler still answers 500', async () => {
    const seen: ReceivedEvent[] = [];
    const receiver = createReceiver({ apiKey: API_KEY });
    receiver.on('OrderPlaced', (event) => {
      seen.push(event);
      if ((event.detail as { orderId?: string }).orderId === 'bad') throw new Error('no such warehouse');
    });
    const receive = (orderId: string) => receiver.receive({
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: { kind: 'parsed', value: JSON.parse(JSON.stringify(delivery('OrderPlaced', { orderId, [TRACE_CARRIER_KEY]: CARRIED }))) },
    });
    expect((await receive('good')).status).toBe(200);
    expect(seen.map((e) => e.detail)).toEqual([{ orderId: 'good' }]);
    expect((await receive('bad')).status).toBe(500);
    expect(seen).toHaveLength(2);
  });
});

describe('the queue consumer under a tracer whose startSpan throws', () => {
  let moto: MotoServer;
  let uninstall: () => void;
  beforeAll(async () => {
    moto = await startMoto();
    uninstall = install(BROKEN['a tracer whose startSpan throws']());
  });
  afterAll(async () => {
    uninstall?.();
    await moto?.stop();
  });

  test('each message is handled once and deleted', async () => {
    const wiring = await wireQueue(moto, 'untraceable');
    const handled: string[] = [];
    const consumer = wiring.client.consumer({ queueUrl: wiring.queueUrl, waitTimeSeconds: 1, visibilityTimeoutSeconds: 5, stopTimeoutMs: 2_000 });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      handled.push(event.detail.orderId);
    });
    consumer.start();
    try {
      for (const id of ['a', 'b', 'c']) await wiring.client.putEvent(order(id));
      await eventually(() => handled.length >= 3);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(handled.sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await consumer.stop();
      wiring.client.destroy();
      wiring.sqs.destroy();
    }
  });
});

test('the process was warned once that tracing steps were skipped, naming what threw', () => {
  const ours = warned.filter(([, options]) => (options as { code?: string } | undefined)?.code === 'EVENTBRIDGE_CONNECTOR_TRACING_ERROR');
  expect(ours).toHaveLength(1);
  expect(ours[0][0]).toMatch(/^tracing step skipped: the OpenTelemetry set-up threw "Error: \S+ is broken/);
});
