import type { AwsClientLike } from '../sdk-config';

/** What the activities need from the client that runs them. */
export interface ActivityContext {
  /** An EventBridge client for management calls (the SDK's own retries on). */
  readonly events: AwsClientLike;
  /** Names of connections and API destinations must start with it (the contract's ResourceNamePrefix). */
  readonly resourceNamePrefix?: string;
}
