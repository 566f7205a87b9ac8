import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';

/** What a queue receiver delivers and how long its messages live, as `addQueueReceiver` takes it. */
export interface QueueReceiverOptions {
  /**
   * Deliver only events with one of these `source` values. Exclusive with `eventPattern`.
   *
   * @default - every source
   */
  readonly sources?: string[];

  /**
   * Deliver only events with one of these `detail-type` values. Exclusive with `eventPattern`.
   *
   * @default - every detail-type
   */
  readonly detailTypes?: string[];

  /**
   * The full event pattern of the rule, for what `sources` and `detailTypes` cannot say.
   * Exclusive with them.
   *
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
   * @default - every event on the bus (or the events `sources` and `detailTypes` select)
   */
  readonly eventPattern?: events.EventPattern;

  /**
   * How long a received message stays hidden from other consumers, 0 seconds to 12 hours (SQS's
   * limit). The runtime's consumer asks for its own value on every receive and extends it while a
   * handler runs; this is the queue's default for other readers.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html#cfn-sqs-queue-visibilitytimeout
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long an unreceived event is kept, 1 minute to 14 days (SQS's limit): how long the
   * application may be offline without losing events.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html#cfn-sqs-queue-messageretentionperiod
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Receives after which a message whose handler keeps failing moves to the dead-letter queue,
   * 1 to 1000 (SQS's limit).
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * An alarm on any message in the dead-letter queue.
   *
   * @default true
   */
  readonly alarms?: boolean;
}

/** Properties of a {@link QueueReceiver}. */
export interface QueueReceiverProps extends QueueReceiverOptions {
  /** The bus whose events the queue receives. */
  readonly eventBus: events.IEventBus;

  /**
   * SSM path under which the queue's URL and ARN are written (`QueueUrl`, `QueueArn`), so the
   * runtime's `client.consumer()` finds the queue.
   *
   * @default - no parameters are written
   */
  readonly parameterPath?: string;
}
