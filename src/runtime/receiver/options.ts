import { InputError } from '../errors';
import { checkKnownKeys, knownKeys } from '../known-keys';
import type { ReceiverOptions } from './types';
import { IDEMPOTENCY_OPTION_KEYS } from '../routing/idempotency-keys';

const RECEIVER_OPTION_KEYS = knownKeys<ReceiverOptions>({
  apiKey: true,
  apiKeys: true,
  apiKeyHeader: true,
  maxBodyBytes: true,
  unknownDetailType: true,
  handlerTimeoutMs: true,
  bodyTimeoutMs: true,
  maxHandlersInFlight: true,
  idempotency: true,
  claimCheck: true,
  logger: true,
});

/** Refuses an unknown key of the receiver's options (and of its `idempotency`), naming the nearest known one. */
export function checkReceiverKeys(options: ReceiverOptions): void {
  checkKnownKeys(options, RECEIVER_OPTION_KEYS, 'receiver option');
  checkKnownKeys(options.idempotency, IDEMPOTENCY_OPTION_KEYS, 'receiver option', 'idempotency.');
}

/** A positive whole-number option, or its default when left out. */
export function boundedOption(name: string, value: number | undefined, fallback: number, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`invalid ${name} '${String(value).slice(0, 32)}': expected a positive whole number of ${unit}`);
  }
  return value;
}
