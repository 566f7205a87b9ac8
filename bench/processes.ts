import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** `npm run bench` runs from the repository root. */
export const ROOT = process.cwd();

/** Starts `node build-tools/run-ts.mjs <entry>` and resolves with the JSON line it prints first. */
export async function startChild<T>(entry: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, [join(ROOT, 'build-tools/run-ts.mjs'), entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
