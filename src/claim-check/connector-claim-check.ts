// A connector's `claimCheck` option: apart from the store's props, since it names the store
// construct, which imports those props.
import type { ClaimCheckStore } from './claim-check-store';
import type { ClaimCheckBucketOptions } from './claim-check-store-props';

/**
 * A connector's claim check: where the runtime stores the `detail` of an entry over the request
 * limit, sending a small reference in its place. Give `store` to share one bucket between
 * connectors, or leave it out for a store of the connector's own.
 */
export interface ConnectorClaimCheckOptions extends ClaimCheckBucketOptions {
  /**
   * An existing store to use. The bucket options (`retention`, `encryptionKey`,
   * `serverAccessLogsBucket`, `serverAccessLogsPrefix`) are then the store's and may not be given here.
   *
   * @default - a new store in the connector, with the options above
   */
  readonly store?: ClaimCheckStore;

  /**
   * The connector's own key prefix below the store's (`orders/` gives keys under
   * `payloads/orders/`): its principal may write and read there and nowhere else, so connectors
   * sharing a store cannot read each other's payloads. Two connectors of the store may not have
   * one prefix, nor one under the other (synth fails naming both).
   *
   * @default `<resource name prefix without its '.'>/` (`orders.` gives `orders/`)
   */
  readonly keyPrefix?: string;
}
