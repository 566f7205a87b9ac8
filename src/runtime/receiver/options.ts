import { InputError } from '../errors';

/** A positive whole-number option, or its default when left out. */
export function boundedOption(name: string, value: number | undefined, fallback: number, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`invalid ${name} '${String(value).slice(0, 32)}': expected a positive whole number of ${unit}`);
  }
  return value;
}
