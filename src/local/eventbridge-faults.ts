/**
 * Seeded fault injection for the loopback EventBridge endpoint: the same seed and options give
 * the same sequence of decisions, so a failing run can be replayed.
 */

/** Probabilities (0 to 1) of each fault. Request faults are exclusive: at most one per request. */
export interface EventBridgeFaults {
  /** Request answered 400 `ThrottlingException`; nothing recorded. */
  readonly throttleRequest?: number;
  /** Request answered 500 `InternalFailure`; nothing recorded. */
  readonly internalFailure?: number;
  /** Request answered 503 `ServiceUnavailable`; nothing recorded. */
  readonly serviceUnavailable?: number;
  /** Connection dropped without an answer before anything is recorded. */
  readonly dropBeforeRecording?: number;
  /**
   * Connection dropped without an answer AFTER the entries were recorded: they arrived but the
   * client never learns their EventIds (retrying duplicates them; not retrying would be safe
   * only if the client reports them failed).
   */
  readonly dropAfterRecording?: number;
  /**
   * Entries recorded, then the answer's headers and half its body sent (with the full
   * `Content-Length`) and nothing more: only a timeout covering the whole response ends the wait.
   */
  readonly stallResponse?: number;
  /** Entries recorded, then the answer sent one byte every `dripIntervalMs`. */
  readonly dripResponse?: number;
  /** Request answered 403 with an empty body (a proxy or load balancer refusing it); nothing recorded. */
  readonly emptyBody403?: number;
  /** Request answered 413 with an empty body; nothing recorded. */
  readonly emptyBody413?: number;
  /** Request answered 429 with an empty body; nothing recorded. */
  readonly emptyBody429?: number;
  /** Entry answered `ThrottlingException` (per entry of an otherwise answered request). */
  readonly throttleEntry?: number;
  /** Entry answered `InternalFailure` (per entry of an otherwise answered request). */
  readonly failEntry?: number;
}

export type RequestFault =
  | 'throttleRequest'
  | 'internalFailure'
  | 'serviceUnavailable'
  | 'dropBeforeRecording'
  | 'dropAfterRecording'
  | 'stallResponse'
  | 'dripResponse'
  | 'emptyBody403'
  | 'emptyBody413'
  | 'emptyBody429';
export type EntryFault = 'throttleEntry' | 'failEntry';
export type EventBridgeFault = RequestFault | EntryFault;

const REQUEST_FAULTS: readonly RequestFault[] = [
  'throttleRequest',
  'internalFailure',
  'serviceUnavailable',
  'dropBeforeRecording',
  'dropAfterRecording',
  'stallResponse',
  'dripResponse',
  'emptyBody403',
  'emptyBody413',
  'emptyBody429',
];
const ENTRY_FAULTS: readonly EntryFault[] = ['throttleEntry', 'failEntry'];

export const FAULT_NAMES: readonly EventBridgeFault[] = [...REQUEST_FAULTS, ...ENTRY_FAULTS];

/** Mulberry32: tiny, fast and good enough to spread faults; not for anything secret. */
/* eslint-disable no-bitwise -- a PRNG is bit arithmetic */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** Draws faults from one seeded sequence. */
export class FaultPlan {
  /** How many of each fault were injected so far. */
  public readonly injected: Record<EventBridgeFault, number>;
  private readonly random: () => number;
  private readonly requestTotal: number;
  private readonly entryTotal: number;

  constructor(private readonly faults: EventBridgeFaults = {}, seed = 1) {
    for (const name of FAULT_NAMES) {
      const p = faults[name] ?? 0;
      if (!(p >= 0 && p <= 1)) throw new Error(`fault ${name} has probability ${p}: expected 0 to 1`);
    }
    const total = (names: readonly EventBridgeFault[]) => names.reduce((sum, name) => sum + (faults[name] ?? 0), 0);
    this.requestTotal = total(REQUEST_FAULTS);
    this.entryTotal = total(ENTRY_FAULTS);
    if (this.requestTotal > 1) throw new Error(`request fault probabilities add up to ${this.requestTotal}: expected at most 1`);
    if (this.entryTotal > 1) throw new Error(`entry fault probabilities add up to ${this.entryTotal}: expected at most 1`);
    this.random = seededRandom(seed);
    this.injected = Object.fromEntries(FAULT_NAMES.map((name) => [name, 0])) as Record<EventBridgeFault, number>;
  }

  /** The fault for the next request, if any. */
  public nextRequest(): RequestFault | undefined {
    if (this.requestTotal === 0) return undefined;
    return this.pick(REQUEST_FAULTS);
  }

  /** The fault for the next entry, if any. */
  public nextEntry(): EntryFault | undefined {
    if (this.entryTotal === 0) return undefined;
    return this.pick(ENTRY_FAULTS);
  }

  private pick<T extends EventBridgeFault>(names: readonly T[]): T | undefined {
    let r = this.random();
    for (const name of names) {
      r -= this.faults[name] ?? 0;
      if (r < 0) {
        this.injected[name]++;
        return name;
      }
    }
    return undefined;
  }
}
