/* eslint-disable no-bitwise -- file mode bits */
/**
 * What `update` checks before it rewrites the shared credentials file, so that a mistaken
 * `--credentials-file` (a device, /etc/hostname through a symlink, a binary, a read-only file)
 * is refused instead of being replaced by a file holding credentials.
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { CliError } from './io';
import { quote } from '../contract/quote';

/** The largest credentials file update rewrites: real ones are a few KiB. */
export const MAX_CREDENTIALS_FILE_BYTES = 1024 * 1024;

export interface ExistingCredentialsFile {
  /** The file's text ('' when it does not exist yet). */
  readonly text: string;
  /** The permission bits to keep when rewriting it (0600 for a new file). */
  readonly mode: number;
}

/**
 * Reads the credentials file `update` is about to rewrite. It must be missing or a regular file
 * (a symlink is followed only when its target is a regular file: dotfile managers link
 * ~/.aws/credentials), writable by its owner, at most 1 MiB of UTF-8 text without NUL bytes,
 * and shaped like an INI file (sections, `key = value`, comments, indented continuations).
 * @throws CliError naming the file and what was expected.
 */
export function readExistingCredentialsFile(file: string): ExistingCredentialsFile {
  const bad = (why: string) => new CliError(`invalid credentials file ${quote(file)}: ${why}`);
  let stats;
  try {
    lstatSync(file);
    stats = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      try {
        lstatSync(file);
      } catch {
        return { text: '', mode: 0o600 };
      }
      throw bad('expected a regular file, got a symlink whose target does not exist');
    }
    throw bad(`cannot read it (${code ?? (e as Error).message}): expected a readable regular file`);
  }
  if (!stats.isFile()) throw bad(`expected a regular file (or a symlink to one), got a ${kindOf(stats)}`);
  if ((stats.mode & 0o200) === 0) throw bad(`it is read-only (mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}): expected the owner's write bit`);
  if (stats.size > MAX_CREDENTIALS_FILE_BYTES) throw bad(`it has ${stats.size} bytes: expected at most ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
  const bytes = readFileSync(file);
  if (bytes.length > MAX_CREDENTIALS_FILE_BYTES) throw bad(`it has ${bytes.length} bytes: expected at most ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
  if (bytes.includes(0)) throw bad('it holds NUL bytes: expected an INI text file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bad('it is not UTF-8 text: expected an INI text file');
  }
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => !INI_LINE.test(line));
  if (at >= 0) throw bad(`line ${at + 1} ${quote(lines[at])} is not a section, key = value, comment or continuation: expected an INI credentials file`);
  return { text, mode: stats.mode & 0o7777 };
}

// Blank, comment, [section], key = value, or an indented continuation of a nested value.
const INI_LINE = /^(?:\s*|\s*[#;].*|\s*\[[^\]]+\]\s*(?:[#;].*)?|\s*[^\s=[#;][^=]*=.*|\s+\S.*)$/;

function kindOf(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  return 'special file';
}
