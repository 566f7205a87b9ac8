import { quote } from '../../contract/quote';
import { InputError, messageOf } from '../errors';
import { IdempotencyKeyError, idempotencyKeyProblem, keyProblemOf } from '../idempotency-key';
import { isThenable } from '../thenable';
import type { DispatchOutcome } from './router';
import type { ReceivedEvent } from './types';

/** What {@link IdempotencyStore.claim} found. */
export type ClaimResult = 'claimed' | 'seen' | 'in-flight';

/**
 * Where handled events' keys are remembered (each event's idempotency key, else its id; see
 * {@link IdempotencyOptions.keyOf}); the parameters are named `id` for either. The default keeps
 * them in memory (one process); back it with your database to drop repeats across processes (and
 * regions): `claim` must be atomic (an insert that fails on a duplicate key, a conditional write).
 */
export interface IdempotencyStore {
  /**
   * `seen` when `id` was completed within its window, `in-flight` when another delivery holds an
   * unexpired claim on it; otherwise claims it for `leaseMs` milliseconds and answers `claimed`.
   */
  claim(id: string, leaseMs: number): ClaimResult | Promise<ClaimResult>;
  /** The handlers succeeded: `id` is `seen` for `windowMs` milliseconds. */
  complete(id: string, windowMs: number): void | Promise<void>;
  /** The handlers failed: forget the claim, so that the next delivery runs them again. */
  release(id: string): void | Promise<void>;
  /**
   * The handlers still run: the claim on `id` now ends `leaseMs` milliseconds from now. Called by
   * the queue consumer's heartbeat, with the visibility extension of the message, so a claim can
   * be short (it ends soon after a crash) and still cover a long handler. A store without it
   * keeps each claim for its first lease only.
   */
  renew?(id: string, leaseMs: number): void | Promise<void>;
}

export interface IdempotencyOptions {
  /**
   * How long a handled event's id is remembered, in milliseconds. EventBridge retries an API
   * destination for up to 24 hours; a queue redelivers for as long as it retains messages.
   * @default 86400000 (24 hours)
   */
  readonly windowMs?: number;
  /**
   * How long a delivery's claim keeps a concurrent repeat waiting, in milliseconds: a repeat that
   * arrives while the first is being handled is delivered again later (HTTP 409, or left in the
   * queue), so that it is handled if the first fails. A claim older than this (a crashed process)
   * no longer counts.
   *
   * The queue consumer renews claims with each visibility extension, and its default is shorter
   * than the visibility timeout (so a crashed consumer's claim has ended when its message comes
   * back); one given here must be longer than its `heartbeatIntervalSeconds`.
   * @default 300000 (5 minutes); for the queue consumer, the heartbeat interval plus three
   * quarters of the rest of the visibility timeout (25 s for 30 s)
   */
  readonly leaseMs?: number;
  /** @default - a {@link MemoryIdempotencyStore} of 100,000 ids */
  readonly store?: IdempotencyStore;
  /**
   * Derives the key a delivery is deduplicated on, for producers that do not give one of ours
   * (`(event) => event.detail.orderId`); given, it decides for every event, so fall back yourself
   * where you want to (`(e) => e.idempotencyKey ?? e.detail.orderId`). It must answer at once with
   * 1 to 256 printable characters: a throw, a promise or anything else fails that delivery with
   * an `IdempotencyKeyError` (`InvalidIdempotencyKey`, naming what it answered), as a handler's
   * throw would (HTTP 500, or left in the queue), never a silent fallback to the event's `id`. It
   * sees the event as delivered: a claim-checked event's reference, so read fields the reference
   * keeps (the client's `claimCheck.keepDetailFields`).
   * The event's `detail` is typed `any` here, as a handler's would be typed by you.
   * @default - the producer's key (`event.idempotencyKey`) when the event carries one, else its `id`
   */
  readonly keyOf?: (event: ReceivedEvent<any>) => string;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 5 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 100_000;

interface Entry {
  done: boolean;
  expires: number;
}

/**
 * An in-memory {@link IdempotencyStore}: ids expire after their window, and beyond `maxEntries`
 * the oldest are forgotten first, so memory stays bounded whatever the rate of events.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(options: { readonly maxEntries?: number; readonly now?: () => number } = {}) {
    const max = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) throw new InputError(`invalid maxEntries '${String(max).slice(0, 32)}': expected a positive whole number`);
    this.maxEntries = max;
    if (options.now) this.now = options.now;
  }

  /** Ids currently remembered (claimed or seen, expired ones not yet swept included). */
  public get size(): number {
    return this.entries.size;
  }

  public claim(id: string, leaseMs: number): ClaimResult {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.expires > now) return entry.done ? 'seen' : 'in-flight';
    this.set(id, { done: false, expires: now + leaseMs }, now);
    return 'claimed';
  }

  public complete(id: string, windowMs: number): void {
    const now = this.now();
    this.set(id, { done: true, expires: now + windowMs }, now);
  }

  public release(id: string): void {
    const entry = this.entries.get(id);
    if (entry && !entry.done) this.entries.delete(id);
  }

  /** Moves the end of an unexpired claim; a completed id, or a claim that ended, stays as it is. */
  public renew(id: string, leaseMs: number): void {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && !entry.done && entry.expires > now) this.set(id, { done: false, expires: now + leaseMs }, now);
  }

  private now(): number {
    return Date.now();
  }

  /** Re-inserts at the end, so that insertion order is roughly expiry order; sweeps from the front. */
  private set(id: string, entry: Entry, now: number): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && value.expires > now) break;
      this.entries.delete(oldest);
    }
  }
}

/** A dispatch outcome, or one of the two ways a repeat is recognised. */
export type DeduplicatedOutcome = DispatchOutcome | { readonly kind: 'repeat' } | { readonly kind: 'in-flight' };

/** Runs a dispatch at most once per event key within the window; a failed dispatch leaves no mark. */
export class Deduplicator {
  /** How long a claim lasts from when it is made or renewed, in milliseconds. */
  public readonly leaseMs: number;
  private readonly windowMs: number;
  private readonly store: IdempotencyStore;
  private readonly derive?: (event: ReceivedEvent<any>) => string;

  constructor(options: IdempotencyOptions = {}) {
    this.windowMs = positive('idempotency windowMs', options.windowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS);
    this.leaseMs = positive('idempotency leaseMs', options.leaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS);
    this.store = options.store ?? new MemoryIdempotencyStore();
    if (options.keyOf !== undefined) {
      if (typeof options.keyOf !== 'function') throw new InputError(`invalid idempotency keyOf ${quote(typeof options.keyOf)}: expected a function (event) => string`);
      this.derive = options.keyOf;
    }
  }

  /**
   * The key `event` is deduplicated on: `keyOf`'s when given, else the producer's
   * (`event.idempotencyKey`), else the event's `id`.
   * @throws IdempotencyKeyError when `keyOf` throws or answers anything but a valid key, or the
   *   event's `_idempotencyKey` field held something that is not a key (no fallback to the `id`)
   */
  public keyOf(event: ReceivedEvent): string {
    if (this.derive === undefined) {
      if (event.idempotencyKey !== undefined) return event.idempotencyKey;
      const problem = keyProblemOf(event);
      if (problem !== undefined) throw new IdempotencyKeyError(`event ${quote(event.id)}: ${problem}`);
      return event.id;
    }
    let key: unknown;
    try {
      key = this.derive(event);
    } catch (error) {
      throw new IdempotencyKeyError(`idempotency keyOf threw on event ${quote(event.id)}: ${quote(messageOf(error))}: expected it to answer the event's key`, { cause: error });
    }
    if (isThenable(key)) {
      throw new IdempotencyKeyError(`idempotency keyOf answered a promise on event ${quote(event.id)}: expected the key itself, a string (keyOf runs before the claim, synchronously)`);
    }
    const problem = idempotencyKeyProblem(key, 'idempotency key');
    if (problem !== undefined) throw new IdempotencyKeyError(`keyOf on event ${quote(event.id)}: ${problem}`);
    return key as string;
  }

  /**
   * {@link run} on the key of `event` ({@link keyOf}); a key that cannot be had is the
   * delivery's failure (`{ kind: 'failed' }` with the `IdempotencyKeyError`), before any claim.
   * `claimed` is told the key claimed.
   */
  public runFor(
    event: ReceivedEvent, dispatch: () => DispatchOutcome | Promise<DispatchOutcome>, claimed?: (key: string) => void,
  ): Promise<DeduplicatedOutcome> {
    let key: string;
    try {
      key = this.keyOf(event);
    } catch (error) {
      return Promise.resolve({ kind: 'failed', error });
    }
    return this.run(key, dispatch, claimed && (() => claimed(key)));
  }

  /**
   * Claims `id` (an event's key), runs `dispatch` when the claim is ours, then completes or releases it. Events
   * without an id (an input transformer removed it) cannot be recognised and always run. A store
   * whose claim throws fails the delivery, which is then made again: never a handler skipped on
   * doubt.
   *
   * The outcome does not wait for `complete` or `release`: the handlers' outcome is known, and
   * until the store records it the claim stands, so a repeat is answered in-flight (delivered
   * again later) rather than run twice. A store that fails or never answers there only means a
   * repeat may run the handlers again once the lease ends; it never holds the answer.
   */
  public async run(id: string, dispatch: () => DispatchOutcome | Promise<DispatchOutcome>, claimed?: () => void): Promise<DeduplicatedOutcome> {
    if (id.length === 0) return dispatch();
    let claim: ClaimResult;
    try {
      claim = await this.store.claim(id, this.leaseMs);
    } catch (error) {
      return { kind: 'failed', error };
    }
    if (claim === 'seen') return { kind: 'repeat' };
    if (claim === 'in-flight') return { kind: 'in-flight' };
    claimed?.();
    const outcome = await dispatch();
    this.record(id, outcome);
    return outcome;
  }

  /** Whether the store can renew claims. */
  public get renews(): boolean {
    return typeof this.store.renew === 'function';
  }

  /**
   * Renews the claim on `id` for another lease; never throws, and does not wait for the store.
   * Resolves (when the store answers) to whether it renewed.
   */
  public renew(id: string): Promise<boolean> {
    try {
      const renewed: unknown = this.store.renew?.(id, this.leaseMs);
      if (isThenable(renewed)) return Promise.resolve(renewed).then(() => true, () => false);
      return Promise.resolve(this.renews);
    } catch {
      return Promise.resolve(false);
    }
  }

  private record(id: string, outcome: DispatchOutcome): void {
    try {
      const recorded: unknown = outcome.kind === 'failed' ? this.store.release(id) : this.store.complete(id, this.windowMs);
      if (isThenable(recorded)) recorded.then(undefined, ignore);
    } catch {
      // see run(): a store that could not record the outcome only means a repeat may run again
    }
  }
}

function ignore(): void {
  // see Deduplicator.run
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new InputError(`invalid ${name} '${String(value).slice(0, 32)}': expected a positive whole number of milliseconds`);
  return value;
}
