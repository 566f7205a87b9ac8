import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { registerClaim } from '../access/contract-overlap';
import { ParameterKey, ParameterKeys, parameterName, QUEUE_KEYS } from '../contract';
import type { QueueReceiverProps } from './queue-receiver-props';
import { validateQueueReceiverProps } from './queue-receiver-validation';

/** What the runtime's consumer calls on its queue, and nothing more. */
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];

/**
 * Receiving without an inbound endpoint: a rule on the bus sends matching events to an SQS queue
 * that the application polls with the connector's credentials (the runtime's `client.consumer()`),
 * for applications behind NAT or a firewall that cannot take EventBridge's HTTPS calls.
 *
 * The queue is encrypted (SQS-managed keys, which EventBridge can send to without a key policy)
 * and refuses requests without TLS; only EventBridge, for this rule in this account, may send to
 * it. A message whose handler keeps failing moves to a dead-letter queue after `maxReceiveCount`
 * receives, which raises an alarm.
 */
export class QueueReceiver extends Construct {
  /** The queue the rule sends events to. */
  public readonly queue: sqs.Queue;
  /** Where messages go whose handlers failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The rule on the bus that sends matching events to the queue. */
  public readonly rule: events.Rule;
  /** Alarm on messages in the dead-letter queue, unless `alarms` is false. */
  public readonly deadLetterAlarm?: cloudwatch.IAlarm;
  /** Path under which `QueueUrl` and `QueueArn` are written, when they are. */
  public readonly parameterPath?: string;

  public constructor(scope: Construct, id: string, props: QueueReceiverProps) {
    const normalized = validateQueueReceiverProps(props);
    super(scope, id);
    this.parameterPath = props.parameterPath;
    // Its keys go under a connector's path: standalone, it must not write into another connector's.
    if (props.parameterPath !== undefined) registerClaim(this, { kind: 'receiver', parameterPath: props.parameterPath });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: normalized.visibilityTimeout,
      retentionPeriod: normalized.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: normalized.maxReceiveCount },
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Sends events from the connector bus to the application\'s queue',
      eventBus: props.eventBus,
      eventPattern: normalized.eventPattern,
    });
    this.rule.addTarget(new RuleQueueTarget(this.queue));

    if (props.alarms ?? true) {
      this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
        alarmDescription: 'Events whose handlers kept failing are waiting in the dead-letter queue of the application\'s queue.',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    if (props.parameterPath !== undefined) {
      const values: Record<string, string> = { [ParameterKeys.QUEUE_URL]: this.queue.queueUrl, [ParameterKeys.QUEUE_ARN]: this.queue.queueArn };
      const scopeOfParameters = new Construct(this, 'Parameters');
      for (const key of QUEUE_KEYS) writeParameter(scopeOfParameters, props.parameterPath, key, values[key]);
    }
  }

  /**
   * Lets `grantee` consume the queue: `sqs:ReceiveMessage`, `sqs:DeleteMessage`,
   * `sqs:ChangeMessageVisibility` and `sqs:GetQueueAttributes` on this queue alone.
   */
  public grantConsume(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({ grantee, actions: CONSUME_ACTIONS, resourceArns: [this.queue.queueArn], resource: this.queue });
  }
}

function writeParameter(scope: Construct, path: string, key: ParameterKey, value: string | undefined): ssm.StringParameter {
  if (value === undefined) throw new Error(`no value for queue parameter '${key}': every key in QUEUE_KEYS must be written`);
  return new ssm.StringParameter(scope, key, {
    parameterName: parameterName(path, key),
    simpleName: false,
    stringValue: value,
    description: `EventBridge connector queue receiving constant ${key}`,
  });
}

/**
 * The rule's target, with a queue policy narrower than `targets.SqsQueue` writes: EventBridge may
 * send only for this rule (`aws:SourceArn`) and only from this account (`aws:SourceAccount`).
 */
class RuleQueueTarget implements events.IRuleTarget {
  constructor(private readonly queue: sqs.Queue) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeRuleSendsEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': rule.ruleArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(rule).account },
        },
      }),
    );
    return { arn: this.queue.queueArn, targetResource: this.queue };
  }
}
