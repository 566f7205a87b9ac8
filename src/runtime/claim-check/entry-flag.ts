/** An entry's own `claimCheck` field, read and taken out the one way the sender and the outbox both use. */
import { quote } from '../../contract/quote';
import type { EventEntry } from '../put-events/types';

/**
 * The entry without its `claimCheck` field, and that field: read once (a getter cannot answer
 * differently later), `true`, `false` or left out. A message when it is anything else; an entry
 * that cannot be read comes back as it is (prepareEntry then says what is wrong with it).
 */
export function splitClaimCheckFlag(entry: EventEntry): { entry: EventEntry; flag?: boolean } | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { entry };
  let flag: unknown;
  let rest: EventEntry;
  try {
    if (!('claimCheck' in entry)) return { entry };
    const { claimCheck, ...others } = entry;
    flag = claimCheck;
    rest = others;
  } catch {
    return { entry };
  }
  if (flag !== undefined && typeof flag !== 'boolean') {
    return `claimCheck is ${quote(flag)}: expected true (through S3 whatever its size), false (never) or left out (by size)`;
  }
  return flag === undefined ? { entry: rest } : { entry: rest, flag };
}
