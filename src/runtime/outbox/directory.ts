/**
 * The outbox's directory: its path checked before any file system call, then made level by level
 * (each missing directory with a plain `mkdir`, never `{ recursive: true }`), and every file
 * system failure while opening turned into one message that names the directory and what to fix.
 *
 * Why not `fs.mkdir(path, { recursive: true })`: under a file system that holds no directories,
 * such as /proc, `mkdir` answers ENOENT although the parent exists; Node's recursive mkdir then
 * makes the parent (EEXIST), tries the child again (ENOENT) and loops for ever. Walking the
 * levels ourselves takes at most one `stat` and one `mkdir` per level of a bounded path.
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutboxError } from './errors';
import { escapeBounded, quote } from '../../contract/quote';

/** Most bytes of a path (Linux PATH_MAX, 4096, less the terminating NUL). */
export const MAX_PATH_BYTES = 4095;
/** Most bytes of one name in a path (NAME_MAX on Linux, macOS and Windows' NTFS). */
export const MAX_NAME_BYTES = 255;

const EXPECTED = 'expected the path of a directory this process can create and write';

/** What is wrong with the directory option as a path, or undefined. Checked before any file system call. */
export function directoryPathProblem(directory: unknown): string | undefined {
  if (typeof directory !== 'string' || directory === '') {
    return `invalid outbox directory ${quote(directory)}: expected the path of a directory for the outbox's files`;
  }
  if (directory.includes('\0')) {
    return `invalid outbox directory ${quote(directory)}: it holds a NUL character, which no file system path can: ${EXPECTED}`;
  }
  const bytes = Buffer.byteLength(directory);
  if (bytes > MAX_PATH_BYTES) {
    return `invalid outbox directory ${quote(directory)}: the path is ${bytes} bytes long: expected at most ${MAX_PATH_BYTES} bytes (PATH_MAX)`;
  }
  const long = directory.split(/[\\/]/).find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (long !== undefined) {
    return `invalid outbox directory ${quote(directory)}: the name ${quote(long, 40)} in it is ${Buffer.byteLength(long)} bytes long: ` +
      `expected names of at most ${MAX_NAME_BYTES} bytes (NAME_MAX)`;
  }
  return undefined;
}

/**
 * Makes `directory` and its missing parents, one level at a time.
 * @throws OutboxError `InvalidOutboxDirectory` naming the level that failed and why
 */
export async function makeDirectory(directory: string): Promise<void> {
  const target = resolve(directory);
  // The deepest level that exists: one stat per level, at most one level per two bytes of the path.
  const missing: string[] = [];
  let level = target;
  for (let depth = 0; ; depth++) {
    const found = await fs.stat(level).then((s) => s, (error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up; the next stat finds it.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw directoryError(directory, error, `looking up ${quote(level)}`);
    });
    if (found !== undefined) {
      if (!found.isDirectory()) {
        throw new OutboxError('InvalidOutboxDirectory', level === target
          ? `invalid outbox directory ${quote(directory)}: it is a file, not a directory: ${EXPECTED}`
          : `invalid outbox directory ${quote(directory)}: ${quote(level)} in its path is a file, not a directory: ${EXPECTED}`);
      }
      break;
    }
    const parent = dirname(level);
    if (parent === level || depth > MAX_PATH_BYTES) {
      // Nothing exists, not even the root: no file system answers this way, but the loop is bounded.
      throw new OutboxError('InvalidOutboxDirectory', `invalid outbox directory ${quote(directory)}: none of its parents exists: ${EXPECTED}`);
    }
    missing.unshift(level);
    level = parent;
  }
  for (const next of missing) {
    try {
      await fs.mkdir(next);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      // Made meanwhile by another process: fine if it is a directory.
      if (e.code === 'EEXIST' && (await fs.stat(next).then((s) => s.isDirectory(), () => false))) continue;
      if (e.code === 'ENOENT') {
        // The parent exists (made or found just before): this file system holds no directories.
        throw new OutboxError('InvalidOutboxDirectory',
          `invalid outbox directory ${quote(directory)}: ${quote(dirname(next))} cannot hold directories (mkdir answered ENOENT although it exists, ` +
          `as /proc and /sys do): ${EXPECTED}`, { cause: error });
      }
      throw directoryError(directory, e, `creating ${quote(next)}`);
    }
  }
}

/**
 * A file system failure while the outbox opens, as `invalid outbox directory '<path>': <what
 * failed> failed with <code> (<meaning>): expected ...`; `doing` defaults to the call and file.
 */
export function directoryError(directory: string, error: NodeJS.ErrnoException, doing?: string): OutboxError {
  const code = typeof error.code === 'string' ? error.code : 'an error';
  // Node's own message repeats the whole path (unbounded): only its meaning is kept.
  const why = REASONS[code] ?? (typeof error.message === 'string' ? error.message.replace(/^[A-Z]+: /, '').split(',')[0] : String(error));
  const what = doing ?? (typeof error.path === 'string' ? `${error.syscall ?? 'using'} ${quote(error.path)}` : `${error.syscall ?? 'a file system call'}`);
  return new OutboxError('InvalidOutboxDirectory',
    `invalid outbox directory ${quote(directory)}: ${what} failed with ${code} (${escapeBounded(why, 80)}): ${EXPECTED}`, { cause: error });
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'a name or the path is too long for this file system',
  ELOOP: 'too many symbolic links in the path',
  EIO: 'input/output error',
  EISDIR: 'a directory where a file was expected',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files on this system',
};

/**
 * True for an error Node's file system calls give (a string `code` and `syscall`), not one of
 * ours. By shape: Node makes them in its own realm, so `instanceof Error` may not hold.
 */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null;
  return typeof e === 'object' && e !== null && !(e instanceof OutboxError) && typeof e.code === 'string' && typeof e.syscall === 'string';
}
