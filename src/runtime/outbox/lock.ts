/**
 * One outbox per directory: two writers would interleave records. The lock file holds the
 * owner's pid; a lock left by a process that died (SIGKILL leaves it behind) is taken over.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { OutboxError } from './errors';

const held = new Set<string>();

export async function lockDirectory(directory: string): Promise<() => Promise<void>> {
  const path = join(directory, 'outbox.lock');
  if (held.has(path)) {
    throw new OutboxError('OutboxLocked', `outbox directory '${directory}' is already open in this process: expected one outbox per directory`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(path, String(process.pid), { flag: 'wx' });
      held.add(path);
      return async () => {
        held.delete(path);
        await fs.rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await fs.readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new OutboxError('OutboxLocked', `outbox directory '${directory}' is in use by process ${owner}: expected one outbox per directory`);
      }
      await fs.rm(path, { force: true });
    }
  }
  throw new OutboxError('OutboxLocked', `outbox directory '${directory}': could not take its lock file ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
