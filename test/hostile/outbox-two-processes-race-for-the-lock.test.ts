// Two processes opening one outbox directory at the same moment, as two copies of a service
// started together (or restarted together after a crash left a dead owner's lock) do. Exactly
// one may open it: two writers would interleave records in its segments and deliver its entries
// twice. Each round starts both from a fresh directory, told to open in the same instant; a round
// where both opened is the fault, whatever the timing that let it happen.
import { ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { bundleChildScript, removeChildScript } from '../support/child-script';

const ROUNDS = 40;
/** A pid no process has: above Linux's pid_max limit (2^22). */
const DEAD_PID = 4_194_400;

interface Child { readonly process: ChildProcess; readonly lines: Interface; next(): Promise<string> }

function start(script: string): Child {
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  return {
    process: child,
    lines,
    next: () => new Promise<string>((resolve, reject) => {
      const line = queue.shift();
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(() => reject(new Error('the child did not answer within 20 s')), 20_000);
      waiting.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    }),
  };
}

let script: string;
let children: Child[] = [];
let dir: string;
beforeAll(() => {
  script = bundleChildScript(join(__dirname, 'outbox-lock-child.ts'));
});
afterAll(() => removeChildScript(script));
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'outbox-lock-race-'));
  children = [start(script), start(script)];
  for (const c of children) expect(await c.next()).toBe('ready');
});
afterEach(async () => {
  for (const c of children) {
    c.process.stdin!.end();
    c.process.kill('SIGKILL');
  }
  await fs.rm(dir, { recursive: true, force: true });
});

/** Rounds in which both processes opened the outbox; `prepare` readies each round's directory. */
async function bothOpened(prepare: (directory: string) => Promise<void>): Promise<{ both: number; answers: string[] }> {
  let both = 0;
  const answers: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const directory = join(dir, String(round));
    await prepare(directory);
    for (const c of children) c.process.stdin!.write(`open ${directory}\n`);
    const outcome = await Promise.all(children.map((c) => c.next()));
    answers.push(...outcome);
    if (outcome.every((o) => o === 'ok')) both++;
    for (const [i, c] of children.entries()) {
      if (outcome[i] !== 'ok') continue;
      c.process.stdin!.write('close\n');
      expect(await c.next()).toBe('closed');
    }
  }
  return { both, answers };
}

test('a fresh directory: one opens, the other is told OutboxLocked, every round', async () => {
  const { both, answers } = await bothOpened(async (d) => { await fs.mkdir(d, { recursive: true }); });
  expect(answers.filter((a) => a !== 'ok' && a !== 'locked')).toEqual([]);
  expect(both).toBe(0);
  expect(answers.filter((a) => a === 'ok')).toHaveLength(ROUNDS);
});

test('a lock left by a dead owner: one takes it over, the other is told OutboxLocked, every round', async () => {
  const { both, answers } = await bothOpened(async (d) => {
    await fs.mkdir(d, { recursive: true });
    await fs.writeFile(join(d, 'outbox.lock'), String(DEAD_PID));
  });
  expect(answers.filter((a) => a !== 'ok' && a !== 'locked')).toEqual([]);
  expect(both).toBe(0);
  expect(answers.filter((a) => a === 'ok')).toHaveLength(ROUNDS);
});
