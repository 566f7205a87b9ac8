// The props and attributes of a GlobalEndpoint, beside the construct (global-endpoint.ts) and their
// checks (global-endpoint-validation.ts), which both import this file and nothing imports back.
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';

/**
 * The CloudWatch alarm behind the default Route 53 health check. The defaults are those of the
 * CloudFormation template AWS publishes for global endpoints: the average
 * `IngestionToInvocationStartLatency` of the region above 30 seconds for 5 periods of 1 minute.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-ge-cfn.html
 */
export interface HealthCheckAlarmOptions {
  /**
   * The metric the alarm watches, in the primary region. Route 53 takes standard-resolution
   * metrics with the statistics Average, Minimum, Maximum, Sum or SampleCount only.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-healthcheck-alarmidentifier.html
   * @default - `AWS/Events` `IngestionToInvocationStartLatency`, Average over 1 minute (no dimension: the region's EventBridge)
   */
  readonly metric?: cloudwatch.IMetric;

  /**
   * The value above which the primary region counts as unhealthy, in the metric's unit.
   *
   * @default 30000 (milliseconds of latency, AWS's template)
   */
  readonly threshold?: number;

  /**
   * How many periods the metric must stay above the threshold, at least 1.
   *
   * @default 5
   */
  readonly evaluationPeriods?: number;

  /**
   * How the alarm treats periods without data. AWS's template treats them as breaching, so a bus
   * that receives nothing for the evaluation periods fails over: use `NOT_BREACHING` or
   * `MISSING` when events are intermittent.
   *
   * @default cloudwatch.TreatMissingData.BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** Properties of a {@link GlobalEndpoint}. */
export interface GlobalEndpointProps {
  /**
   * The primary bus, in this stack's account and region. Its name must be a literal (a bus
   * created with `eventBusName`, or one imported by name or ARN): the endpoint routes to the bus
   * of the same name in the secondary region, which that region's stack creates by that name.
   */
  readonly eventBus: events.IEventBus;

  /**
   * The region EventBridge fails over to, e.g. `us-west-2`: another region of the stack's
   * partition. Its bus (of the same name) is named by an ARN built from the name, the region
   * and the stack's account, not by a cross-region reference.
   */
  readonly secondaryRegion: string;

  /**
   * Name of the endpoint: 1 to 64 letters, digits, `.`, `-` or `_` (CreateEndpoint).
   *
   * @default - a name unique to the construct path
   */
  readonly endpointName?: string;

  /**
   * Description of the endpoint, at most 512 characters.
   *
   * @default - names the bus and the two regions
   */
  readonly description?: string;

  /**
   * Id of your own Route 53 health check, e.g. `abcdef01-2345-6789-abcd-ef0123456789`: the
   * endpoint fails over while it is unhealthy. Exclusive with `healthCheckAlarm`.
   *
   * @default - a CloudWatch alarm on the primary region (see `healthCheckAlarm`) behind a
   * Route 53 health check of type `CLOUDWATCH_METRIC`, as AWS's template for global endpoints
   */
  readonly healthCheckId?: string;

  /**
   * The alarm of the default health check.
   *
   * @default - AWS's template: IngestionToInvocationStartLatency above 30 s for 5 minutes
   */
  readonly healthCheckAlarm?: HealthCheckAlarmOptions;

  /**
   * Whether EventBridge replicates the events sent through the endpoint to the secondary
   * region's bus, so that the secondary region has them when the primary recovers or fails. On,
   * it needs a role: one that may `events:PutEvents` on the two buses only is created.
   *
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-ge-replication.html
   * @default true
   */
  readonly replication?: boolean;
}

/** Attributes of a global endpoint defined elsewhere. */
export interface GlobalEndpointAttributes {
  /** ARN of the endpoint, e.g. `arn:aws:events:eu-west-1:123456789012:endpoint/orders`. */
  readonly endpointArn: string;

  /** The endpoint's `EndpointId`, e.g. `abcde.xyz`: the host label PutEvents is sent to. */
  readonly endpointId: string;

  /** Name of the bus the endpoint routes to, the same in both regions. */
  readonly eventBusName: string;

  /** The secondary region, e.g. `us-west-2`. */
  readonly secondaryRegion: string;

  /**
   * The endpoint's URL, exposed as the imported endpoint's `endpointUrl`.
   *
   * @default - built from the endpoint id and the stack's URL suffix: `https://<id>.endpoint.events.amazonaws.com` in the aws partition
   */
  readonly endpointUrl?: string;
}

