// The props of a ClaimCheckStore, beside the construct (claim-check-store.ts) and their checks
// (claim-check-validation.ts).
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** How a new claim-check bucket is made: shared by {@link ClaimCheckStoreProps} and the connector's option. */
export interface ClaimCheckBucketOptions {
  /**
   * How long a payload is kept before S3 deletes it, in whole days (an S3 lifecycle expiration).
   * It must outlive the event that points at it: EventBridge retries a delivery for up to 24 hours,
   * and an SQS queue keeps a message up to 14 days from when it was first sent, dead-letter queue
   * included. A payload deleted earlier leaves its event pointing at nothing.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
   * @default Duration.days(15): the longest an event can wait in a queue (14 days) plus a day
   */
  readonly retention?: Duration;

  /**
   * A KMS key to encrypt payloads with (SSE-KMS, with an S3 Bucket Key to keep KMS requests few).
   * Grants on the store then include the key: `kms:GenerateDataKey` to write, `kms:Decrypt` to read.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
   * @default - S3-managed keys (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * A bucket to write the store's S3 server access logs to.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
   * @default - no server access logs (CloudTrail data events are the other way to audit reads)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in `serverAccessLogsBucket`.
   *
   * @default - no prefix
   */
  readonly serverAccessLogsPrefix?: string;
}

/** Properties of a {@link ClaimCheckStore}. */
export interface ClaimCheckStoreProps extends ClaimCheckBucketOptions {
  /**
   * Key prefix under which every payload is stored, ended by `/`: the lifecycle rule expires what
   * is under it, and grants reach nothing outside it. Connectors sharing the store each get a
   * prefix of their own below it. Segments of letters, digits, `-`, `_`, `.` or `!`, each ended
   * by `/`, at most 512 characters; `*` and `?` are refused (IAM wildcards).
   *
   * @default 'payloads/'
   */
  readonly keyPrefix?: string;

  /**
   * Name of the bucket.
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;

  /**
   * What happens to the bucket when it leaves the stack. A bucket that still holds objects cannot
   * be deleted by CloudFormation; payloads expire after `retention`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
