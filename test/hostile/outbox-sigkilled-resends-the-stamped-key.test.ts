// An outbox with stampIdempotencyKey, in a process killed with SIGKILL after EventBridge took its
// entries but before any answer reached it: the next outbox on the directory sends them again, as
// the outbox is at-least-once, and each resend must carry the key the first delivery carried, or a
// receiver deduplicating on the key runs the event twice (sending.md: "a restart resends the same
// key"). Checked across a real kill, not a close: the key is on disk when `add` resolves.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, IDEMPOTENCY_KEY_FIELD } from '../../src/runtime';
import { bundleChildScript, removeChildScript } from '../support/child-script';

const COUNT = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let script: string;
let directory: string;
const endpoints: EventBridgeEndpoint[] = [];
beforeAll(async () => {
  script = bundleChildScript(join(__dirname, 'outbox-stamped-key-killed-child.ts'));
  directory = await fs.mkdtemp(join(tmpdir(), 'outbox-key-kill-'));
});
afterAll(async () => {
  await Promise.all(endpoints.map((e) => e.stop()));
  removeChildScript(script);
  await fs.rm(directory, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 20_000) throw new Error(`not within 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every key each entry number arrived with at `endpoint`, in arrival order. */
function keysByNumber(endpoint: EventBridgeEndpoint): Map<number, string[]> {
  const keys = new Map<number, string[]>();
  for (const event of endpoint.accepted.values()) {
    const detail = JSON.parse(event.detail) as { n: number; [IDEMPOTENCY_KEY_FIELD]: string };
    keys.set(detail.n, [...(keys.get(detail.n) ?? []), detail[IDEMPOTENCY_KEY_FIELD]]);
  }
  return keys;
}

test('every entry is resent after the kill with the key its first delivery carried', async () => {
  const lossy = await startEventBridgeEndpoint({ faults: { dropAfterRecording: 1 } });
  endpoints.push(lossy);
  const child = spawn(process.execPath, [script, directory, lossy.endpoint, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exit = { code, signal };
    resolve();
  }));
  try {
    await until('every add resolved and every entry recorded', () => exit !== undefined || (output.includes('ready\n') && keysByNumber(lossy).size === COUNT));
    expect(exit).toBeUndefined();
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  expect(exit?.signal).toBe('SIGKILL');
  const before = keysByNumber(lossy);
  for (const keys of before.values()) {
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys).size).toBe(1);
  }

  const healthy = await startEventBridgeEndpoint();
  endpoints.push(healthy);
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    endpoint: healthy.endpoint,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    putEvents: { stampIdempotencyKey: true },
  });
  const outbox = await client.outbox({ directory });
  expect(outbox.events).toBe(COUNT);
  await outbox.flush();
  await client.close();
  const after = keysByNumber(healthy);
  expect(after.size).toBe(COUNT);
  for (const [n, keys] of after) expect(keys).toEqual([before.get(n)![0]]);
});
