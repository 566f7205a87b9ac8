/**
 * PutEvents senders side by side, each in a process of its own (so one sender's garbage, JIT
 * state and sockets never tax the next), against one endpoint in another process: `putEvents`
 * (lean transport, the default), `putEvents` through the SDK client, the raw SDK hand-batched 10
 * per request and 1 per request, and a minimal signed `node:http` sender. Every round runs every
 * contender once, in an order rotated round by round, so that neither machine load drifting over
 * the run nor going first or last favours one. Each ratio is taken within a round, between runs
 * seconds apart, and the figure is the median of the rounds' ratios: a round the machine slowed
 * down (these are shared virtual machines) slows both sides of its ratio, where a ratio of
 * medians would compare one round's run with another's. Per-contender medians are reported too.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, ROOT } from './processes';
import { CONTENDERS, Contender } from './put-events-contenders';
import { bundleChildScript, removeChildScript } from '../test/support/child-script';

export interface SenderSample { readonly eventsPerSecond: number; readonly cpuMicrosPerEvent: number }

export interface ThroughputResult {
  readonly eventsPerRun: number;
  readonly rounds: number;
  /** Medians per contender. */
  readonly senders: Record<Contender, SenderSample>;
  /** Medians over rounds of each round's own ratio. */
  readonly ratios: {
    /** putEvents events/s over raw SDK hand-batched (goal >= 3). */
    readonly overRawBatched: number;
    /** putEvents CPU per event over raw SDK hand-batched's (goal <= 1/3). */
    readonly cpuOverRawBatched: number;
    /** putEvents events/s over the minimal signed node:http sender (goal >= 0.8). */
    readonly overMinimal: number;
    /** putEvents with the SDK transport over raw SDK hand-batched (goal >= 1.0). */
    readonly sdkTransportOverRawBatched: number;
    /** putEvents events/s over raw SDK 1 event per request (goal >= 8). */
    readonly overRawSingle: number;
  };
  /** Each round's ratio putEvents / raw SDK hand-batched, to show the spread. */
  readonly overRawBatchedPerRound: number[];
  /** Each round's ratio putEvents / the minimal signed sender. */
  readonly overMinimalPerRound: number[];
}

/** One event per request is ten times the requests: fewer events keep its run as long as the others'. */
const EVENTS_FOR: Partial<Record<Contender, (events: number) => number>> = { 'raw-sdk-single': (events) => Math.max(1000, events / 10) };

export function measureThroughput(endpoint: string, eventsPerRun = 40_000, rounds = 7): ThroughputResult {
  const outfile = bundleChildScript(join(ROOT, 'bench/put-events-sender-process.ts'), undefined, ROOT);
  try {
    return throughputRounds(outfile, endpoint, eventsPerRun, rounds);
  } finally {
    removeChildScript(outfile);
  }
}

function throughputRounds(outfile: string, endpoint: string, eventsPerRun: number, rounds: number): ThroughputResult {
  const samples = Object.fromEntries(CONTENDERS.map((c) => [c, [] as SenderSample[]])) as Record<Contender, SenderSample[]>;
  const perRound: number[] = [];
  const perRoundSamples: Array<Record<Contender, SenderSample>> = [];
  for (let r = 0; r < rounds; r++) {
    const round: Partial<Record<Contender, SenderSample>> = {};
    for (let i = 0; i < CONTENDERS.length; i++) {
      const contender = CONTENDERS[(i + r) % CONTENDERS.length];
      const events = EVENTS_FOR[contender]?.(eventsPerRun) ?? eventsPerRun;
      const out = execFileSync(process.execPath, [outfile, contender, endpoint, String(events)], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const sample = JSON.parse(out.trim().split('\n').pop()!) as SenderSample;
      samples[contender].push(sample);
      round[contender] = sample;
    }
    perRound.push(round.putEvents!.eventsPerSecond / round['raw-sdk-batched']!.eventsPerSecond);
    perRoundSamples.push(round as Record<Contender, SenderSample>);
    process.stderr.write(`  round ${r + 1}/${rounds}: ${CONTENDERS.map((c) => `${c} ${round[c]!.eventsPerSecond.toFixed(0)}/s ${round[c]!.cpuMicrosPerEvent.toFixed(1)}us`).join(', ')}\n`);
  }
  const senders = Object.fromEntries(CONTENDERS.map((c) => [c, {
    eventsPerSecond: median(samples[c].map((s) => s.eventsPerSecond)),
    cpuMicrosPerEvent: median(samples[c].map((s) => s.cpuMicrosPerEvent)),
  }])) as Record<Contender, SenderSample>;
  const ratio = (f: (round: Record<Contender, SenderSample>) => number) => median(perRoundSamples.map(f));
  const eps = (round: Record<Contender, SenderSample>, c: Contender) => round[c].eventsPerSecond;
  return {
    eventsPerRun,
    rounds,
    senders,
    ratios: {
      overRawBatched: ratio((x) => eps(x, 'putEvents') / eps(x, 'raw-sdk-batched')),
      cpuOverRawBatched: ratio((x) => x.putEvents.cpuMicrosPerEvent / x['raw-sdk-batched'].cpuMicrosPerEvent),
      overMinimal: ratio((x) => eps(x, 'putEvents') / eps(x, 'minimal-signed-http')),
      sdkTransportOverRawBatched: ratio((x) => eps(x, 'putEvents-sdk-transport') / eps(x, 'raw-sdk-batched')),
      overRawSingle: ratio((x) => eps(x, 'putEvents') / eps(x, 'raw-sdk-single')),
    },
    overRawBatchedPerRound: perRound,
    overMinimalPerRound: perRoundSamples.map((x) => eps(x, 'putEvents') / eps(x, 'minimal-signed-http')),
  };
}

/** The goals of issues 12 and 14, for the table of `npm run bench`. */
export function throughputGoals(t: ThroughputResult): Array<{ name: string; value: number; goal: string; met: boolean }> {
  const r = t.ratios;
  return [
    { name: 'putEvents events/s over raw SDK batched 10, 10 in flight', value: r.overRawBatched, goal: '>= 3', met: r.overRawBatched >= 3 },
    { name: 'putEvents CPU us/event over raw SDK batched', value: r.cpuOverRawBatched, goal: '<= 0.33', met: r.cpuOverRawBatched <= 1 / 3 },
    { name: 'putEvents events/s over minimal signed node:http', value: r.overMinimal, goal: '>= 0.8', met: r.overMinimal >= 0.8 },
    { name: 'putEvents (sdk transport) events/s over raw SDK batched', value: r.sdkTransportOverRawBatched, goal: '>= 1.0', met: r.sdkTransportOverRawBatched >= 1 },
    { name: 'putEvents events/s over raw SDK 1 per request', value: r.overRawSingle, goal: '>= 8', met: r.overRawSingle >= 8 },
  ];
}

export function describeThroughput(t: ThroughputResult): string {
  const lines = Object.entries(t.senders).map(([name, s]) => `  ${name}: ${s.eventsPerSecond.toFixed(0)} events/s, ${s.cpuMicrosPerEvent.toFixed(1)} us CPU/event`);
  return `PutEvents senders (medians of ${t.rounds} rounds, ${t.eventsPerRun} events each, own processes):\n${lines.join('\n')}\n` +
    `  putEvents / raw SDK batched per round: ${t.overRawBatchedPerRound.map((x) => x.toFixed(2)).join(', ')}\n` +
    `  putEvents / minimal signed sender per round: ${t.overMinimalPerRound.map((x) => x.toFixed(2)).join(', ')}`;
}
