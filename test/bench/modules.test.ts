/**
 * `npm run bench` runs bench/main.ts as one bundle: a module it imports that starts something when
 * loaded (a server, a measurement under `require.main === module`, which is true for every module
 * of a bundle) runs inside the bench, concurrently with the measurements, and keeps the process
 * from exiting. Only the *-process.ts entry points, run as children, may do work when loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '../..');

test('no module bench/main.ts loads starts anything when loaded', () => {
  const { metafile } = buildSync({
    entryPoints: [join(ROOT, 'bench/main.ts')],
    bundle: true,
    platform: 'node',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const benchModules = Object.keys(metafile!.inputs).filter((input) => input.startsWith('bench/') && input !== 'bench/main.ts');
  expect(benchModules).toEqual(expect.arrayContaining(['bench/receiver-throughput.ts', 'bench/consumer-throughput.ts', 'bench/processes.ts']));
  const offenders = benchModules.filter((input) => {
    const source = readFileSync(join(ROOT, input), 'utf8');
    return input.endsWith('-process.ts') || /require\.main\s*===\s*module/.test(source) || /^void \(async/m.test(source);
  });
  expect(offenders).toEqual([]);
});
