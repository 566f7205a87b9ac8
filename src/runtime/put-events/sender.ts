/**
 * Sends any number of events through PutEvents: validates, batches, sends batches concurrently,
 * retries what is retryable, and answers for every input entry.
 */
import { InputError } from '../errors';
import { batches } from './batcher';
import { PreparedEntry, prepareEntry } from './entries';
import { ResolvedOptions, resolveOptions } from './options';
import { backoffDelay, classifyRequestError, isRetryableEntryCode } from './retry';
import type {
  EventEntry,
  PutEventsFailure,
  PutEventsFunction,
  PutEventsOptions,
  PutEventsResponse,
  PutEventsResult,
  PutEventsResultEntry,
} from './types';

/** An entry to try again, with the failure that sent it back. */
interface Retry {
  readonly entry: PreparedEntry;
  readonly code: string;
  readonly message: string;
}

/**
 * Sends events with at-least-once semantics: an entry is acknowledged only by the EventId at its
 * own position in the response to the request that carried it; anything else ends as a failure
 * naming its last error. A retry after a dropped connection may deliver an event twice; no event
 * is ever reported sent that was not.
 *
 * Memory: entries are converted lazily as batches go out and nothing is kept once a batch is
 * answered, so a call holds the caller's array, the result array and the batches in flight.
 */
export class EventSender {
  private readonly options: ResolvedOptions;

  /**
   * @param putEvents performs one PutEvents request (see {@link PutEventsFunction}); give the SDK
   *   client `maxAttempts: 1` so that retries are this sender's alone
   * @throws InputError when an option is out of range
   */
  constructor(private readonly putEvents: PutEventsFunction, options?: PutEventsOptions) {
    this.options = resolveOptions(options);
  }

  /**
   * Resolves to one result per entry, in input order: `{ eventId }` or
   * `{ errorCode, errorMessage, attempts }`. Rejects only when `entries` is not an array.
   */
  public async send(entries: readonly EventEntry[]): Promise<PutEventsResult> {
    if (!Array.isArray(entries)) {
      throw new InputError(`entries is ${entries === null ? 'null' : typeof entries}: expected an array of events`);
    }
    const results = new Array<PutEventsResultEntry>(entries.length);
    const accepted = this.options.invalidEntries === 'reject-all' ? this.allOrNothing(entries, results) : this.validOnly(entries, results);
    if (accepted) {
      const queue = batches(accepted, { maxBytes: this.options.maxRequestBytes });
      const workers: Promise<void>[] = [];
      for (let i = 0; i < Math.min(this.options.concurrency, entries.length); i++) {
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
    return { failedEntryCount, entries: results };
  }

  /** One of `concurrency` loops taking the next batch off the shared queue until it is empty. */
  private async work(queue: Iterator<PreparedEntry[]>, results: PutEventsResultEntry[]): Promise<void> {
    for (let next = queue.next(); !next.done; next = queue.next()) {
      await this.deliver(next.value, results);
    }
  }

  /** Sends a batch, then only its retryable failures, until none is left or attempts run out. */
  private async deliver(batch: PreparedEntry[], results: PutEventsResultEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      const retries = await this.attempt(pending, attempt, results);
      if (retries.length === 0) return;
      if (attempt >= this.options.maxAttempts) {
        for (const r of retries) results[r.entry.index] = failure(r.code, `${r.message} (gave up after ${attempt} attempts)`, attempt);
        return;
      }
      const { baseDelayMs, maxDelayMs, random, sleep } = this.options;
      await sleep(backoffDelay(attempt, baseDelayMs, maxDelayMs, random));
      pending = retries.map((r) => r.entry);
    }
  }

  /** One PutEvents request: records final outcomes and returns the entries to try again. */
  private async attempt(pending: PreparedEntry[], attempt: number, results: PutEventsResultEntry[]): Promise<Retry[]> {
    let response: PutEventsResponse | undefined;
    try {
      response = await this.putEvents(pending.map((p) => p.request));
    } catch (error) {
      const { code, message, retryable } = classifyRequestError(error);
      if (retryable) return pending.map((entry) => ({ entry, code, message }));
      for (const p of pending) results[p.index] = failure(code, message, attempt);
      return [];
    }

    const answers = response?.Entries;
    if (!Array.isArray(answers) || answers.length !== pending.length) {
      // Positions are the only link between request and response entries: without one answer per
      // entry no EventId can be trusted to belong to any of them.
      const message = `response has ${Array.isArray(answers) ? answers.length : 'no'} entries for a request of ${pending.length}: expected one per request entry, so none is acknowledged`;
      for (const p of pending) results[p.index] = failure('InvalidResponse', message, attempt);
      return [];
    }

    const retries: Retry[] = [];
    for (let i = 0; i < pending.length; i++) {
      const entry = pending[i];
      const answer = answers[i];
      if (answer?.ErrorCode) {
        const message = answer.ErrorMessage || `EventBridge failed the entry with ${answer.ErrorCode}`;
        if (isRetryableEntryCode(answer.ErrorCode)) retries.push({ entry, code: answer.ErrorCode, message });
        else results[entry.index] = failure(answer.ErrorCode, message, attempt);
      } else if (typeof answer?.EventId === 'string' && answer.EventId !== '') {
        results[entry.index] = { eventId: answer.EventId };
      } else {
        results[entry.index] = failure('InvalidResponse', 'response entry has neither EventId nor ErrorCode: expected one of them', attempt);
      }
    }
    return retries;
  }

  /** `send-valid`: invalid entries are answered at once; valid ones are converted as batches go out. */
  private *validOnly(entries: readonly EventEntry[], results: PutEventsResultEntry[]): Generator<PreparedEntry> {
    for (let i = 0; i < entries.length; i++) {
      const prepared = prepareEntry(entries[i], i, this.options);
      if (typeof prepared === 'string') results[i] = failure('InvalidEntry', prepared, 0);
      else yield prepared;
    }
  }

  /** `reject-all`: every entry is checked first; one invalid entry holds back the whole call. */
  private allOrNothing(entries: readonly EventEntry[], results: PutEventsResultEntry[]): Iterable<PreparedEntry> | undefined {
    const prepared = new Array<PreparedEntry | undefined>(entries.length);
    let invalid = 0;
    let first = '';
    for (let i = 0; i < entries.length; i++) {
      const p = prepareEntry(entries[i], i, this.options);
      if (typeof p === 'string') {
        results[i] = failure('InvalidEntry', p, 0);
        if (invalid++ === 0) first = p;
      } else {
        prepared[i] = p;
      }
    }
    if (invalid === 0) return drain(prepared);
    const message = `not sent: ${invalid} of ${entries.length} entries are invalid (first: ${first}) and invalidEntries is 'reject-all'`;
    for (let i = 0; i < entries.length; i++) if (prepared[i]) results[i] = failure('NotSent', message, 0);
    return undefined;
  }
}

/** Yields the items and lets go of each, so converted entries do not outlive their batch. */
function* drain<T>(items: (T | undefined)[]): Generator<T> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    items[i] = undefined;
    yield item;
  }
}

function failure(errorCode: string, errorMessage: string, attempts: number): PutEventsFailure {
  return { errorCode, errorMessage, attempts };
}
