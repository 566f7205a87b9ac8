/**
 * Flag parsing with node:util's parseArgs, its errors turned into one line that names the flag.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { CliError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values of the flags given: booleans for boolean flags, strings for the others. */
export type FlagValues<T extends Options> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** The flag values; every flag is a string or a boolean, none repeats. */
export function parseFlags<T extends Options>(command: string, args: readonly string[], options: T): FlagValues<T> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as FlagValues<T>;
  } catch (e) {
    // Node's messages carry a hint after a newline; the first sentence names the flag.
    const first = (e as Error).message.split('\n')[0].replace(/\.$/, '');
    const reason = first.charAt(0).toLowerCase() + first.slice(1);
    throw new CliError(`${reason}: run 'eventbridge-connector ${command} --help' for the flags`);
  }
}

/** The value of a required flag. */
export function required(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value === '') throw new CliError(`missing --${flag}: expected ${what}`);
  return value;
}

/** Reads the file a flag names, relative to `cwd`. */
export function readFlagFile(path: string, flag: string, cwd: string): Buffer {
  try {
    return readFileSync(resolve(cwd, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CliError(`cannot read --${flag} file '${path}': ${reason}`);
  }
}

/** A flag holding a whole number within bounds. */
export function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`invalid --${flag} '${value}': expected a whole number from ${min} to ${max}`);
  }
  return n;
}
