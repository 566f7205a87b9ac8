#!/usr/bin/env node
// Prints the test run's closing line in the plain `N passed, N failed` form CI reads, from the
// JUnit reports jest-junit writes (jest's own summary line has another shape); given several
// reports (the runs on each Node release), it adds them up.
import { readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['test-reports/junit.xml'];
let passed = 0;
let failed = 0;
for (const file of files) {
  const xml = readFileSync(file, 'utf8');
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  // `errors` are test files that failed outside their tests (JEST_JUNIT_REPORT_TEST_SUITE_ERRORS):
  // not among `tests`, but failures of the run.
  passed += count('tests') - count('failures');
  failed += count('failures') + count('errors');
}
console.log(`tests: ${passed} passed, ${failed} failed`);
