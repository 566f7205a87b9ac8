/**
 * The package's version, read from its package.json at run time (beside lib/ in the package,
 * two levels up from src/cli in a checkout), so the bundle never carries a stale copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  for (const file of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'cdk-eventbridge-connector' && json.version) return json.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

export const VERSION = readVersion();
