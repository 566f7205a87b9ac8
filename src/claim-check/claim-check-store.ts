// ClaimCheckStore: the S3 bucket that holds the payloads of events over the request limit, and
// the grants that let a connector write and read its own key prefix in it and nothing else.
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import type { ClaimCheckStoreProps } from './claim-check-store-props';
import { keyPrefixProblem, validateClaimCheckStoreProps } from './claim-check-validation';
import { flattenForNag } from '../access/acknowledgements';
import { quote } from '../contract';

/** The id of the lifecycle rule that expires payloads. */
const EXPIRE_RULE_ID = 'ExpirePayloads';

/**
 * Claim-check store (issue 21): an S3 bucket for the `detail` of events too large to send, which
 * the runtime uploads before PutEvents and fetches before a handler sees the event. The event
 * carries a small reference (bucket, key, size, SHA-256) instead.
 *
 * The bucket is encrypted (S3-managed keys, or the KMS key given), refuses requests without TLS
 * 1.2 or later, blocks every form of public access, disables ACLs, keeps no versions (an
 * overwritten or deleted payload is gone, which the SHA-256 in the reference detects), and
 * expires what is under `keyPrefix` after `retention`. Grants name actions on objects under a
 * prefix only: `s3:PutObject` to write, `s3:GetObject` to read; never `s3:ListBucket` nor
 * `s3:DeleteObject`. (Without `s3:ListBucket`, S3 answers a read of a missing key with 403
 * AccessDenied rather than 404 NoSuchKey; the runtime's error says either way which key.)
 */
export class ClaimCheckStore extends Construct {
  /** The bucket that holds the payloads. */
  public readonly bucket: s3.Bucket;

  /** Key prefix of every payload, ended by `/`, e.g. `payloads/`. */
  public readonly keyPrefix: string;

  /** How long a payload is kept. */
  public readonly retention: Duration;

  /**
   * The KMS key payloads are encrypted with.
   *
   * @default - S3-managed keys
   */
  public readonly encryptionKey?: kms.IKey;

  /** Prefixes handed to connectors (full prefix, owner path), so none overlaps another. */
  private readonly reserved: Array<{ prefix: string; owner: string }> = [];

  constructor(scope: Construct, id: string, props: ClaimCheckStoreProps = {}) {
    const { keyPrefix, retention, removalPolicy } = validateClaimCheckStoreProps(props);
    super(scope, id);
    this.keyPrefix = keyPrefix;
    this.retention = retention;
    this.encryptionKey = props.encryptionKey;

    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      // One data key per bucket rather than per object: fewer KMS requests, same key.
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Off: a payload is written once and read by its checksum; versions would keep what the
      // lifecycle rule should delete.
      versioned: false,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
      removalPolicy,
      lifecycleRules: [{
        id: EXPIRE_RULE_ID,
        prefix: keyPrefix,
        expiration: retention,
        // The runtime sends single PutObject requests; this only cleans up after other writers.
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
    if (!props.serverAccessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'server access logs are optional (serverAccessLogsBucket): payloads expire after the retention, only principals granted one prefix read them, and CloudTrail data events can record each read',
      });
    }
  }

  /**
   * Lets `grantee` store payloads: `s3:PutObject` on `<store prefix><keyPrefix>*` (and
   * `kms:GenerateDataKey` on the store's KMS key, if any).
   *
   * @param keyPrefix a prefix below the store's, ended by `/` (e.g. `orders/`); the default is the store's whole prefix
   */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    const grant = this.grantOnObjects(grantee, 's3:PutObject', keyPrefix);
    this.encryptionKey?.grant(grantee, 'kms:GenerateDataKey');
    return grant;
  }

  /**
   * Lets `grantee` fetch payloads: `s3:GetObject` on `<store prefix><keyPrefix>*` (and
   * `kms:Decrypt` on the store's KMS key, if any). No `s3:ListBucket`: a reader finds a payload
   * by the key its event names, never by listing.
   *
   * @param keyPrefix a prefix below the store's, ended by `/` (e.g. `orders/`); the default is the store's whole prefix
   */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    const grant = this.grantOnObjects(grantee, 's3:GetObject', keyPrefix);
    this.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /**
   * The full key prefix of `keyPrefix` below the store's, e.g. `payloads/orders/`.
   *
   * @param keyPrefix a prefix below the store's, ended by `/`; the default is the store's whole prefix
   */
  public keyPrefixFor(keyPrefix?: string): string {
    if (keyPrefix === undefined) return this.keyPrefix;
    const problem = keyPrefixProblem(keyPrefix, 'keyPrefix');
    if (problem) throw new Error(problem);
    return `${this.keyPrefix}${keyPrefix}`;
  }

  /**
   * Reserves a prefix below the store's for one connector: two owners may not have one prefix,
   * nor one under the other, or one could read the other's payloads.
   *
   * @internal
   */
  public _reserveKeyPrefix(keyPrefix: string, owner: IConstruct): string {
    const prefix = this.keyPrefixFor(keyPrefix);
    if (!Token.isUnresolved(prefix)) {
      const clash = this.reserved.find((r) => !Token.isUnresolved(r.prefix) && (r.prefix.startsWith(prefix) || prefix.startsWith(r.prefix)));
      if (clash) {
        throw new Error(`invalid claimCheck keyPrefix ${quote(keyPrefix)} of ${quote(owner.node.path)}: its payloads under ${quote(prefix)} would overlap ` +
          `${quote(clash.prefix)} of ${quote(clash.owner)} in store ${quote(this.node.path)}, expected a prefix of its own that is neither one nor under the other`);
      }
    }
    this.reserved.push({ prefix, owner: owner.node.path });
    return prefix;
  }

  private grantOnObjects(grantee: iam.IGrantable, action: string, keyPrefix: string | undefined): iam.Grant {
    const resourceArn = this.bucket.arnForObjects(`${this.keyPrefixFor(keyPrefix)}*`);
    const grant = iam.Grant.addToPrincipalOrResource({ grantee, actions: [action], resourceArns: [resourceArn], resource: this.bucket });
    acknowledgePrefixWildcard(grantee, resourceArn);
    return grant;
  }
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 for the one wildcard a grant writes, `<prefix>*`, on
 * the grantee (when it is a construct): payload keys are made by the runtime (a date and a random
 * id after the prefix), so they are known only by their prefix, which ends with `/` and no other
 * owner of the store shares or extends.
 */
function acknowledgePrefixWildcard(grantee: iam.IGrantable, resourceArn: string): void {
  const principal = grantee.grantPrincipal as Partial<IConstruct>;
  const target = principal.node ? (principal as IConstruct) : (grantee as Partial<IConstruct>).node ? (grantee as unknown as IConstruct) : undefined;
  if (!target) return;
  const flat = flattenForNag(Stack.of(target).resolve(resourceArn));
  Validations.of(target).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${flat}]`,
    reason: 'claim-check payload keys are generated by the runtime (a date and a random id after the prefix), so they are known only by the prefix, which ends with \'/\' and no other connector of the store shares or extends',
  });
}
