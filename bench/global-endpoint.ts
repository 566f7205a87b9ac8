/**
 * putEvents through an EventBridge global endpoint (issue 22): the lean transport with
 * `endpointId` (SigV4a) against the same client regional (SigV4), each pair to the same endpoint:
 *
 * - through the loopback stand-in (src/local/global-endpoint.ts), which verifies every SigV4a
 *   request (one that does not verify fails its entries, and the sender then throws) and passes
 *   the regional ones on unverified, both to the same upstream: same hops, but the stand-in works
 *   far harder for the global path (an ECDSA verification, a SigV4 signature again for the
 *   region, the body parsed and written again), on the cores the client shares; so this ratio is
 *   the stand-in's more than the client's;
 * - straight to the bottleneck-free endpoint of the PutEvents baseline (it checks no signature,
 *   and ignores `EndpointId`): the client's own cost, SigV4a against the regional lean path of
 *   throughput.ts. The goal of issue 22 (>= 0.9x) is this ratio.
 *
 * Each sender runs in a process of its own; every round runs all four, the order rotated round
 * by round; each ratio is the median of the rounds' own ratios (see throughput.ts for why). Then
 * the signing cost per request of each signer, in one process, alternating blocks.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, ROOT, startChild, stopChild } from './processes';
import { bundleChildScript, removeChildScript } from '../test/support/child-script';

interface Sample { readonly eventsPerSecond: number; readonly cpuMicrosPerEvent: number }

/** A SigV4a sender and a SigV4 one to the same endpoint. */
export interface GlobalEndpointPair {
  /** Medians per sender. */
  readonly global: Sample;
  readonly regional: Sample;
  /** Median over rounds of global events/s over regional events/s in the round. */
  readonly ratio: number;
  readonly ratioPerRound: number[];
  /** Median over rounds of global CPU µs per event over regional's. */
  readonly cpuRatio: number;
}

export interface GlobalEndpointResult {
  readonly eventsPerRun: number;
  readonly rounds: number;
  /** Straight to the bottleneck-free endpoint: the client's own cost (goal: ratio >= 0.9). */
  readonly direct: GlobalEndpointPair;
  /** Through the verifying stand-in. */
  readonly standIn: GlobalEndpointPair;
  /** Microseconds to sign one PutEvents request of 10 entries, and key derivations in all. */
  readonly signing: { readonly sigv4Micros: number; readonly sigv4aMicros: number; readonly sigv4aDerivations: number };
}

const RUNS = [
  { pair: 'direct', variant: 'global' },
  { pair: 'standIn', variant: 'regional' },
  { pair: 'direct', variant: 'regional' },
  { pair: 'standIn', variant: 'global' },
] as const;
type Pair = (typeof RUNS)[number]['pair'];
type Variant = (typeof RUNS)[number]['variant'];

export async function measureGlobalEndpoint(eventsPerRun = 40_000, rounds = 5): Promise<GlobalEndpointResult> {
  const outfile = bundleChildScript(join(ROOT, 'bench/global-endpoint-sender-process.ts'), undefined, ROOT);
  const { child, info } = await startChild<{ endpoint: string; endpointId: string; upstream: string }>('bench/global-endpoint-process.ts');
  try {
    const run = (args: string[]) => JSON.parse(execFileSync(process.execPath, [outfile, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim().split('\n').pop()!) as Record<string, number>;
    const rows: Array<Record<Pair, Record<Variant, Sample>>> = [];
    for (let r = 0; r < rounds; r++) {
      const round = { direct: {}, standIn: {} } as Record<Pair, Record<Variant, Sample>>;
      const line: string[] = [];
      for (let i = 0; i < RUNS.length; i++) {
        const { pair, variant } = RUNS[(i + r) % RUNS.length];
        const endpoint = pair === 'direct' ? info.upstream : info.endpoint;
        const sample = run([variant, endpoint, info.endpointId, String(eventsPerRun)]) as unknown as Sample;
        round[pair][variant] = sample;
        line.push(`${pair} ${variant} ${sample.eventsPerSecond.toFixed(0)}/s ${sample.cpuMicrosPerEvent.toFixed(1)}us`);
      }
      rows.push(round);
      process.stderr.write(`  round ${r + 1}/${rounds}: ${line.join(', ')}\n`);
    }
    const pairOf = (pair: Pair): GlobalEndpointPair => {
      const mid = (variant: Variant): Sample => ({
        eventsPerSecond: median(rows.map((x) => x[pair][variant].eventsPerSecond)),
        cpuMicrosPerEvent: median(rows.map((x) => x[pair][variant].cpuMicrosPerEvent)),
      });
      const ratioPerRound = rows.map((x) => x[pair].global.eventsPerSecond / x[pair].regional.eventsPerSecond);
      return {
        global: mid('global'),
        regional: mid('regional'),
        ratio: median(ratioPerRound),
        ratioPerRound,
        cpuRatio: median(rows.map((x) => x[pair].global.cpuMicrosPerEvent / x[pair].regional.cpuMicrosPerEvent)),
      };
    };
    const signing = run(['signing', '15']) as unknown as GlobalEndpointResult['signing'];
    return { eventsPerRun, rounds, direct: pairOf('direct'), standIn: pairOf('standIn'), signing };
  } finally {
    await stopChild(child);
    removeChildScript(outfile);
  }
}

/** The goal of issue 22, for the table of `npm run bench`. */
export function globalEndpointGoals(g: GlobalEndpointResult): Array<{ name: string; value: number; goal: string; met: boolean }> {
  return [
    { name: 'putEvents with endpointId (SigV4a) events/s over regional lean', value: g.direct.ratio, goal: '>= 0.9', met: g.direct.ratio >= 0.9 },
  ];
}

export function describeGlobalEndpoint(g: GlobalEndpointResult): string {
  const pair = (name: string, p: GlobalEndpointPair) => `  ${name}: global (SigV4a) ${p.global.eventsPerSecond.toFixed(0)} events/s ${p.global.cpuMicrosPerEvent.toFixed(1)} us CPU/event, ` +
    `regional (SigV4) ${p.regional.eventsPerSecond.toFixed(0)} events/s ${p.regional.cpuMicrosPerEvent.toFixed(1)} us CPU/event; ` +
    `ratio per round ${p.ratioPerRound.map((x) => x.toFixed(2)).join(', ')} (median ${p.ratio.toFixed(2)}, CPU per event x${p.cpuRatio.toFixed(2)})`;
  return `putEvents through a global endpoint (medians of ${g.rounds} rounds, ${g.eventsPerRun} events each, own processes):\n` +
    `${pair('bottleneck-free endpoint', g.direct)}\n` +
    `${pair('verifying stand-in', g.standIn)}\n` +
    `  signing one 10-entry request: SigV4a ${g.signing.sigv4aMicros.toFixed(1)} us, SigV4 ${g.signing.sigv4Micros.toFixed(1)} us ` +
    `(${g.signing.sigv4aDerivations} SigV4a key derivation over the signing run)`;
}
