// An outbox with the claim check, in a process killed with SIGKILL after its payloads are in S3:
// (1) while its PutEvents request is unanswered and not taken, (2) after EventBridge took the
// entries but before the answer reached the outbox (the acknowledgement lost with the process).
// Reopened in another process with a working endpoint, every event is delivered, the references
// name each payload by its content key with one object per payload in S3 (the re-upload rewrites
// it, no second copy), and the payloads fetched back are the original bytes, checksum verified.
// Case (2) is the outbox's documented at-least-once: the entries are sent again, with the same
// reference (the key does not depend on the EventId or the attempt).
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BUCKET, documentOf, PREFIX } from './claim-check-outbox-killed-child';
import type { MotoServer } from '../../src/local/moto';
import { ConnectorClient } from '../../src/runtime';
import { contentKey, fetchPayload, readPointer } from '../../src/runtime/claim-check';
import { useMotoBucket } from '../runtime/claim-check/support';
import { bundleChildScript, removeChildScript } from '../support/child-script';

jest.setTimeout(60_000);

/** Events the child adds: a few, each a little over 1 MiB, so the kill finds several payloads stored. */
const COUNT = 3;
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/**
 * A PutEvents endpoint whose behaviour the test switches: `stall` takes requests and never answers
 * nor accepts (EventBridge unreachable after the request left); `take` accepts the entries and
 * never answers (the answer lost); `answer` accepts and answers. `seen` counts entries received,
 * `accepted` holds the details of the entries given an EventId.
 */
interface ScriptedEndpoint {
  mode: 'stall' | 'take' | 'answer';
  readonly seen: { entries: number };
  readonly accepted: string[];
  readonly server: Server;
  readonly url: string;
  readonly held: ServerResponse[];
}

async function startScripted(): Promise<ScriptedEndpoint> {
  const state = { mode: 'stall' as ScriptedEndpoint['mode'], seen: { entries: 0 }, accepted: [] as string[], held: [] as ServerResponse[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: Array<{ Detail: string }> }).Entries;
      state.seen.entries += entries.length;
      if (state.mode === 'stall') {
        state.held.push(res);
        return;
      }
      state.accepted.push(...entries.map((e) => e.Detail));
      if (state.mode === 'take') {
        state.held.push(res);
        return;
      }
      const body = JSON.stringify({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { server, url });
}

/** Polls `condition` every 20 ms for at most 20 s: the child's uploads and requests are on a loaded machine. */
async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  for (const started = Date.now(); !(await condition());) {
    if (Date.now() - started > 20_000) throw new Error(`not within 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const json = (n: number) => JSON.stringify(documentOf(n));
const keyOf = (n: number) => contentKey(PREFIX, createHash('sha256').update(json(n), 'utf8').digest('hex'));

let s3: S3Client;
let moto: MotoServer;
useMotoBucket((client, server) => {
  s3 = client;
  moto = server;
});
let script: string;
let directory: string;
let endpoint: ScriptedEndpoint;
beforeAll(async () => {
  script = bundleChildScript(join(__dirname, 'claim-check-outbox-killed-child.ts'));
  directory = await fs.mkdtemp(join(tmpdir(), 'claim-check-kill-'));
});
beforeEach(async () => {
  endpoint = await startScripted();
  // Payload keys depend on the bytes alone, and both cases send the same documents: each case
  // starts with no payload objects, so what it finds in S3 is its own.
  const left = await objects(PREFIX);
  if (left.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: left.map((Key) => ({ Key })) } }));
});
afterEach(async () => {
  for (const res of endpoint.held) res.destroy();
  endpoint.server.closeAllConnections();
  await new Promise((r) => endpoint.server.close(r));
});
afterAll(async () => {
  removeChildScript(script);
  await fs.rm(directory, { recursive: true, force: true });
});

const objects = async (prefix: string) =>
  (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents?.map((o) => o.Key!).sort() ?? [];

/**
 * Runs the child on `dir` until every add resolved, its COUNT payloads are in S3 and `reached`
 * holds for the endpoint, then kills it with SIGKILL; fails if it exited on its own first.
 */
async function runUntilKilled(dir: string, reached: () => boolean): Promise<void> {
  const child = spawn(process.execPath, [script, dir, endpoint.url, moto.endpoint, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exit = { code, signal };
    resolve();
  }));
  try {
    await until('the child added every event', () => exit !== undefined || output.includes('ready\n'));
    await until('every payload in S3', async () => exit !== undefined || (await objects(PREFIX)).length >= COUNT);
    await until('the endpoint reached', () => exit !== undefined || reached());
    expect(exit).toBeUndefined();
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  expect(exit?.signal).toBe('SIGKILL');
}

/** Reopens the outbox in this process with the endpoint answering, and waits until it has sent everything. */
async function reopenAndDrain(dir: string): Promise<void> {
  endpoint.mode = 'answer';
  const client = new ConnectorClient({
    region: 'eu-west-1',
    eventBusName: 'orders',
    credentials: CREDENTIALS,
    endpoint: endpoint.url,
    endpoints: { s3: moto.endpoint },
    claimCheck: { bucket: BUCKET, keyPrefix: PREFIX },
  });
  try {
    const outbox = await client.outbox({ directory: dir, fsync: true, retryDelayMs: 50 });
    expect(outbox.events).toBe(COUNT);
    await outbox.flush();
    expect(outbox.events).toBe(0);
  } finally {
    await client.close({ deadlineMs: 1_000 });
  }
}

/** The delivered references, each checked against its document: content key, pointer, and the bytes fetched back. */
async function checkDelivered(): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (const detail of endpoint.accepted) {
    const reference = JSON.parse(detail) as Record<string, unknown>;
    const pointer = readPointer(reference)!;
    expect(pointer).toBeDefined();
    const n = [...Array(COUNT).keys()].find((i) => keyOf(i) === pointer.key);
    expect(n).toBeDefined();
    expect(pointer).toMatchObject({ bucket: BUCKET, size: Buffer.byteLength(json(n!)), sha256: createHash('sha256').update(json(n!)).digest('base64') });
    // fetchPayload checks the size and the SHA-256 of what it read against the pointer.
    expect(await fetchPayload(s3, pointer)).toBe(json(n!));
    times.set(n!, (times.get(n!) ?? 0) + 1);
  }
  return times;
}

describe('an outbox with the claim check killed with SIGKILL after its uploads', () => {
  test('before PutEvents was answered: each event is delivered once after reopening, one object per payload', async () => {
    const dir = join(directory, 'unanswered');
    endpoint.mode = 'stall';
    await runUntilKilled(dir, () => endpoint.seen.entries >= COUNT);
    expect(endpoint.accepted).toEqual([]);
    expect(await objects(PREFIX)).toEqual([...Array(COUNT).keys()].map(keyOf).sort());

    await reopenAndDrain(dir);
    const times = await checkDelivered();
    expect([...times.entries()].sort()).toEqual([...Array(COUNT).keys()].map((n) => [n, 1]));
    // The payloads were uploaded again under the same keys: still one object each, nothing else.
    expect(await objects(PREFIX)).toEqual([...Array(COUNT).keys()].map(keyOf).sort());
  });

  test('after EventBridge took the entries, before the answer: sent again with the same reference, no second payload object', async () => {
    const dir = join(directory, 'answer-lost');
    endpoint.mode = 'take';
    await runUntilKilled(dir, () => endpoint.accepted.length >= COUNT);
    const taken = [...endpoint.accepted];
    expect(await objects(PREFIX)).toEqual([...Array(COUNT).keys()].map(keyOf).sort());

    await reopenAndDrain(dir);
    const times = await checkDelivered();
    // At least once: every event delivered, those taken before the kill a second time.
    for (let n = 0; n < COUNT; n++) expect(times.get(n)).toBeGreaterThanOrEqual(2);
    // The repeat is the same reference, byte for byte: the same payload key and checksum.
    const again = endpoint.accepted.slice(taken.length);
    expect(new Set(again)).toEqual(new Set(taken));
    expect(await objects(PREFIX)).toEqual([...Array(COUNT).keys()].map(keyOf).sort());
  });
});
