/**
 * Time to load `cdk-eventbridge-connector/runtime` in a fresh process, against loading the two
 * AWS SDK clients it replaces for most users, and proof that the construct face stays unloaded.
 */
import { execFileSync } from 'node:child_process';
import { median, ROOT } from './processes';

const PROBE = `
const start = process.hrtime.bigint();
for (const id of JSON.parse(process.argv[1])) require(id);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const loaded = Object.keys(require.cache);
const construct = loaded.filter((p) => /[\\\\/]node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(p));
process.stdout.write(JSON.stringify({ ms, modules: loaded.length, constructModules: construct.length }));
`;

interface Probe { ms: number; modules: number; constructModules: number }

function probe(ids: string[]): Probe {
  const out = execFileSync(process.execPath, ['-e', PROBE, JSON.stringify(ids)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as Probe;
}

export interface LoadTimeResult {
  readonly runs: number;
  readonly runtimeMs: number;
  readonly sdkMs: number;
  readonly ratio: number;
  readonly runtimeModules: number;
  readonly sdkModules: number;
  /** Modules of aws-cdk-lib or constructs in the runtime's process: must be 0. */
  readonly constructModulesLoaded: number;
}

export function measureLoadTime(runs = 21): LoadTimeResult {
  const runtime: Probe[] = [];
  const sdk: Probe[] = [];
  // Alternate the two so that machine noise falls on both alike.
  for (let i = 0; i < runs; i++) {
    runtime.push(probe(['cdk-eventbridge-connector/runtime']));
    sdk.push(probe(['@aws-sdk/client-eventbridge', '@aws-sdk/client-ssm']));
  }
  const runtimeMs = median(runtime.map((p) => p.ms));
  const sdkMs = median(sdk.map((p) => p.ms));
  return {
    runs,
    runtimeMs,
    sdkMs,
    ratio: runtimeMs / sdkMs,
    runtimeModules: runtime[0].modules,
    sdkModules: sdk[0].modules,
    constructModulesLoaded: Math.max(...runtime.map((p) => p.constructModules)),
  };
}
