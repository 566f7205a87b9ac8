#!/usr/bin/env node
// Prints the test run's closing line in the plain `N passed, N failed` form CI reads, from the
// JUnit report jest-junit writes (jest's own summary line has another shape).
import { readFileSync } from 'node:fs';

const xml = readFileSync(process.argv[2] ?? 'test-reports/junit.xml', 'utf8');
const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
const count = (name) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
const failed = count('failures') + count('errors');
console.log(`tests: ${count('tests') - failed} passed, ${failed} failed`);
