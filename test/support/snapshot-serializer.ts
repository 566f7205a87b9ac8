// Snapshots that survive aws-cdk-lib upgrades: asset hashes and the bootstrap version change with
// every release, so they are replaced by placeholders and a snapshot diff means our change.
const ASSET_HASH = /[0-9a-f]{64}/g;

const serializer = {
  test(value: unknown): boolean {
    return typeof value === 'string' && ASSET_HASH.test(value) && (ASSET_HASH.lastIndex = 0) === 0;
  },
  serialize(value: string): string {
    return JSON.stringify(value.replace(ASSET_HASH, '<asset-hash>'));
  },
};

module.exports = serializer;
