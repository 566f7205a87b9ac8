// SdkConfigLike: the parts of an SDK client's configuration the lean transport reads (its own file, so
// the regional and global-endpoint paths share it without importing each other).

/** The parts of an SDK client's resolved configuration the transport uses (an `EventBridgeClient['config']` fits). */
export interface SdkConfigLike {
  region: () => Promise<string>;
  /** The rest of what the SDK's endpoint resolution reads (endpointProvider, useFipsEndpoint, serviceConfiguredEndpoint, ...). */
  endpointProvider: unknown;
  credentials: unknown;
  sha256: unknown;
  signingEscapePath?: boolean;
  /** Milliseconds to add to the local clock to get the service's; the SDK keeps it here. */
  systemClockOffset: number;
}
