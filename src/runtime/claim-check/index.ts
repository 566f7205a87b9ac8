// The claim check (issue 21): events of any size through S3. The client sends a large detail to
// the store and a reference in its place (offload.ts); receivers and consumers fetch it back
// before their handlers run (resolve.ts). Entry sizing as EventBridge counts it is in entry-size.ts.
export {
  PUT_EVENTS_REQUEST_LIMIT_BYTES,
  LEGACY_PUT_EVENTS_REQUEST_LIMIT_BYTES,
  entrySizeWithoutDetail,
  exceedsRequestLimit,
} from './entry-size';
export type { SizedEntry } from './entry-size';
export * from './errors';
export { CLAIM_CHECK_FIELD, CLAIM_CHECK_REFERENCE_VERSION, readPointer, referenceDetail } from './reference';
export type { ClaimCheckPointer } from './reference';
export { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_S3_TIMEOUT_MS } from './limits';
export { contentKey, payloadKey } from './keys';
export { storePayload } from './store';
export type { StorePayloadInput } from './store';
export { fetchPayload } from './fetch';
export type { FetchPayloadOptions } from './fetch';
export type { ClaimCheckOptions, ReceiveClaimCheckOptions, ClaimCheckDelivery } from './options';
