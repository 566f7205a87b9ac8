/**
 * Set-up shared by the tests that damage real outbox segment files: a writer process stores
 * entries (every add resolved) and is killed with SIGKILL; the test damages a file; a new outbox
 * on the directory delivers to a loopback endpoint, and the outcome is checked against what the
 * files held before the damage, read with the record layout documented in record.ts.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventBridgeEndpoint } from '../../src/local/eventbridge-endpoint';
import { ConnectorClient, OutboxDamage, OutboxStats } from '../../src/runtime';
import { bundleChildScript, removeChildScript } from '../support/child-script';

/** A record as found on disk: its byte range in the segment, its entry's number and Detail text. */
export interface FoundRecord {
  readonly offset: number;
  readonly end: number;
  readonly n: number;
  readonly detail: string;
}

export interface FoundSegment {
  readonly path: string;
  readonly bytes: number;
  readonly records: FoundRecord[];
}

export interface KilledWriter {
  readonly directory: string;
  /** The segment files in order, oldest first, as the killed writer left them. */
  readonly segments: FoundSegment[];
  /** Each stored entry's Detail text by its number. */
  readonly details: Map<number, string>;
  /** Entries the writer had delivered (and acknowledged) before it stored the rest. */
  readonly deliveredBefore: number;
}

export interface Delivery {
  /** The number of each entry the endpoint accepted, once per acceptance, sorted. */
  readonly numbers: number[];
  /** Accepted entries whose Detail text differs from the stored entry of that number. */
  readonly altered: string[];
  /** Warnings the client logged. */
  readonly warnings: string[];
  readonly stats: OutboxStats;
  /** The directory's file names once the outbox opened. */
  readonly filesAfterOpen: string[];
}

const MARKER = Buffer.from([0xff, 0x45, 0x42, 0x52]);
export const SEGMENT_BYTES = 2 * 1024 * 1024;

/** Reads an EBOXLOG2 segment: `[marker][length u32 LE][payload crc32][header crc32][payload]` after the 8-byte header. */
export function readSegment(path: string, data: Buffer): FoundSegment {
  if (data.subarray(0, 8).toString('latin1') !== 'EBOXLOG2') throw new Error(`${path} is not an EBOXLOG2 segment`);
  const records: FoundRecord[] = [];
  for (let offset = 8; offset < data.length;) {
    if (!data.subarray(offset, offset + 4).equals(MARKER)) throw new Error(`${path}: no record marker at ${offset}`);
    const end = offset + 16 + data.readUInt32LE(offset + 4);
    const stored = JSON.parse(data.subarray(offset + 16, end).toString('utf8')) as { Detail: string };
    records.push({ offset, end, n: (JSON.parse(stored.Detail) as { n: number }).n, detail: stored.Detail });
    offset = end;
  }
  return { path, bytes: data.length, records };
}

/** Whole numbers from `from` up to, not including, `to`. */
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Registers the hooks that build the writer and remove each test's directory; returns
 * `writeAndKill`, which runs the writer until its adds resolved and kills it with SIGKILL.
 */
export function killedWriters(): (count: number, deliveredBefore?: number) => Promise<KilledWriter> {
  let script: string;
  const directories: string[] = [];
  beforeAll(() => {
    script = bundleChildScript(join(__dirname, 'outbox-damage-writer.ts'));
  });
  afterAll(() => removeChildScript(script));
  afterEach(async () => {
    for (const directory of directories.splice(0)) await fs.rm(directory, { recursive: true, force: true });
  });
  return async (count, deliveredBefore = 0) => {
    const directory = await fs.mkdtemp(join(tmpdir(), 'outbox-damage-'));
    directories.push(directory);
    const output = await runUntilStored(script, [directory, String(count), String(deliveredBefore)]);
    if (deliveredBefore > 0) expect(output).toContain(`delivered ${deliveredBefore}\n`);
    const segments = await readSegments(directory);
    const details = new Map(segments.flatMap((s) => s.records.map((r) => [r.n, r.detail] as const)));
    // Every entry whose add resolved is on disk, once, and no segment passes segmentBytes.
    expect(segments.flatMap((s) => s.records.map((r) => r.n)).sort((a, b) => a - b)).toEqual(range(0, deliveredBefore + count));
    expect(Math.max(...segments.map((s) => s.bytes))).toBeLessThanOrEqual(SEGMENT_BYTES);
    return { directory, segments, details, deliveredBefore };
  };
}

async function readSegments(directory: string): Promise<FoundSegment[]> {
  const names = (await fs.readdir(directory)).filter((name) => name.endsWith('.log')).sort();
  return Promise.all(names.map(async (name) => readSegment(join(directory, name), await fs.readFile(join(directory, name)))));
}

/** Runs the writer until it printed "stored", then kills it with SIGKILL; resolves with its output. */
function runUntilStored(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('stored\n')) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || !output.includes('stored\n')) reject(new Error(`writer ended with ${code ?? signal} before it stored its entries: ${output}`));
      else resolve(output);
    });
  });
}

/** Opens a new outbox on the directory, delivering to a loopback endpoint until nothing is left. */
export async function deliver(writer: KilledWriter): Promise<Delivery> {
  const endpoint = await startEventBridgeEndpoint();
  const warnings: string[] = [];
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    endpoint: endpoint.endpoint,
    // The writer's request limit: SEGMENT_BYTES is the least segment size for it (8x).
    putEvents: { maxRequestBytes: 262_144 },
    logger: { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(`error: ${message}`) },
  });
  try {
    const outbox = await client.outbox({ directory: writer.directory, segmentBytes: SEGMENT_BYTES });
    const filesAfterOpen = (await fs.readdir(writer.directory)).sort();
    await outbox.flush();
    const stats = outbox.stats();
    await client.close();
    const accepted = [...endpoint.accepted.values()];
    const numberOf = (detail: string) => (JSON.parse(detail) as { n: number }).n;
    return {
      numbers: accepted.map((e) => numberOf(e.detail)).sort((a, b) => a - b),
      altered: accepted.map((e) => e.detail).filter((detail) => writer.details.get(numberOf(detail)) !== detail),
      warnings,
      stats,
      filesAfterOpen,
    };
  } finally {
    client.destroy();
    await endpoint.stop();
  }
}

/**
 * Checks a delivery: exactly the `expected` entries arrived (each once, none altered, none
 * other), and exactly the `damage` was reported, once each, in the log and the counters.
 */
export function expectDelivered(delivery: Delivery, expected: number[], damage: OutboxDamage[]): void {
  expect(delivery.numbers).toEqual([...expected].sort((a, b) => a - b));
  expect(delivery.altered).toEqual([]);
  expect(delivery.warnings).toEqual(damage.map((d) => `outbox: ${d.reason} in ${d.file} at byte ${d.offset}; ${d.bytesSkipped} bytes skipped, not sent`));
  const records = damage.filter((d) => d.file.endsWith('.log') && d.reason !== 'damaged segment header');
  expect(delivery.stats).toMatchObject({
    events: 0,
    damagedRecords: records.length,
    damagedBytes: records.reduce((sum, d) => sum + d.bytesSkipped, 0),
    damagedFiles: damage.length - records.length,
  });
}

/**
 * The records a damaged byte range [from, to) of a segment takes with it (those it overlaps), and
 * where reading resumes: the next record whose header it left whole, or `fileBytes`.
 */
export function lostTo(segment: FoundSegment, from: number, to: number, fileBytes = segment.bytes): { lost: FoundRecord[]; resumesAt: number } {
  const lost = segment.records.filter((r) => r.end > from && r.offset < to);
  const next = segment.records.find((r) => r.offset >= to);
  return { lost, resumesAt: next?.offset ?? fileBytes };
}

/** Numbers of the stored entries but `lost`. */
export function allBut(writer: KilledWriter, lost: FoundRecord[]): number[] {
  const gone = new Set(lost.map((r) => r.n));
  return range(0, writer.details.size).filter((n) => !gone.has(n));
}

/** Rewrites part of a file: `change` gets its bytes and returns the new ones. */
export async function rewrite(path: string, change: (data: Buffer) => Buffer): Promise<void> {
  await fs.writeFile(path, change(await fs.readFile(path)));
}
