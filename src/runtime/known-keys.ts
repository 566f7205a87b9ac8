/**
 * Refuses what a caller misspelt: an options object or an event entry with a key the runtime
 * does not read would otherwise be accepted without a word (`quota: { retyMode }` keeps the
 * default mode). The error names the unknown key (bounded and escaped), the nearest known one
 * when it is close, and every key expected.
 */
import { InputError } from './errors';
import { quote } from '../contract/quote';

/**
 * Every key an options type has, each once: a `KeyList<T>` must name each key of `T` and no
 * other, so the compiler fails here when an option is added to the type and not to its list.
 */
export type KeyList<T> = { readonly [K in keyof Required<T>]: true };

/** The keys of a {@link KeyList}, in its order, for the checks below. */
export type KnownKeys = readonly string[];

export function knownKeys<T>(list: KeyList<T>): KnownKeys {
  return Object.freeze(Object.keys(list));
}

/**
 * Keys that name something taken elsewhere, with what to say instead of "did you mean":
 * `endpointId` is PutEvents' `EndpointId` of a global endpoint (Route 53 failover between two
 * regional buses), one per client since it decides the host and the signature (SigV4a).
 */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  endpointId: 'a global endpoint\'s EndpointId is set once per client: expected ConnectorClient\'s putEvents.endpointId option, or the contract\'s EndpointId (fromParameters); entries, calls and the Lambda entry send to regional buses',
};

/**
 * The problem with the first own enumerable key of `value` that is not in `known`, or
 * `undefined` when every key is known (or `value` is not an object: its own check says so).
 * `what` names the object in the message (`quota option`, `entry field`); `path` goes before
 * the key (`quota.`).
 */
export function unknownKeyProblem(value: unknown, known: KnownKeys, what: string, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const notSupported = Object.prototype.hasOwnProperty.call(NOT_SUPPORTED, key) ? NOT_SUPPORTED[key] : undefined;
    if (notSupported !== undefined) return `unsupported ${what} ${quote(path + key)}: ${notSupported}`;
    const near = nearestKey(key, known);
    const hint = near === undefined ? '' : ` (did you mean ${quote(path + near)}?)`;
    return `unknown ${what} ${quote(path + key)}${hint}: expected ${known.length === 0 ? 'none' : `one of ${known.join(', ')}`}`;
  }
  return undefined;
}

/** {@link unknownKeyProblem} as an `InputError`, for options checked when they are given. */
export function checkKnownKeys(value: unknown, known: KnownKeys, what: string, path = ''): void {
  const problem = unknownKeyProblem(value, known, what, path);
  if (problem !== undefined) throw new InputError(problem);
}

/**
 * {@link checkKnownKeys} for a group of options (`quota`, `producer`, ...): left out, or an
 * object with known keys. `null`, an array, a string or any other value is refused, naming the
 * group, since reading a setting from it would give `undefined` (a default) or a TypeError.
 */
export function checkOptionGroup(value: unknown, known: KnownKeys, what: string, path: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    const given = value === null ? 'null' : Array.isArray(value) ? 'an array' : `${typeof value} ${quote(value)}`;
    throw new InputError(`invalid ${what} ${quote(path.replace(/\.$/, ''))}: expected an object (with ${known.join(', ')}), got ${given}`);
  }
  checkKnownKeys(value, known, what, path);
}

/**
 * The known key closest to `key` when it is close enough to be what was meant: the same letters
 * in another case (`DetailType` for `detailType`, the SDK's PascalCase), at most 1 edit for
 * keys up to 4 characters, 2 up to 8 and 3 beyond (Damerau-Levenshtein: a swap of two
 * neighbours is one edit), or else the shortest known key that `key` (4 characters or more)
 * begins, a unit or noun left out (`visibilityTimeout` for `visibilityTimeoutSeconds`).
 * `undefined` when nothing is that close, so the message never guesses.
 */
export function nearestKey(key: string, known: KnownKeys): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const limit = candidate.length <= 4 ? 1 : candidate.length <= 8 ? 2 : 3;
    // A length difference is at least that many edits: a 10 KB key costs no more than a short one.
    let distance = Math.abs(candidate.length - key.length) > limit ? Infinity : editDistance(lower, candidate.toLowerCase(), limit);
    if (distance > limit) {
      const prefix = key.length >= 4 && candidate.length > key.length && candidate.toLowerCase().startsWith(lower);
      // Ranked after every edit match, the shorter the better.
      distance = prefix ? 4 + candidate.length - key.length : Infinity;
    }
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance, stopping once every path exceeds `limit` (then `limit + 1`). */
function editDistance(a: string, b: string, limit: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}
