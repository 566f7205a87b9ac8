import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** `npm run bench` runs from the repository root. */
export const ROOT = process.cwd();

/** Process groups of the children still running, ended when the bench exits however it exits. */
const groups = new Set<number>();
process.once('exit', () => {
  for (const group of groups) killGroup(group);
});

/**
 * Starts `node build-tools/run-ts.mjs <entry>` and resolves with the JSON line it prints first.
 * The child leads a process group of its own: run-ts.mjs runs the entry in a grandchild and does
 * not pass signals on, so stopping the child means signalling the whole group.
 */
export async function startChild<T>(entry: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, [join(ROOT, 'build-tools/run-ts.mjs'), entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  if (child.pid !== undefined) groups.add(child.pid);
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)) as T);
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
  });
  return { child, info };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid !== undefined) groups.delete(child.pid);
    if (child.exitCode !== null) {
      if (child.pid !== undefined) killGroup(child.pid);
      return resolve();
    }
    child.once('exit', () => resolve());
    if (child.pid === undefined || !killGroup(child.pid)) child.kill('SIGTERM');
  });
}

function killGroup(pid: number): boolean {
  try {
    process.kill(-pid, 'SIGTERM');
    return true;
  } catch {
    return false; // the group is gone already
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
