import { readFileSync } from 'node:fs';
import { quote } from '../contract';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'a directory, not a file',
  ENOTDIR: 'a path segment is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * A file read at synthesis. Throws `cannot read <what> file '<path>': <reason> (<code>)` with the
 * path quoted (bounded, control characters escaped) and Node's error code instead of its message,
 * which repeats the path raw.
 */
export function readSynthFile(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException).code ?? 'EIO');
    throw new Error(`cannot read ${what} file ${quote(path)}: ${REASONS[code] ?? 'unreadable'} (${quote(code, 16).slice(1, -1)}), expected a readable file`);
  }
}
