/**
 * The start-up check of a queue's attributes against the consumer's bounds: an idempotency claim
 * left by a crashed consumer must end before the queue's redrive policy gives up on the message,
 * or the event reaches the dead-letter queue without its handlers running again.
 */
import { sqsModule } from '../sdk-modules';
import type { SqsClientLike } from './sqs';

export interface QueueAttributes {
  /** The queue's own VisibilityTimeout in seconds (the consumer sends its own with each receive). */
  readonly visibilityTimeoutSeconds?: number;
  /** RedrivePolicy `maxReceiveCount`; undefined when the queue has no dead-letter queue. */
  readonly maxReceiveCount?: number;
}

export interface QueueFindings {
  /** Why the consumer cannot work on this queue; empty when it can. */
  readonly refusals: string[];
  readonly warnings: string[];
}

export async function queueAttributes(sqs: SqsClientLike, queueUrl: string): Promise<QueueAttributes> {
  const { GetQueueAttributesCommand } = sqsModule();
  const output = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }))) as {
    Attributes?: Record<string, string>;
  };
  const attributes = output.Attributes ?? {};
  const visibility = Number(attributes.VisibilityTimeout);
  let maxReceiveCount: number | undefined;
  if (attributes.RedrivePolicy) {
    try {
      const count = Number((JSON.parse(attributes.RedrivePolicy) as { maxReceiveCount?: unknown }).maxReceiveCount);
      if (Number.isFinite(count) && count >= 1) maxReceiveCount = count;
    } catch {
      maxReceiveCount = undefined;
    }
  }
  return { ...(Number.isFinite(visibility) && { visibilityTimeoutSeconds: visibility }), maxReceiveCount };
}

/**
 * Compares the attributes with the consumer's visibility timeout and claim lease. After a crash
 * the message comes back one visibility timeout after its last extension, and the claim ends one
 * lease after its last renewal (about the same moment): every receive before the claim ends finds
 * the event "in flight" and leaves it, using up one of the `maxReceiveCount` receives.
 */
export function checkQueue(
  attributes: QueueAttributes,
  consumer: { readonly visibilityTimeoutSeconds: number; readonly leaseMs?: number; readonly renews: boolean },
): QueueFindings {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const count = attributes.maxReceiveCount;
  const queueVisibility = attributes.visibilityTimeoutSeconds === undefined ? '' : `; the queue's VisibilityTimeout is ${attributes.visibilityTimeoutSeconds} s, the consumer receives with ${consumer.visibilityTimeoutSeconds} s`;
  if (count === 1) {
    warnings.push('the queue\'s RedrivePolicy maxReceiveCount is 1: a message whose handler fails or whose consumer crashes goes to the dead-letter queue without a second try');
  }
  if (consumer.leaseMs !== undefined) {
    const hidden = Math.max(0, Math.ceil(consumer.leaseMs / (consumer.visibilityTimeoutSeconds * 1000)) - 1);
    const renewal = consumer.renews ? 'renewed by the heartbeat' : 'not renewed (the store has no renew())';
    if (count !== undefined && count > 1 && hidden >= count - 1) {
      refusals.push(
        `the idempotency leaseMs (${consumer.leaseMs}, ${renewal}) outlives the queue's redeliveries: RedrivePolicy maxReceiveCount ${count} at visibilityTimeoutSeconds ${consumer.visibilityTimeoutSeconds}${queueVisibility}; the claim of a crashed consumer would send the event to the dead-letter queue unhandled: use a leaseMs of at most ${consumer.visibilityTimeoutSeconds * 1000}`,
      );
    } else if (hidden > 0) {
      warnings.push(
        `the idempotency leaseMs (${consumer.leaseMs}, ${renewal}) is longer than visibilityTimeoutSeconds (${consumer.visibilityTimeoutSeconds})${count === undefined ? '' : ` (RedrivePolicy maxReceiveCount ${count})`}${queueVisibility}: after a crash, ${hidden} redelivery(ies) will find the claim and leave the message`,
      );
    }
  }
  return { refusals, warnings };
}
