#!/usr/bin/env node
// Prints the test run's closing line in the plain `N passed, N failed` form CI reads, from the
// JUnit reports jest-junit writes (jest's own summary line has another shape); given several
// reports, it adds them up. Given one report (default test-reports/junit.xml, that of `npm test`
// on the machine's Node), it adds the reports of the other Node releases beside it
// (<dir>/node-<major>/junit.xml, build-tools/test-node-versions.sh) written after it: the same
// run's, not those of an earlier one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const given = process.argv.slice(2);
const files = given.length > 0 ? [...given] : ['test-reports/junit.xml'];
if (files.length === 1 && existsSync(files[0])) {
  const dir = dirname(files[0]);
  const written = statSync(files[0]).mtimeMs;
  for (const name of readdirSync(dir).filter((n) => /^node-\d+$/.test(n)).sort()) {
    const report = join(dir, name, 'junit.xml');
    if (existsSync(report) && statSync(report).mtimeMs >= written) files.push(report);
  }
}
let passed = 0;
let failed = 0;
for (const file of files) {
  const xml = readFileSync(file, 'utf8');
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  // Tests left out by name (test-node-versions.sh's --testNamePattern) are among `tests` as
  // skipped, on each <testsuite>: neither passed nor failed.
  const skipped = [...xml.matchAll(/<testsuite\b[^>]*\sskipped="(\d+)"/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  // `errors` are test files that failed outside their tests (JEST_JUNIT_REPORT_TEST_SUITE_ERRORS):
  // not among `tests`, but failures of the run.
  passed += count('tests') - count('failures') - skipped;
  failed += count('failures') + count('errors');
}
if (files.length > 1) console.log(`reports: ${files.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
