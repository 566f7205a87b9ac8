/**
 * Flag parsing with node:util's parseArgs, its errors turned into one line that names the flag.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { CliError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values of the flags given: booleans for boolean flags, strings for the others. */
export type FlagValues<T extends Options> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** The flag values; every flag is a string or a boolean, none repeats. */
export function parseFlags<T extends Options>(command: string, args: readonly string[], options: T): FlagValues<T> {
  // A credential_process line in ~/.aws/config is one line: an argument with a newline is a
  // continuation the AWS CLI did not join.
  const multiLine = args.find((arg) => /[\r\n]/.test(arg));
  if (multiLine !== undefined) {
    throw new CliError(`invalid argument ${JSON.stringify(bounded(multiLine))}: expected no line breaks (a credential_process command must be on one line in ~/.aws/config)`);
  }
  try {
    const { values, tokens } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false, tokens: true });
    const seen = new Set<string>();
    for (const token of tokens ?? []) {
      if (token.kind !== 'option') continue;
      if (seen.has(token.name)) throw new CliError(`--${token.name} was given more than once: expected it at most once`);
      seen.add(token.name);
    }
    return values as FlagValues<T>;
  } catch (e) {
    if (e instanceof CliError) throw e;
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

/** Certificates, keys and bundles are a few KiB; anything past this is not one (or is /dev/zero). */
export const MAX_FLAG_FILE_BYTES = 1024 * 1024;

function bounded(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}... (${value.length} characters)` : value;
}

/** Reads the regular file a flag names, relative to `cwd`, at most {@link MAX_FLAG_FILE_BYTES}. */
export function readFlagFile(path: string, flag: string, cwd: string): Buffer {
  try {
    const stat = statSync(resolve(cwd, path));
    if (!stat.isFile()) throw new CliError(`cannot read --${flag} file '${bounded(path)}': ${stat.isDirectory() ? 'it is a directory' : 'it is not a regular file'}: expected a certificate or key file`);
    if (stat.size > MAX_FLAG_FILE_BYTES) throw new CliError(`cannot read --${flag} file '${bounded(path)}': it holds ${stat.size} bytes: expected at most ${MAX_FLAG_FILE_BYTES} (a certificate or key file)`);
    return readFileSync(resolve(cwd, path));
  } catch (e) {
    if (e instanceof CliError) throw e;
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
