// Tracing through OpenTelemetry (docs/tracing.md): only the carrier's key is public.
export { TRACE_CARRIER_KEY } from './carrier';
