/**
 * One outbox per directory: two writers would interleave records. The lock file holds the
 * owner's pid; a lock left by a process that died (SIGKILL leaves it behind) is taken over.
 *
 * Two processes may open one directory at the same moment (two copies of a service started
 * together, or restarted together after a crash), so neither step may leave a window:
 * - the lock is made whole: the pid is written to a file of this process's own and hard-linked
 *   to `outbox.lock`, which fails with EEXIST when it exists (a `wx` write creates the file empty
 *   and writes later: another process reading it in between took it for a dead owner's);
 * - a dead owner's lock is taken over by renaming that very file (its inode and text) aside, then
 *   making the lock as above: of two processes taking it over, one renames it, the other finds
 *   it gone (or renames the winner's new lock, sees another inode or text and puts it back) and then
 *   finds the winner alive.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { OutboxError } from './errors';
import { quote } from '../../contract/quote';

const held = new Set<string>();
/** Rounds of make, find a dead owner, take over: each other process can cost one. */
const ATTEMPTS = 8;

export async function lockDirectory(directory: string): Promise<() => Promise<void>> {
  const path = join(directory, 'outbox.lock');
  if (held.has(path)) {
    throw new OutboxError('OutboxLocked', `outbox directory ${quote(directory)} is already open in this process: expected one outbox per directory`);
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await make(path)) {
      held.add(path);
      return async () => {
        held.delete(path);
        await fs.rm(path, { force: true });
      };
    }
    const found = await readLock(path);
    if (found === undefined) continue;
    if (Number.isInteger(found.owner) && found.owner > 0 && found.owner !== process.pid && isAlive(found.owner)) {
      throw new OutboxError('OutboxLocked', `outbox directory ${quote(directory)} is in use by process ${found.owner}: expected one outbox per directory`);
    }
    await takeOver(path, found);
  }
  throw new OutboxError('OutboxLocked', `outbox directory ${quote(directory)}: could not take its lock file ${quote(path)}`);
}

/** Makes the lock with this process's pid in it, whole; false when one exists. */
async function make(path: string): Promise<boolean> {
  const own = `${path}.${process.pid}.tmp`;
  await fs.writeFile(own, String(process.pid));
  try {
    await fs.link(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await fs.rm(own, { force: true });
  }
}

/** The owner the lock names (NaN when it names none: left empty by an earlier version) and its inode; undefined when gone. */
async function readLock(path: string): Promise<LockFile | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { ino } = await handle.stat();
    const text = await handle.readFile('utf8').catch((error: NodeJS.ErrnoException) => {
      // Node's read errors name no file (EISDIR): the message that reports it should.
      if (typeof error === 'object' && error !== null && error.path === undefined) error.path = path;
      throw error;
    });
    return { owner: text.trim() === '' ? NaN : Number(text.trim()), ino, text };
  } finally {
    await handle.close();
  }
}

interface LockFile {
  readonly owner: number;
  readonly ino: number;
  readonly text: string;
}

/**
 * Removes the dead owner's lock `stale`, and only it: another process's new lock is put back. By
 * inode and text both: the inode of the lock removed is free, and a new lock may get its number.
 */
async function takeOver(path: string, stale: LockFile): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    // Taken over (or released) by another process meanwhile: the next round finds out by whom.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await readLock(aside);
    if (moved !== undefined && (moved.ino !== stale.ino || moved.text !== stale.text)) await fs.link(aside, path).catch(() => undefined);
  } finally {
    await fs.rm(aside, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
