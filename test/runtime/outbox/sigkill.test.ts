import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { seededRandom } from '../../../src/local/eventbridge-faults';

const RUNS = 8;

/** Runs the child until it has confirmed some adds, kills it with SIGKILL after a random delay, and returns what it confirmed. */
function runAndKill(script: string, args: string[], killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (timer === undefined && output.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code ?? signal} before it was killed`));
      // Only whole lines: the last one may have been cut by the kill.
      resolve(output.split('\n').slice(0, -1).filter((line) => line !== 'ready'));
    });
  });
}

function drain(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`drain exited with ${code}`))));
  });
}

describe('an outbox in a process killed with SIGKILL at random moments', () => {
  let endpoint: EventBridgeEndpoint;
  let directory: string;
  let script: string;
  beforeAll(async () => {
    directory = await fs.mkdtemp(join(tmpdir(), 'outbox-kill-'));
    // Beside node_modules, so the bundle's packages resolve (as build-tools/run-ts.mjs does).
    await fs.mkdir(join(process.cwd(), 'node_modules/.cache/run-ts'), { recursive: true });
    script = join(process.cwd(), `node_modules/.cache/run-ts/outbox-child-${process.pid}.cjs`);
    buildSync({ entryPoints: [join(__dirname, 'outbox-child.ts')], outfile: script, bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
    // Lost answers and throttles too: some entries arrive twice, none may be missing.
    endpoint = await startEventBridgeEndpoint({ seed: 7, faults: { dropAfterRecording: 0.02, throttleEntry: 0.02 } });
  });
  afterAll(async () => {
    await endpoint.stop();
    await fs.rm(directory, { recursive: true, force: true });
    await fs.rm(script, { force: true });
  });

  test('every entry whose add resolved reaches the endpoint at least once, across 8 kills and restarts', async () => {
    const random = seededRandom(12);
    const confirmed: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const lines = await runAndKill(script, [directory, endpoint.endpoint, String(run)], 50 + Math.floor(random() * 600));
      confirmed.push(...lines);
    }
    await drain(script, [directory, endpoint.endpoint, 'drain']);

    const delivered = new Set([...endpoint.accepted.values()].map((e) => {
      const { run, n } = JSON.parse(e.detail) as { run: number; n: number };
      return `${run} ${n}`;
    }));
    const missing = confirmed.filter((line) => !delivered.has(line));
    expect(confirmed.length).toBeGreaterThan(RUNS * 50);
    expect(missing).toEqual([]);
    // Nothing but added entries arrived, and each whole (its detail parsed above).
    expect(endpoint.acceptedCount).toBeGreaterThanOrEqual(confirmed.length);
    // After the drain, nothing is left to send: only the drain's own empty segment remains.
    const left = (await fs.readdir(directory)).filter((name) => name.endsWith('.log'));
    expect(left).toHaveLength(1);
  });
});
