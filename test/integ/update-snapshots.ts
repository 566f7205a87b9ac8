// `npx projen integ:update`: rewrites the snapshot of every integ app (or of those named), for a
// maintainer after an intended change. Offline, like the check in snapshots.test.ts. Never under
// CI=true: CI checks the committed snapshots, it does not make them.
import { rmSync } from 'node:fs';
import { assemblyOf, differences, integTests, snapshotDir, synthesize, writeSnapshot } from './snapshots';

async function main(): Promise<void> {
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error('integ:update rewrites the committed snapshots, which CI must not do (CI is set): run it without CI, then commit the snapshots');
  }
  const root = process.cwd();
  const wanted = process.argv.slice(2);
  const all = integTests(root);
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`no integ test ${unknown.join(', ')}: expected one of ${all.join(', ')}`);
  for (const testFile of wanted.length > 0 ? wanted : all) {
    const work = await synthesize(root, testFile);
    try {
      const changed = differences(root, testFile, assemblyOf(work));
      // An unchanged snapshot is left as it is: a new synth differs in its salts and versions only.
      if (changed.length > 0) writeSnapshot(root, testFile, assemblyOf(work));
      console.log(`${snapshotDir(testFile)}: ${changed.length === 0 ? 'unchanged' : `written (${changed.join('; ')})`}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
