/**
 * Sends any number of events through PutEvents: validates, batches, sends batches concurrently,
 * retries what is retryable, and answers for every input entry.
 */
import { errorCodeOr, foreignMessage, isEventId } from './foreign-text';
import { InputError } from '../errors';
import { MAX_ENTRIES_PER_REQUEST } from './batcher';
import { PreparedEntry, prepareEntry, withIdempotencyKey } from './entries';
import { ResolvedOptions, resolveOptions } from './options';
import { backoffDelay, classifyRequestError, isRetryableEntryCode, isTransientCode } from './retry';
import type {
  EventEntry,
  PutEventsFailure,
  PutEventsFunction,
  PutEventsOptions,
  PutEventsResponse,
  PutEventsResult,
  PutEventsResultEntry,
} from './types';
import { quote } from '../../contract/quote';
import type { RetryBudget } from '../retry/retry-budget';
import { applyTrace, endEntry, traceEntry, traceRequest } from '../tracing/producer-spans';
import type { EntryTrace } from '../tracing/types';

/** What the sender shares with the rest of its client: the close signal and the retry budget. */
export interface SenderControls {
  /**
   * Aborted when the client closes: no request starts after it, a request in flight is aborted
   * (its entries may or may not have arrived), and an entry waiting to be retried ends with the
   * error that sent it back.
   */
  readonly signal?: AbortSignal;
  /** Pays for every retry; when it cannot, the entry ends with its last error. */
  readonly retryBudget?: RetryBudget;
}

/** Entries the sender ended for one of its client's limits, for `stats()`. */
export interface SenderCounts {
  /** Entries that ended with their last retryable error because the retry budget could not pay for a retry. */
  retryBudgetExhausted: number;
  /** Entries ended by the client's close: not sent, in a request aborted on the wire, or waiting to be retried. */
  abortedAtClose: number;
}

/**
 * Thrown by a {@link PutEventsFunction} wrapper that gave up on a request before sending it
 * (the client closed while it waited for the rate limit): its entries were not sent.
 */
export class RequestNotSent extends Error {
  constructor() {
    super('not sent: the client was closed before the request went out');
    this.name = 'RequestNotSent';
  }
}

/** A span the sender started for an entry of the call, ended with the entry's result. */
type OwnTrace = EntryTrace & { index: number };

/** `attempt`'s answer when the request failed as a whole for good (no retry, and no success to count). */
const FAILED: Retry[] = [];

/** An entry to try again, with the failure that sent it back. */
interface Retry {
  readonly entry: PreparedEntry;
  readonly code: string;
  readonly message: string;
  readonly httpStatusCode?: number;
}

/**
 * Sends events with at-least-once semantics: an entry is acknowledged only by the EventId at its
 * own position in the response to the request that carried it; anything else ends as a failure
 * naming its last error. A retry after a dropped connection may deliver an event twice; no event
 * is ever reported sent that was not.
 *
 * Input is read once: every entry is checked, copied and its detail serialized when `send` is
 * called. Memory: each converted entry is let go once its batch is answered, so a call holds
 * the converted entries not yet sent, the result array and the batches in flight.
 */
export class EventSender {
  public readonly counts: SenderCounts = { retryBudgetExhausted: 0, abortedAtClose: 0 };
  private readonly options: ResolvedOptions;
  private readonly signal?: AbortSignal;
  private readonly retryBudget?: RetryBudget;
  /** Backoffs use a timer of the sender's own, cleared on close, unless a `sleep` was given. */
  private readonly ownTimer: boolean;

  /**
   * @param putEvents performs one PutEvents request (see {@link PutEventsFunction}); give the SDK
   *   client `maxAttempts: 1` so that retries are this sender's alone
   * @param controls the close signal and retry budget shared with the client's other senders
   * @throws InputError when an option is out of range
   */
  constructor(private readonly putEvents: PutEventsFunction, options?: PutEventsOptions, controls: SenderControls = {}) {
    this.options = resolveOptions(options);
    this.ownTimer = options?.sleep === undefined;
    if (controls.signal) this.signal = controls.signal;
    if (controls.retryBudget) this.retryBudget = controls.retryBudget;
  }

  /**
   * Resolves to one result per entry, in input order: `{ eventId }` or
   * `{ errorCode, errorMessage, attempts }`. Rejects only when `entries` is not an array.
   * @param traces the entries' creation contexts when the caller traced them (the producer, the
   *   outbox); otherwise each entry gets a span of the sender's own, when an SDK is registered
   */
  public async send(entries: readonly EventEntry[], traces?: readonly (EntryTrace | undefined)[]): Promise<PutEventsResult> {
    if (!Array.isArray(entries)) {
      throw new InputError(`entries is ${entries === null ? 'null' : typeof entries}: expected an array of events`);
    }
    // Everything is read and serialized here, before the first await: a caller that changes the
    // array or its entries after the call changes nothing that is sent or answered.
    const count = entries.length;
    const results = new Array<PutEventsResultEntry>(count);
    const own: EntryTrace[] = [];
    const prepare = (i: number) => this.prepare(entries, i, traces, own);
    const accepted = this.options.invalidEntries === 'reject-all' ? this.allOrNothing(prepare, count, results) : this.validOnly(prepare, count, results);
    if (accepted) {
      const queue = takeBatches(accepted, MAX_ENTRIES_PER_REQUEST, this.options.maxRequestBytes);
      const workers: Promise<void>[] = [];
      for (let i = 0; i < Math.min(this.options.concurrency, accepted.length); i++) {
        workers.push(this.work(queue, results));
      }
      await Promise.all(workers);
    }
    let failedEntryCount = 0;
    for (let i = 0; i < results.length; i++) {
      // Every path above answers every entry; should one ever be missed, say so rather than crash.
      results[i] ??= failure('NotSent', 'no outcome was recorded for this entry (a bug in the sender)', 0);
      if (results[i].errorCode !== undefined) failedEntryCount++;
    }
    for (const trace of own) endEntry(trace, results[(trace as OwnTrace).index]);
    return { failedEntryCount, entries: results };
  }

  /** One of `concurrency` loops taking the next batch off the shared queue until it is empty. */
  private async work(queue: Iterator<PreparedEntry[]>, results: PutEventsResultEntry[]): Promise<void> {
    for (let next = queue.next(); !next.done; next = queue.next()) {
      if (this.signal?.aborted) {
        for (const p of next.value) results[p.index] = cutShort('ProducerClosed', 'not sent: the client was closed before the entry was sent', 0);
        this.counts.abortedAtClose += next.value.length;
        continue;
      }
      await this.deliver(next.value, results);
    }
  }

  /**
   * Sends a batch, then only its retryable failures, until none is left, attempts run out, the
   * retry budget cannot pay for another request, or the client closes.
   */
  private async deliver(batch: PreparedEntry[], results: PutEventsResultEntry[]): Promise<void> {
    let pending = batch;
    let cost = 0;
    for (let attempt = 1; ; attempt++) {
      const retries = await this.attempt(pending, attempt, results);
      if (retries.length === 0) {
        if (retries !== FAILED) this.retryBudget?.recordSuccess(cost);
        return;
      }
      if (attempt >= this.options.maxAttempts) {
        for (const r of retries) results[r.entry.index] = failure(r.code, `${r.message} (gave up after ${attempt} attempts)`, attempt, r.httpStatusCode);
        return;
      }
      if (this.signal?.aborted) return this.endRetries(retries, attempt, results, 'the client was closed', true);
      if (this.retryBudget) {
        cost = this.retryBudget.acquire(isTransientCode(retries[0].code));
        if (cost === 0) {
          this.counts.retryBudgetExhausted += retries.length;
          return this.endRetries(retries, attempt, results, "the client's retry budget is exhausted; successful requests refill it", false);
        }
      }
      const { baseDelayMs, maxDelayMs, random } = this.options;
      if (!(await this.backoff(backoffDelay(attempt, baseDelayMs, maxDelayMs, random)))) {
        return this.endRetries(retries, attempt, results, 'the client was closed during the backoff before the retry', true);
      }
      pending = retries.map((r) => r.entry);
    }
  }

  /** Entries known to have failed retryably, ended with that failure and why they go no further. */
  private endRetries(retries: Retry[], attempt: number, results: PutEventsResultEntry[], reason: string, closing: boolean): void {
    for (const r of retries) results[r.entry.index] = cutShort(r.code, `${r.message} (not retried: ${reason})`, attempt, r.httpStatusCode);
    if (closing) this.counts.abortedAtClose += retries.length;
  }

  /** Waits out a backoff; false when the client closed meanwhile (its own timer is then cleared). */
  private backoff(ms: number): Promise<boolean> {
    const signal = this.signal;
    if (!signal) return this.options.sleep(ms).then(() => true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(!signal.aborted);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.ownTimer) timer = setTimeout(done, ms);
      else this.options.sleep(ms).then(done, done);
    });
  }

  /** One PutEvents request: records final outcomes and returns the entries to try again. */
  private async attempt(pending: PreparedEntry[], attempt: number, results: PutEventsResultEntry[]): Promise<Retry[]> {
    let response: PutEventsResponse | undefined;
    const signal = this.signal;
    try {
      if (signal?.aborted) throw new RequestNotSent();
      response = await traceRequest(pending, attempt, () => this.putEvents(pending.map((p) => p.request), attempt, signal));
    } catch (error) {
      if (error instanceof RequestNotSent) {
        for (const p of pending) results[p.index] = cutShort('ProducerClosed', 'not sent: the client was closed before the request went out', attempt - 1);
        this.counts.abortedAtClose += pending.length;
        return FAILED;
      }
      if (signal?.aborted) {
        // Ended by close(): the request may have reached the service before it was cut off.
        for (const p of pending) results[p.index] = cutShort('ProducerClosed', 'not acknowledged: the client was closed while the request was on its way; it may or may not have arrived', attempt);
        this.counts.abortedAtClose += pending.length;
        return FAILED;
      }
      const { code, message, retryable, httpStatusCode } = classifyRequestError(error);
      if (retryable) return pending.map((entry) => ({ entry, code, message, httpStatusCode }));
      for (const p of pending) results[p.index] = failure(code, message, attempt, httpStatusCode);
      return FAILED;
    }

    const answers = response?.Entries;
    if (!Array.isArray(answers) || answers.length !== pending.length) {
      // Positions are the only link between request and response entries: without one answer per
      // entry no EventId can be trusted to belong to any of them.
      const message = `response has ${Array.isArray(answers) ? answers.length : 'no'} entries for a request of ${pending.length}: expected one per request entry, so none is acknowledged`;
      for (const p of pending) results[p.index] = failure('InvalidResponse', message, attempt);
      return FAILED;
    }

    const retries: Retry[] = [];
    for (let i = 0; i < pending.length; i++) {
      const entry = pending[i];
      const answer = answers[i];
      if (answer?.ErrorCode) {
        const code = errorCodeOr(String(answer.ErrorCode), 'InvalidResponse');
        const message = foreignMessage(typeof answer.ErrorMessage === 'string' && answer.ErrorMessage !== '' ? answer.ErrorMessage : `EventBridge failed the entry with ${String(answer.ErrorCode)}`);
        if (isRetryableEntryCode(code)) retries.push({ entry, code, message });
        else results[entry.index] = failure(code, message, attempt);
      } else if (isEventId(answer?.EventId)) {
        results[entry.index] = { eventId: answer.EventId };
      } else if (answer?.EventId !== undefined && answer.EventId !== '') {
        results[entry.index] = failure('InvalidResponse', `response entry's EventId ${quote(answer.EventId)} is not an EventId: expected 1 to 256 printable ASCII characters, so the entry is not acknowledged`, attempt);
      } else {
        results[entry.index] = failure('InvalidResponse', 'response entry has neither EventId nor ErrorCode: expected one of them', attempt);
      }
    }
    return retries;
  }

  /** `send-valid`: invalid entries are answered at once; the valid ones are returned to send. */
  private validOnly(prepare: (i: number) => PreparedEntry | string, count: number, results: PutEventsResultEntry[]): PreparedEntry[] {
    const prepared: PreparedEntry[] = [];
    for (let i = 0; i < count; i++) {
      const p = prepare(i);
      if (typeof p === 'string') results[i] = failure('InvalidEntry', p, 0);
      else prepared.push(p);
    }
    return prepared;
  }

  /** `reject-all`: one invalid entry holds back the whole call. */
  private allOrNothing(prepare: (i: number) => PreparedEntry | string, count: number, results: PutEventsResultEntry[]): PreparedEntry[] | undefined {
    const prepared: PreparedEntry[] = [];
    let invalid = 0;
    let first = '';
    for (let i = 0; i < count; i++) {
      const p = prepare(i);
      if (typeof p === 'string') {
        results[i] = failure('InvalidEntry', p, 0);
        if (invalid++ === 0) first = p;
      } else {
        prepared.push(p);
      }
    }
    if (invalid === 0) return prepared;
    const message = `not sent: ${invalid} of ${count} entries are invalid (first: ${first}) and invalidEntries is 'reject-all'`;
    for (const p of prepared) results[p.index] = failure('NotSent', message, 0);
    return undefined;
  }

  /**
   * Entry `i` converted, or why it cannot be; an array whose element getter throws included. With
   * an SDK registered it is traced: with the caller's trace, or a span of its own (kept in `own`).
   */
  private prepare(
    entries: readonly EventEntry[], i: number, traces: readonly (EntryTrace | undefined)[] | undefined, own: EntryTrace[],
  ): PreparedEntry | string {
    try {
      const checked = prepareEntry(entries[i], i, this.options);
      if (typeof checked === 'string') return checked;
      // Spliced once here, so every retry of the entry sends the same key.
      const prepared = checked.idempotencyKey === undefined ? checked : withIdempotencyKey(checked);
      const given = traces?.[i];
      if (given) return applyTrace(prepared, given);
      const trace = traceEntry(prepared, this.options);
      if (!trace) return prepared;
      own.push(Object.assign(trace, { index: i }));
      return applyTrace(prepared, trace);
    } catch (error) {
      // A Proxy may throw from any trap, even from the checks prepareEntry makes first.
      return `entry ${i}: reading it threw ${quote(error instanceof Error ? `${error.name}: ${error.message}` : error)}: expected an entry whose fields can be read`;
    }
  }
}

/**
 * The batches of `items` in order, as `batches()` in batcher.ts cuts them (at most `maxEntries`,
 * at most `maxBytes`), taken one at a time by the workers. Each item is let go as its batch is
 * taken, so converted entries do not outlive their batch. A plain cursor rather than generators:
 * this runs once per event on the hot path.
 */
function takeBatches(items: (PreparedEntry | undefined)[], maxEntries: number, maxBytes: number): Iterator<PreparedEntry[]> {
  let next = 0;
  return {
    next(): IteratorResult<PreparedEntry[]> {
      if (next >= items.length) return { done: true, value: undefined };
      const batch: PreparedEntry[] = [];
      let bytes = 0;
      while (next < items.length && batch.length < maxEntries) {
        const item = items[next]!;
        if (batch.length > 0 && bytes + item.size > maxBytes) break;
        batch.push(item);
        bytes += item.size;
        items[next++] = undefined;
      }
      return { done: false, value: batch };
    },
  };
}

function failure(errorCode: string, errorMessage: string, attempts: number, httpStatusCode?: number): PutEventsFailure {
  return httpStatusCode === undefined ? { errorCode, errorMessage, attempts } : { errorCode, errorMessage, attempts, httpStatusCode };
}

/** A failure ended by a limit of the client (close, retry budget) rather than by the service: worth sending again later. */
function cutShort(errorCode: string, errorMessage: string, attempts: number, httpStatusCode?: number): PutEventsFailure {
  return { ...failure(errorCode, errorMessage, attempts, httpStatusCode), retryable: true };
}
