// Counters, gauges and histograms of PutEvents traffic, shaped for OpenTelemetry.
export { METRIC_NAMES } from './put-events-stats';
export type { PutEventsStatsSnapshot, PutEventsObserver, PutEventsRequestRecord, EntryFailureRecord } from './put-events-stats';
export type { HistogramSnapshot } from './histogram';
