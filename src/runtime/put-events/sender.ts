/**
 * Sends any number of events through PutEvents: validates, batches, sends batches concurrently,
 * retries what is retryable, and answers for every input entry.
 */
import { errorCodeOr, foreignMessage, isEventId } from './foreign-text';
import { InputError } from '../errors';
import { MAX_ENTRIES_PER_REQUEST } from './batcher';
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
import { quote } from '../../contract/quote';

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
    // Everything is read and serialized here, before the first await: a caller that changes the
    // array or its entries after the call changes nothing that is sent or answered.
    const count = entries.length;
    const results = new Array<PutEventsResultEntry>(count);
    const accepted = this.options.invalidEntries === 'reject-all' ? this.allOrNothing(entries, count, results) : this.validOnly(entries, count, results);
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
        for (const r of retries) results[r.entry.index] = failure(r.code, `${r.message} (gave up after ${attempt} attempts)`, attempt, r.httpStatusCode);
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
      response = await this.putEvents(pending.map((p) => p.request), attempt);
    } catch (error) {
      const { code, message, retryable, httpStatusCode } = classifyRequestError(error);
      if (retryable) return pending.map((entry) => ({ entry, code, message, httpStatusCode }));
      for (const p of pending) results[p.index] = failure(code, message, attempt, httpStatusCode);
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
  private validOnly(entries: readonly EventEntry[], count: number, results: PutEventsResultEntry[]): PreparedEntry[] {
    const prepared: PreparedEntry[] = [];
    for (let i = 0; i < count; i++) {
      const p = this.prepare(entries, i);
      if (typeof p === 'string') results[i] = failure('InvalidEntry', p, 0);
      else prepared.push(p);
    }
    return prepared;
  }

  /** `reject-all`: one invalid entry holds back the whole call. */
  private allOrNothing(entries: readonly EventEntry[], count: number, results: PutEventsResultEntry[]): PreparedEntry[] | undefined {
    const prepared: PreparedEntry[] = [];
    let invalid = 0;
    let first = '';
    for (let i = 0; i < count; i++) {
      const p = this.prepare(entries, i);
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

  /** Entry `i` converted, or why it cannot be; an array whose element getter throws included. */
  private prepare(entries: readonly EventEntry[], i: number): PreparedEntry | string {
    try {
      return prepareEntry(entries[i], i, this.options);
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
