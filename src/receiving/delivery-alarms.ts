import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The two signals that an event did not reach the application. */
export interface DeliveryAlarms {
  readonly deadLetters: cloudwatch.Alarm;
  readonly failedInvocations: cloudwatch.Alarm;
}

/**
 * Alarms on any message waiting in the dead-letter queue and on any failed invocation of the
 * rule. Both fire on the first occurrence: a single undelivered event is already lost data.
 */
export function createDeliveryAlarms(
  scope: Construct,
  rule: events.IRule,
  eventBus: events.IEventBus,
  deadLetterQueue: sqs.IQueue,
): DeliveryAlarms {
  const deadLetters = new cloudwatch.Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: 'Events that EventBridge could not deliver to the application are waiting in the dead-letter queue.',
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const failedInvocations = new cloudwatch.Alarm(scope, 'FailedInvocationsAlarm', {
    alarmDescription: 'The rule that delivers events to the application has invocations that failed permanently.',
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: ruleDimensions(rule, eventBus),
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // EventBridge publishes FailedInvocations only when it is not zero.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  return { deadLetters, failedInvocations };
}

/**
 * EventBridge publishes rule metrics of a custom bus with both `EventBusName` and `RuleName`,
 * and those of the default bus with `RuleName` alone; an alarm on the wrong set never fires.
 */
function ruleDimensions(rule: events.IRule, eventBus: events.IEventBus): Record<string, string> {
  if (eventBus.eventBusName === 'default') return { RuleName: rule.ruleName };
  return { EventBusName: eventBus.eventBusName, RuleName: rule.ruleName };
}
