/**
 * The client's counts through OpenTelemetry's meter, so that an app with a metrics SDK gets them
 * without polling `stats()`: each PutEvents request records `messaging.client.operation.duration`
 * and `messaging.client.sent.messages`, each delivery `messaging.process.duration` and
 * `messaging.client.consumed.messages`; every counter and gauge of `stats()` is observed under its
 * {@link METRIC_NAMES} name. Instruments are made per meter provider, once it is registered.
 */
import type { Attributes, Counter, Histogram, Meter, MeterProvider, Observable } from '@opentelemetry/api';
import { guarded } from './guard';
import { ATTR, METRIC, MESSAGING_SYSTEM, SCOPE } from './names';
import { metricsApi } from './otel';
import type { ProcessTrace } from './types';
import type { PutEventsRequestRecord, PutEventsStats, PutEventsStatsSnapshot } from '../stats/put-events-stats';
import { METRIC_NAMES } from '../stats/put-events-stats';
import { VERSION } from '../version';

interface Instruments {
  readonly meter: Meter;
  readonly operationDuration: Histogram;
  readonly sentMessages: Counter;
  readonly processDuration: Histogram;
  readonly consumedMessages: Counter;
}

const SEND: Attributes = { [ATTR.system]: MESSAGING_SYSTEM, [ATTR.operationName]: 'send', [ATTR.operationType]: 'send' };
const PROCESS: Attributes = { [ATTR.system]: MESSAGING_SYSTEM, [ATTR.operationName]: 'process', [ATTR.operationType]: 'process' };
/** Bucket bounds in seconds the conventions advise for messaging durations. */
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

let current: { provider: MeterProvider; instruments: Instruments } | undefined;
/** The stats objects observed under each provider (a client's, until it is collected). */
const observed = new WeakMap<MeterProvider, WeakSet<PutEventsStats>>();

function instruments(): Instruments | undefined {
  const otel = metricsApi();
  if (!otel) return undefined;
  const provider = otel.metrics.getMeterProvider();
  if (current?.provider === provider) return current.instruments;
  const meter = provider.getMeter(SCOPE, VERSION);
  const made: Instruments = {
    meter,
    operationDuration: meter.createHistogram(METRIC.operationDuration, { unit: 's', description: 'Duration of PutEvents requests', advice: { explicitBucketBoundaries: DURATION_BOUNDS } }),
    sentMessages: meter.createCounter(METRIC.sentMessages, { unit: '{message}', description: 'Entries the client attempted to send, by outcome' }),
    processDuration: meter.createHistogram(METRIC.processDuration, { unit: 's', description: 'Duration of handling a delivered event', advice: { explicitBucketBoundaries: DURATION_BOUNDS } }),
    consumedMessages: meter.createCounter(METRIC.consumedMessages, { unit: '{message}', description: 'Events delivered to the handlers' }),
  };
  current = { provider, instruments: made };
  return made;
}

/** Records one PutEvents request, and observes `stats`' counters and gauges from now on. */
export function recordRequest(stats: PutEventsStats, record: PutEventsRequestRecord): void {
  guarded(() => recordRequestIn(stats, record), undefined);
}

function recordRequestIn(stats: PutEventsStats, record: PutEventsRequestRecord): void {
  const made = instruments();
  if (!made) return;
  observe(made, stats);
  const attributes = record.errorCode === undefined ? SEND : { ...SEND, [ATTR.errorType]: record.errorCode };
  made.operationDuration.record(record.latencyMs / 1000, attributes);
  if (record.acknowledged > 0) made.sentMessages.add(record.acknowledged, SEND);
  if (record.throttled > 0) made.sentMessages.add(record.throttled, { ...SEND, [ATTR.errorType]: record.errorCode ?? 'ThrottlingException' });
  const other = record.entries - record.acknowledged - record.throttled;
  if (other > 0) made.sentMessages.add(other, { ...SEND, [ATTR.errorType]: record.errorCode ?? 'entry_error' });
}

/** Records one delivery's handling time (from the process span's start) and count. */
export function recordProcess(trace: ProcessTrace, errorType: string | undefined): void {
  guarded(() => recordProcessIn(trace, errorType), undefined);
}

function recordProcessIn(trace: ProcessTrace, errorType: string | undefined): void {
  const made = instruments();
  if (!made) return;
  const base = trace.source.queueUrl === undefined ? PROCESS : { ...PROCESS, [ATTR.queueUrl]: trace.source.queueUrl };
  const attributes = errorType === undefined ? base : { ...base, [ATTR.errorType]: errorType };
  made.processDuration.record((performance.now() - trace.startedAt) / 1000, attributes);
  made.consumedMessages.add(1, base);
}

type Field = keyof typeof METRIC_NAMES;

/**
 * Every counter and gauge of `stats()` as an observable instrument, read in one snapshot per
 * collection. The callback holds the stats weakly: a client let go is no longer observed.
 */
function observe(made: Instruments, stats: PutEventsStats): void {
  const provider = current!.provider;
  let seen = observed.get(provider);
  if (!seen) observed.set(provider, (seen = new WeakSet()));
  if (seen.has(stats)) return;
  seen.add(stats);
  const fields = (Object.keys(METRIC_NAMES) as Field[]).filter((field) => METRIC_NAMES[field].kind !== 'histogram');
  const observables = new Map<Field, Observable>();
  for (const field of fields) {
    const { name, kind, unit } = METRIC_NAMES[field];
    observables.set(field, kind === 'counter' ? made.meter.createObservableCounter(name, { unit }) : made.meter.createObservableGauge(name, { unit }));
  }
  const ref = new WeakRef(stats);
  const callback = (result: { observe(observable: Observable, value: number, attributes?: Attributes): void }) => {
    const live = ref.deref();
    if (!live) {
      made.meter.removeBatchObservableCallback(callback, [...observables.values()]);
      return;
    }
    const snapshot: PutEventsStatsSnapshot = live.snapshot();
    for (const [field, observable] of observables) {
      const value = snapshot[field];
      if (typeof value === 'number') {
        result.observe(observable, value);
      } else if (field === 'failed') {
        for (const [code, count] of Object.entries(snapshot.failed)) result.observe(observable, count, { [ATTR.errorType]: code });
      }
    }
  };
  made.meter.addBatchObservableCallback(callback, [...observables.values()]);
}
