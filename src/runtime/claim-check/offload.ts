/**
 * The sending half of the claim check: before a PutEvents request, each entry over the threshold
 * (or with `claimCheck: true`) has its detail uploaded to S3 and is sent with the reference in
 * its place. `putEvents`, `putEvent` and the outbox's deliverer all go through here.
 *
 * Nothing is lost: an entry whose upload failed is answered as failed (`ClaimCheckStoreFailed`,
 * `retryable`, which an outbox keeps; `ClaimCheckTooLarge`), the others of the call are sent.
 * The key is the payload's SHA-256 (`contentKey`), so a retried upload rewrites the same object.
 */
import { createHash } from 'node:crypto';
import { splitClaimCheckFlag } from './entry-flag';
import { ClaimCheckError } from './errors';
import { contentKey } from './keys';
import type { ResolvedClaimCheck } from './options';
import { referenceDetail } from './reference';
import { storePayload } from './store';
import { IDEMPOTENCY_KEY_FIELD, idempotencyKeyProblem } from '../idempotency-key';
import { PutEventError } from '../producer/errors';
import { prepareEntry } from '../put-events/entries';
import type { EventEntry, PutEventsFailure, PutEventsResult, PutEventsResultEntry } from '../put-events/types';
import type { AwsClientLike } from '../sdk-config';
import { TRACE_CARRIER_KEY } from '../tracing/carrier';

/**
 * Fields of ours a detail may already hold when it is offloaded, which receivers read before any
 * fetch, each with what it must hold to be read as ours (a carrier is an object, a key a valid
 * key): anything else under the name is the sender's data, left in the payload alone, so a large
 * field of its own cannot make the reference too large to send.
 */
const RESERVED_FIELDS: readonly (readonly [string, (value: unknown) => boolean])[] = [
  [TRACE_CARRIER_KEY, (value) => typeof value === 'object' && value !== null && !Array.isArray(value)],
  [IDEMPOTENCY_KEY_FIELD, (value) => idempotencyKeyProblem(value) === undefined],
];

/** Uploads at once per call: enough to overlap round trips, few enough not to hold many payloads in flight. */
const UPLOAD_CONCURRENCY = 4;

/** What became of one entry before sending: sent on (as given, or as a reference) or failed. */
type Offloaded = { readonly entry: EventEntry } | { readonly failure: PutEventsFailure };

export class ClaimCheckOffloader {
  /** Payloads stored, and their bytes, for tests and stats. */
  public readonly counts = { stored: 0, storedBytes: 0, storeFailures: 0 };

  constructor(
    private readonly s3: () => AwsClientLike,
    public readonly settings: ResolvedClaimCheck,
    private readonly eventBusName: string | undefined,
    /** The sender's `stampIdempotencyKey`: a key stamped here is the one sent, in the reference too. */
    private readonly stampIdempotencyKey = false,
  ) {}

  /**
   * Sends `entries` through `send` with large details replaced by references; answers one result
   * per entry, in input order (an upload failure at that entry's place). `send` is also given the
   * input positions of the entries it sends, for what goes beside them (the outbox's traces).
   */
  public async send(
    entries: readonly EventEntry[],
    send: (entries: readonly EventEntry[], positions: readonly number[]) => Promise<PutEventsResult>,
  ): Promise<PutEventsResult> {
    // Not an array: the sender says so, as without the claim check.
    if (!Array.isArray(entries)) return send(entries, []);
    const offloaded = await this.offloadAll(entries);
    const passOn: EventEntry[] = [];
    const positions: number[] = [];
    const results = new Array<PutEventsResultEntry>(offloaded.length);
    for (let i = 0; i < offloaded.length; i++) {
      const o = offloaded[i];
      if ('failure' in o) {
        results[i] = o.failure;
      } else {
        positions.push(i);
        passOn.push(o.entry);
      }
    }
    const sent = passOn.length > 0 ? await send(passOn, positions) : { failedEntryCount: 0, entries: [] };
    for (let j = 0; j < positions.length; j++) results[positions[j]] = sent.entries[j];
    return { failedEntryCount: results.filter((r) => r.errorCode !== undefined).length, entries: results };
  }

  /** One entry for `putEvent`: the entry to buffer, or a `PutEventError` when its upload failed. */
  public async one(entry: EventEntry): Promise<EventEntry> {
    const o = await this.offload(entry, 0);
    if ('failure' in o) throw new PutEventError(o.failure.errorCode, o.failure.errorMessage, 0);
    return o.entry;
  }

  private async offloadAll(entries: readonly EventEntry[]): Promise<Offloaded[]> {
    const out = new Array<Offloaded>(entries.length);
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const i = next++;
        out[i] = await this.offload(entries[i], i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, entries.length) }, worker));
    return out;
  }

  /** The entry as it is to be sent, or its failure. An invalid entry goes on as given: the sender says why. */
  private async offload(entry: EventEntry, index: number): Promise<Offloaded> {
    const split = splitClaimCheckFlag(entry);
    if (typeof split === 'string') return { failure: failure('InvalidEntry', `entry ${index}: ${split}`, false) };
    const { entry: rest, flag } = split;
    if (flag === false) return { entry: rest };
    // The size counts the idempotency key (the entry's own, or stamped here), as the sender will.
    const prepared = prepareEntry(rest, index, {
      maxRequestBytes: Number.MAX_SAFE_INTEGER,
      eventBusName: this.eventBusName,
      stampIdempotencyKey: this.stampIdempotencyKey,
    });
    if (typeof prepared === 'string') return { entry: rest };
    const idempotencyKey = prepared.idempotencyKey;
    // A key stamped here goes on with the entry, so the one counted is the one sent.
    if (flag !== true && prepared.size <= this.settings.thresholdBytes) {
      return { entry: idempotencyKey === undefined || !this.stampIdempotencyKey ? rest : { ...rest, idempotencyKey } };
    }
    const request = prepared.request;
    const json = request.Detail;
    const { bucket, keyPrefix, maxPayloadBytes, timeoutMs, keepDetailFields } = this.settings;
    try {
      const hex = createHash('sha256').update(json, 'utf8').digest('hex');
      const key = contentKey(keyPrefix, hex);
      const pointer = await storePayload(this.s3(), { bucket, keyPrefix, payload: json, key, maxBytes: maxPayloadBytes, timeoutMs });
      this.counts.stored++;
      this.counts.storedBytes += pointer.size;
      // A top-level `_idempotencyKey` of the detail's own is the entry's key (receivers read it,
      // prepareEntry left it be), and a `_trace` in it is a carrier (an outbox record keeps its
      // creation context there): the reference carries both, first, as the plain path would, or a
      // receiver would deduplicate on the id, the sender stamp another key on every delivery, and
      // the delivery's trace lose its link to the add.
      const parsed = JSON.parse(json) as Record<string, unknown>;
      const ours = RESERVED_FIELDS.filter(([field, held]) =>
        !keepDetailFields.includes(field) && Object.prototype.hasOwnProperty.call(parsed, field) && held(parsed[field]));
      const detail = referenceDetail(parsed, pointer, [...ours.map(([field]) => field), ...keepDetailFields]);
      return {
        entry: {
          source: request.Source,
          detailType: request.DetailType,
          detail,
          eventBusName: request.EventBusName,
          time: request.Time,
          resources: request.Resources,
          traceHeader: request.TraceHeader,
          // In the reference, not in the stored payload: a receiver deduplicates before it fetches.
          idempotencyKey,
        },
      };
    } catch (error) {
      this.counts.storeFailures++;
      if (error instanceof ClaimCheckError) {
        return { failure: failure(error.code, `entry ${index}: ${error.message}`, error.code === 'ClaimCheckStoreFailed') };
      }
      const message = error instanceof Error ? error.message : String(error);
      return { failure: failure('ClaimCheckStoreFailed', `entry ${index}: storing its detail in S3 failed: ${message}`, true) };
    }
  }
}

/** Not sent (attempts 0); `retryable` when trying again later may succeed (S3 refused or was slow). */
function failure(errorCode: string, errorMessage: string, retryable: boolean): PutEventsFailure {
  return retryable ? { errorCode, errorMessage, attempts: 0, retryable: true } : { errorCode, errorMessage, attempts: 0 };
}
