#!/usr/bin/env node
// Prints the test run's closing line in the plain `N passed, N failed` form CI reads, from the
// JUnit reports jest-junit writes (jest's own summary line has another shape); given several
// reports (the runs on each Node release), it adds them up.
import { readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['test-reports/junit.xml'];
let tests = 0;
let failed = 0;
for (const file of files) {
  const xml = readFileSync(file, 'utf8');
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  tests += count('tests');
  failed += count('failures') + count('errors');
}
console.log(`tests: ${tests - failed} passed, ${failed} failed`);
