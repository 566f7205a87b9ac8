/**
 * The one way the code passes on options that may be left out, where an explicit `undefined`
 * would not mean the same as a missing key (see "Passing options on" in docs/development.md): the
 * configuration of an AWS SDK client (the SDK spreads its input over its defaults, so
 * `{ endpoint: undefined }` can replace a resolved value), and objects we hand out, which a caller
 * may read with `in`, `Object.keys` or a strict comparison. Everywhere else an option is passed
 * as `x: options.x`.
 */

/** `T` with every optional key that may hold `undefined` left out instead. */
export type DefinedOnly<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** A copy of `value` without its own keys whose value is `undefined`: `{ a: 1, b: undefined }` gives `{ a: 1 }`. */
export function definedOnly<T extends object>(value: T): DefinedOnly<T> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) result[key] = v;
  }
  return result as DefinedOnly<T>;
}
