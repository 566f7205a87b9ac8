/** The sender's options with defaults applied, checked once when the sender is made. */
import { InputError } from '../errors';
import { DEFAULT_MAX_REQUEST_BYTES } from './batcher';
import { checkEventBusName } from './entries';
import { quote } from '../../contract/quote';
import { checkKnownKeys, KeyList, knownKeys } from '../known-keys';
import type { InvalidEntriesPolicy, PutEventsOptions } from './types';

/**
 * Ten requests in flight keep a sender busy across a typical in-region round trip (10 requests of
 * 10 entries every ~20 ms is ~5,000 events/s) while staying well under the SDK's default of 50
 * sockets per agent, so no request waits for a socket, and well under the PutEvents
 * requests-per-second quotas, so one busy caller does not throttle itself.
 */
export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BASE_DELAY_MS = 100;
export const DEFAULT_MAX_DELAY_MS = 20_000;
/** Valid entries of a call with invalid ones are still sent unless the caller asks otherwise. */
export const DEFAULT_INVALID_ENTRIES: InvalidEntriesPolicy = 'send-valid';

export interface ResolvedOptions {
  readonly concurrency: number;
  readonly maxRequestBytes: number;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly invalidEntries: InvalidEntriesPolicy;
  readonly eventBusName?: string;
  readonly traceCarrier: boolean;
  readonly stampIdempotencyKey: boolean;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Every key of {@link PutEventsOptions}, as a list other option lists extend. */
export const PUT_EVENTS_OPTION_LIST: KeyList<PutEventsOptions> = {
  concurrency: true,
  maxRequestBytes: true,
  maxAttempts: true,
  baseDelayMs: true,
  maxDelayMs: true,
  invalidEntries: true,
  eventBusName: true,
  traceCarrier: true,
  stampIdempotencyKey: true,
  random: true,
  sleep: true,
};

/** Every key of {@link PutEventsOptions}; the sender refuses any other. */
export const PUT_EVENTS_OPTION_KEYS = knownKeys(PUT_EVENTS_OPTION_LIST);

export function resolveOptions(options: PutEventsOptions = {}): ResolvedOptions {
  checkKnownKeys(options, PUT_EVENTS_OPTION_KEYS, 'option');
  const resolved: ResolvedOptions = {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    invalidEntries: options.invalidEntries ?? DEFAULT_INVALID_ENTRIES,
    eventBusName: options.eventBusName,
    traceCarrier: options.traceCarrier ?? true,
    stampIdempotencyKey: options.stampIdempotencyKey ?? false,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  positiveInteger('concurrency', resolved.concurrency);
  if (!Number.isInteger(resolved.maxRequestBytes) || resolved.maxRequestBytes < MIN_REQUEST_BYTES || resolved.maxRequestBytes > MAX_REQUEST_BYTES) {
    throw new InputError(`maxRequestBytes ${resolved.maxRequestBytes} is not valid: expected a whole number of bytes from ${MIN_REQUEST_BYTES} to ${MAX_REQUEST_BYTES} (PutEvents' request limit)`);
  }
  positiveInteger('maxAttempts', resolved.maxAttempts);
  if (!(Number.isFinite(resolved.baseDelayMs) && resolved.baseDelayMs >= 0)) {
    throw new InputError(`baseDelayMs ${resolved.baseDelayMs} is not valid: expected a number of milliseconds, 0 or more`);
  }
  if (!(Number.isFinite(resolved.maxDelayMs) && resolved.maxDelayMs >= resolved.baseDelayMs)) {
    throw new InputError(`maxDelayMs ${resolved.maxDelayMs} is not valid: expected a number of milliseconds, at least baseDelayMs (${resolved.baseDelayMs})`);
  }
  if (resolved.invalidEntries !== 'send-valid' && resolved.invalidEntries !== 'reject-all') {
    throw new InputError(`invalidEntries '${String(resolved.invalidEntries)}' is not valid: expected 'send-valid' or 'reject-all'`);
  }
  if (typeof resolved.traceCarrier !== 'boolean') {
    throw new InputError(`invalid traceCarrier ${quote(resolved.traceCarrier)}: expected true or false`);
  }
  if (typeof resolved.stampIdempotencyKey !== 'boolean') {
    throw new InputError(`invalid stampIdempotencyKey ${quote(resolved.stampIdempotencyKey)}: expected true or false`);
  }
  const busProblem = checkEventBusName(resolved.eventBusName);
  if (busProblem) throw new InputError(`option ${busProblem}`);
  return resolved;
}

/** Below 1 KiB few real events fit; above 1 MiB, PutEvents' own request limit, AWS refuses the request. */
const MIN_REQUEST_BYTES = 1024;
const MAX_REQUEST_BYTES = 1024 * 1024;

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`${name} ${value} is not valid: expected a whole number, 1 or more`);
  }
}
