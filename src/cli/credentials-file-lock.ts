/**
 * Serialises `update`'s read-modify-write of the shared credentials file across processes: two
 * `update`s refreshing different profiles of one file each read it, change their profile and
 * write it back, so without a lock one can write back a copy read before the other's write and
 * lose that profile. The lock is proper-lockfile's: a `<file>.lock` directory (mkdir is atomic on
 * local and network file systems) whose mtime the holder refreshes, so a lock left by a process
 * that died is taken over once it is stale, and a wait for a live one is bounded.
 */
import { existsSync, realpathSync } from 'node:fs';
import { lock } from 'proper-lockfile';
import { CliError } from './io';
import { quote } from '../contract/quote';

/** How long `update` waits for another process's lock before giving up. */
export const CREDENTIALS_LOCK_WAIT_MS = 10_000;
/** A lock whose holder has not refreshed it for this long is stale and taken over (proper-lockfile's default; its minimum is 2 s). */
export const CREDENTIALS_LOCK_STALE_MS = 10_000;

export interface CredentialsLockOptions {
  /** @default CREDENTIALS_LOCK_WAIT_MS */
  readonly waitMs?: number;
  /** @default CREDENTIALS_LOCK_STALE_MS */
  readonly staleMs?: number;
}

/**
 * Runs `change` holding the lock of `file`; `change` calls `stillHeld()` right before it writes
 * (it throws when the lock was lost). Through a symlink it is the lock of the target, so that
 * every path to one file takes one lock. The file need not exist; its folder must.
 * @throws CliError when another process holds the lock for longer than the wait, or when the
 *   lock was lost (not refreshed within its stale time) before `change` wrote.
 */
export async function withCredentialsFileLock<T>(
  file: string, change: (stillHeld: () => void) => Promise<T>, options: CredentialsLockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? CREDENTIALS_LOCK_WAIT_MS;
  const target = existsSync(file) ? realpathSync(file) : file;
  const lockfilePath = `${target}.lock`;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lock(target, {
      realpath: false,
      lockfilePath,
      stale: options.staleMs ?? CREDENTIALS_LOCK_STALE_MS,
      // Short randomised retries (20 to 200 ms apart), for at most waitMs in all.
      retries: { retries: Math.ceil(waitMs / 20), factor: 1.5, minTimeout: 20, maxTimeout: 200, randomize: true, maxRetryTime: waitMs },
      // The default throws from a timer and kills the process; here the write is refused instead.
      onCompromised: (error) => (compromised = error),
    });
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === 'ELOCKED') {
      throw new CliError(`cannot lock credentials file ${quote(file)}: another process holds ${quote(lockfilePath)} and did not release it within ${waitMs / 1000} s: expected the other update to finish (a lock left by a process that died is taken over after ${(options.staleMs ?? CREDENTIALS_LOCK_STALE_MS) / 1000} s)`);
    }
    throw new CliError(`cannot lock credentials file ${quote(file)} with ${quote(lockfilePath)} (${error.code ?? error.message}): expected a writable folder`);
  }
  const stillHeld = () => {
    if (compromised) throw new CliError(`lost the lock ${quote(lockfilePath)} of credentials file ${quote(file)} (${compromised.message}): the file was not written; expected this process to keep refreshing its lock`);
  };
  try {
    return await change(stillHeld);
  } finally {
    // A lost lock is no longer ours to remove.
    if (!compromised) await release().catch(() => undefined);
  }
}
