// The check of a connector's `claimCheck` option, beside the connector that runs it.
import type { ClaimCheckBucketOptions, ConnectorClaimCheckOptions } from '../claim-check';
import { checkLogsPrefix, checkRetention, keyPrefixProblem } from '../claim-check/claim-check-validation';

/**
 * Checks a connector's `claimCheck` option: the bucket options belong to a new store only, and
 * the connector's own prefix follows the store's rule.
 */
export function validateConnectorClaimCheck(options: ConnectorClaimCheckOptions): void {
  if (options.store) {
    const given = (['retention', 'encryptionKey', 'serverAccessLogsBucket', 'serverAccessLogsPrefix'] as const)
      .filter((key) => (options as ClaimCheckBucketOptions)[key] !== undefined);
    if (given.length > 0) {
      throw new Error(`invalid claimCheck ${given.join(', ')}: a store is given, and ${given.length === 1 ? 'this is' : 'these are'} the store's own: set ${given.length === 1 ? 'it' : 'them'} on the ClaimCheckStore, or leave out store for a new one`);
    }
  }
  const problem =
    (options.keyPrefix === undefined ? undefined : keyPrefixProblem(options.keyPrefix, 'claimCheck keyPrefix')) ??
    checkRetention(options.retention, 'claimCheck retention') ??
    checkLogsPrefix(options, 'claimCheck serverAccessLogsPrefix');
  if (problem) throw new Error(problem);
}
