/**
 * `npm run bench`: the runtime measured side by side with what users would otherwise write, in one
 * run, on one machine. Prints a table and writes bench/results/latest.json. Ratios, not times,
 * are what the goals are about: these machines are noisy, so each comparison runs its variants
 * interleaved and takes medians. `BENCH_ONLY=<piece>` runs one piece alone (see {@link PIECES})
 * and writes bench/results/<piece>.json instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { describeClaimCheck, measureClaimCheck } from './claim-check';
import { coldStartGoals, describeColdStart, measureColdStart } from './cold-start';
import { measureConsumerThroughput } from './consumer-throughput';
import { measureCredentialHelper } from './credential-helper';
import { describeGlobalEndpoint, GlobalEndpointResult, globalEndpointGoals, measureGlobalEndpoint } from './global-endpoint';
import { measureLoadTime } from './load-time';
import { ROOT, startChild, stopChild } from './processes';
import { LonePutEventResult, measureProducer, producerGoals } from './producer';
import { measureReceiverThroughput } from './receiver-throughput';
import { describeThroughput, measureThroughput, throughputGoals } from './throughput';

/**
 * The pieces that run alone (`BENCH_ONLY=<piece> npm run bench`, or `npm run bench -- <piece>`),
 * against the loopback PutEvents endpoint; each writes bench/results/<piece>.json.
 */
const PIECES: Record<string, { run: (endpoint: string) => Promise<unknown>; describe: (result: any) => string }> = {
  'claim-check': { run: measureClaimCheck, describe: describeClaimCheck },
  'global-endpoint': {
    run: () => measureGlobalEndpoint(),
    describe: (result: GlobalEndpointResult) => [
      ...globalEndpointGoals(result).map((g) => `${g.name}  ${g.value.toFixed(2)}  ${g.goal}  ${g.met ? 'yes' : 'NO'}`),
      describeGlobalEndpoint(result),
    ].join('\n'),
  },
};

interface Goal { name: string; value: number; goal: string; met: boolean; unit?: string }

function runChild(entry: string, args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, [join(ROOT, 'build-tools/run-ts.mjs'), entry, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

void (async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const only = process.env.BENCH_ONLY ?? process.argv[2];
  if (only !== undefined) {
    const piece = Object.hasOwn(PIECES, only) ? PIECES[only] : undefined;
    if (!piece) throw new Error(`invalid piece '${only.slice(0, 40)}': expected one of ${Object.keys(PIECES).join(', ')}, or unset for the whole bench`);
    const { child, info } = await startChild<{ endpoint: string }>('bench/endpoint-process.ts');
    try {
      log(`${only} alone, PutEvents endpoint (own process): ${info.endpoint}`);
      const result = await piece.run(info.endpoint);
      mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
      writeFileSync(join(ROOT, `bench/results/${only}.json`), `${JSON.stringify({ date: new Date().toISOString(), [only]: result }, null, 2)}\n`);
      console.log(piece.describe(result));
    } finally {
      await stopChild(child);
    }
    return;
  }
  log('bundling the runtime (the load-time comparison loads what users load)...');
  execFileSync(process.execPath, ['build-tools/bundle.mjs', '--no-types'], { cwd: ROOT, stdio: 'ignore' });

  const { child, info } = await startChild<{ endpoint: string }>('bench/endpoint-process.ts');
  try {
    log(`PutEvents baseline endpoint (own process): ${info.endpoint}`);
    log('throughput: PutEvents senders, each in its own process, order rotated round by round...');
    const throughput = await measureThroughput(info.endpoint);
    log('load time: fresh processes, alternating...');
    const load = measureLoadTime();
    log('start to ready, and CreateSession across an expiry (moto + loopback Roles Anywhere)...');
    const startup = runChild('bench/startup-process.ts', [info.endpoint]);
    log('memory while sending 100,000 events...');
    const memory = runChild('bench/memory-process.ts', [info.endpoint]);
    log('credentials per call: serve (IMDSv2) vs credential-process (a spawn each), alternating...');
    const helper = await measureCredentialHelper();
    log('producer: 10,000 concurrent putEvent, a lone putEvent, the outbox, 1,000,000 events through putEvent...');
    const producer = {
      ...(await measureProducer(info.endpoint)),
      lonePutEvent: runChild('bench/lone-put-event-process.ts', [info.endpoint]) as unknown as LonePutEventResult,
      memory: runChild('bench/producer-memory-process.ts', [info.endpoint]),
    };
    log('receiving: queue consumer vs raw SDK loop, HTTP receiver vs bare node:http...');
    const consumer = await measureConsumerThroughput();
    const receiver = await measureReceiverThroughput();
    log('tracing: putEvents with no OpenTelemetry SDK vs the SDK on (spans dropped by the exporter), alternating...');
    const tracing = runChild('bench/tracing-process.ts', [info.endpoint]);
    log('Lambda-style cold start: ours, raw SDK, aws-lite handler bundles, a new process each, rotated...');
    const coldStart = await measureColdStart(info.endpoint);
    log('claim check: putEvents of 1, 4 and 16 MiB events through S3 (moto) vs raw PutObject, resolve vs raw GetObject...');
    const claimCheck = await measureClaimCheck(info.endpoint);
    log('global endpoint: putEvents with endpointId (SigV4a) vs regional (SigV4) through the loopback stand-in, alternating...');
    const globalEndpoint: GlobalEndpointResult = await measureGlobalEndpoint();

    const goals: Goal[] = [
      ...throughputGoals(throughput),
      { name: 'load time of /runtime over client-eventbridge + client-ssm', value: load.ratio, goal: '<= 1.2', met: load.ratio <= 1.2 },
      { name: 'aws-cdk-lib / constructs modules loaded by /runtime', value: load.constructModulesLoaded, goal: '0', met: load.constructModulesLoaded === 0 },
      ...(startup.startup as Array<{ keys: number; roundTrips: number }>).map((s) => ({
        name: `round trips from start to ready (${s.keys}-key contract)`, value: s.roundTrips, goal: '2', met: s.roundTrips <= 2,
      })),
      { name: 'CreateSession calls, 1,000 concurrent sends across expiry', value: Number(startup.createSessionsAcrossExpiry), goal: '1', met: Number(startup.createSessionsAcrossExpiry) === 1 },
      { name: `credential-process over serve latency per call (${helper.credentialProcessMs.toFixed(0)} / ${helper.serveMs.toFixed(1)} ms)`, value: helper.ratio, goal: '>= 20', met: helper.ratio >= 20 },
      { name: 'consumer events/s over raw SDK receive/delete loop, 20 in flight', value: consumer.ratio, goal: '>= 0.9', met: consumer.ratio >= 0.9 },
      { name: 'HTTP receiver requests/s over bare node:http handler, 50 conns', value: receiver.ratio, goal: '>= 0.9', met: receiver.ratio >= 0.9 },
      { name: 'heap growth from 10k to 100k events sent (MiB)', value: Number(memory.heapGrowthFirstToLastMiB), goal: 'flat (< 2 MiB)', met: Number(memory.heapGrowthFirstToLastMiB) < 2 },
      ...producerGoals(producer, producer.memory, producer.lonePutEvent),
      ...coldStartGoals(coldStart),
      ...globalEndpointGoals(globalEndpoint),
    ];
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    };
    const measured = { throughput, load, startup, memory, helper, producer, consumer, receiver, tracing, coldStart, claimCheck, globalEndpoint };
    const results = { date: new Date().toISOString(), machine, ...measured, goals };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);

    const width = Math.max(...goals.map((g) => g.name.length));
    const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
    console.log(`\n${'measure'.padEnd(width)}  ${'value'.padStart(8)}  goal            met`);
    for (const g of goals) console.log(`${g.name.padEnd(width)}  ${fmt(g.value).padStart(8)}  ${g.goal.padEnd(14)}  ${g.met ? 'yes' : 'NO'}`);
    console.log(`\n${describeThroughput(throughput)}`);
    console.log(describeColdStart(coldStart));
    console.log(describeClaimCheck(claimCheck));
    console.log(describeGlobalEndpoint(globalEndpoint));
    console.log(`HTTP receiver / bare node:http per round: ${receiver.perRound.map((x) => x.toFixed(2)).join(', ')}`);
    console.log(`HTTP receiver requests/s: ${receiver.requestsPerSecond.receiver.toFixed(0)}, bare ${receiver.requestsPerSecond.bare.toFixed(0)}, ` +
      `tuned bare ${receiver.requestsPerSecond.tunedBare.toFixed(0)} (receiver / tuned bare ${receiver.ratioToTunedBare.toFixed(2)})`);
    console.log(`tracing: putEvents ${Number(tracing.offEventsPerSecond).toFixed(0)} events/s without an OpenTelemetry SDK, ` +
      `${Number(tracing.onEventsPerSecond).toFixed(0)} with it on (x${Number(tracing.ratio).toFixed(2)}, +${Number(tracing.addedMicrosecondsPerEvent).toFixed(1)} µs per event)`);
    console.log(`load (median of ${load.runs}): runtime ${load.runtimeMs.toFixed(1)} ms (${load.runtimeModules} modules), SDK clients ${load.sdkMs.toFixed(1)} ms (${load.sdkModules} modules)`);
    for (const s of startup.startup as Array<{ keys: number; awsRequests: Record<string, number>; sessions: number }>) {
      console.log(`startup requests, ${s.keys} keys: ${JSON.stringify(s.awsRequests)} + ${s.sessions} CreateSession`);
    }
    console.log(`memory: peak RSS ${Number(memory.peakRssMiB).toFixed(0)} MiB, peak heap ${Number(memory.peakHeapMiB).toFixed(0)} MiB ` +
      `(heap after 10k: ${Number(memory.heapAfterFirstChunkMiB).toFixed(1)} MiB, after 100k: ${Number(memory.heapAfterLastChunkMiB).toFixed(1)} MiB)`);
    console.log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}; results in bench/results/latest.json`);
  } finally {
    await stopChild(child);
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
