import { ArnFormat, Duration, IResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { GlobalEndpointAttributes, GlobalEndpointProps } from './global-endpoint-props';
import { busNameOf, validateGlobalEndpointProps } from './global-endpoint-validation';
import { parseArn, partitionOf, quote } from '../contract';

/** The namespace and metric of AWS's health check template for global endpoints. */
const DEFAULT_METRIC = { namespace: 'AWS/Events', metricName: 'IngestionToInvocationStartLatency', statistic: 'Average' };
const DEFAULT_THRESHOLD_MS = 30_000;
const DEFAULT_EVALUATION_PERIODS = 5;
/** Global endpoint names: at most 64 characters. */
const MAX_NAME_LENGTH = 64;

/** An EventBridge global endpoint: PutEvents sent to it reach the primary bus, or the secondary one while the primary region is unhealthy. */
export interface IGlobalEndpoint extends IResource {
  /**
   * ARN of the endpoint.
   *
   * @attribute
   */
  readonly endpointArn: string;

  /**
   * The endpoint's `EndpointId`, e.g. `abcde.xyz`: PutEvents with this id goes to
   * `https://<EndpointId>.endpoint.events.<dns suffix>`, signed with SigV4a.
   *
   * @attribute
   */
  readonly endpointId: string;

  /**
   * The endpoint's URL, e.g. `https://abcde.xyz.endpoint.events.amazonaws.com`: where PutEvents
   * with its `EndpointId` goes.
   *
   * @attribute
   */
  readonly endpointUrl: string;

  /** Name of the bus the endpoint routes to, the same in both regions. */
  readonly eventBusName: string;

  /** ARN of the primary region's bus. */
  readonly primaryEventBusArn: string;

  /** ARN of the secondary region's bus, built from its name, region and the account. */
  readonly secondaryEventBusArn: string;

  /** The secondary region. */
  readonly secondaryRegion: string;

  /**
   * Lets `grantee` send events through the endpoint: `events:PutEvents` on both regions' buses,
   * since EventBridge authorizes the call against the bus it routes to.
   */
  grantPutEvents(grantee: iam.IGrantable): iam.Grant;
}

abstract class GlobalEndpointBase extends Resource implements IGlobalEndpoint {
  public abstract readonly endpointArn: string;
  public abstract readonly endpointId: string;
  public abstract readonly endpointUrl: string;
  public abstract readonly eventBusName: string;
  public abstract readonly primaryEventBusArn: string;
  public abstract readonly secondaryEventBusArn: string;
  public abstract readonly secondaryRegion: string;

  public grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.primaryEventBusArn, this.secondaryEventBusArn],
    });
  }
}

/**
 * An EventBridge global endpoint (`AWS::Events::Endpoint`) in the stack's region, the primary:
 * PutEvents sent to it go to the primary bus while a Route 53 health check says the primary
 * region is healthy, and to the bus of the same name in the secondary region while it does not.
 *
 * By default the health check is the one AWS documents: a CloudWatch alarm on the region's
 * `IngestionToInvocationStartLatency` behind a Route 53 health check of type
 * `CLOUDWATCH_METRIC`; and events are replicated to the secondary bus by a role that may only
 * `events:PutEvents` on the two buses. The secondary region's bus is not created here: the
 * secondary region's stack creates it by the same name.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-global-endpoints.html
 * @resource AWS::Events::Endpoint
 */
export class GlobalEndpoint extends GlobalEndpointBase {
  /** A global endpoint defined elsewhere, by its attributes. */
  public static fromEndpointAttributes(scope: Construct, id: string, attrs: GlobalEndpointAttributes): IGlobalEndpoint {
    if (!Token.isUnresolved(attrs.endpointArn)) {
      const p = parseArn(attrs.endpointArn);
      if (!p || p.service !== 'events' || !p.resource.startsWith('endpoint/') || !/^\d{12}$/.test(p.account)) {
        throw new Error(`invalid endpointArn ${quote(attrs.endpointArn)}: expected a global endpoint ARN such as arn:aws:events:eu-west-1:123456789012:endpoint/orders`);
      }
    }
    if (Token.isUnresolved(attrs.eventBusName)) {
      throw new Error(`invalid eventBusName ${quote(attrs.eventBusName)}: expected a literal name, the bus ARNs of both regions are built from it`);
    }
    class Import extends GlobalEndpointBase {
      public readonly endpointArn = attrs.endpointArn;
      public readonly endpointId = attrs.endpointId;
      public readonly eventBusName = attrs.eventBusName;
      public readonly secondaryRegion = attrs.secondaryRegion;
      public readonly primaryEventBusArn: string;
      public readonly secondaryEventBusArn: string;
      public readonly endpointUrl: string;
      constructor() {
        super(scope, id, { environmentFromArn: Token.isUnresolved(attrs.endpointArn) ? undefined : attrs.endpointArn });
        // The host the SDK's EventBridge endpoint rules build for an EndpointId, in the stack's partition.
        this.endpointUrl = attrs.endpointUrl ?? `https://${attrs.endpointId}.endpoint.events.${this.stack.urlSuffix}`;
        this.primaryEventBusArn = busArn(this, this.env.region, attrs.eventBusName);
        this.secondaryEventBusArn = busArn(this, attrs.secondaryRegion, attrs.eventBusName);
      }
    }
    return new Import();
  }

  public readonly endpointArn: string;
  public readonly endpointId: string;
  public readonly endpointUrl: string;
  /** Name of the endpoint, given or generated. */
  public readonly endpointName: string;
  public readonly eventBusName: string;
  public readonly primaryEventBusArn: string;
  public readonly secondaryEventBusArn: string;
  public readonly secondaryRegion: string;

  /** Id of the Route 53 health check the endpoint fails over by (given, or created). */
  public readonly healthCheckId: string;

  /**
   * The Route 53 health check created, unless `healthCheckId` was given.
   *
   * @default - none when `healthCheckId` is given
   */
  public readonly healthCheck?: route53.CfnHealthCheck;

  /**
   * The alarm behind the created health check, unless `healthCheckId` was given.
   *
   * @default - none when `healthCheckId` is given
   */
  public readonly healthCheckAlarm?: cloudwatch.Alarm;

  /**
   * The role EventBridge replicates events with, unless `replication` is false.
   *
   * @default - none when replication is off
   */
  public readonly replicationRole?: iam.Role;

  constructor(scope: Construct, id: string, props: GlobalEndpointProps) {
    validateGlobalEndpointProps(scope, props);
    super(scope, id, { physicalName: props.endpointName });

    const stack = Stack.of(this);
    this.eventBusName = busNameOf(props.eventBus);
    this.secondaryRegion = props.secondaryRegion;
    this.primaryEventBusArn = props.eventBus.eventBusArn;
    this.secondaryEventBusArn = busArn(this, props.secondaryRegion, this.eventBusName);
    this.endpointName = props.endpointName ??
      Names.uniqueResourceName(this, { maxLength: MAX_NAME_LENGTH, separator: '-', allowedSpecialCharacters: '-_.' });

    if (props.healthCheckId !== undefined) {
      this.healthCheckId = props.healthCheckId;
    } else {
      const alarmOptions = props.healthCheckAlarm ?? {};
      this.healthCheckAlarm = new cloudwatch.Alarm(this, 'HealthCheckAlarm', {
        alarmDescription: `EventBridge in ${stack.region} is slow or failing: global endpoint ${this.endpointName} fails over to ${props.secondaryRegion} while this alarm is on`,
        metric: alarmOptions.metric ?? new cloudwatch.Metric({ ...DEFAULT_METRIC, period: Duration.minutes(1) }),
        threshold: alarmOptions.threshold ?? DEFAULT_THRESHOLD_MS,
        evaluationPeriods: alarmOptions.evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: alarmOptions.treatMissingData ?? cloudwatch.TreatMissingData.BREACHING,
      });
      this.healthCheck = new route53.CfnHealthCheck(this, 'HealthCheck', {
        healthCheckConfig: {
          type: 'CLOUDWATCH_METRIC',
          alarmIdentifier: { name: this.healthCheckAlarm.alarmName, region: stack.region },
          // A new alarm has no data for its first periods: the primary starts healthy.
          insufficientDataHealthStatus: 'Healthy',
        },
        healthCheckTags: [{ key: 'Name', value: `${this.endpointName}-primary` }],
      });
      this.healthCheckId = this.healthCheck.attrHealthCheckId;
    }

    const replication = props.replication ?? true;
    if (replication) {
      this.replicationRole = new iam.Role(this, 'ReplicationRole', {
        description: `Lets EventBridge replicate the events of global endpoint ${this.endpointName} between the buses ${this.eventBusName} of ${stack.region} and ${props.secondaryRegion}`,
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
        // Inline, so the endpoint (which names the role) is created after its permissions.
        inlinePolicies: {
          Replication: new iam.PolicyDocument({
            statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.primaryEventBusArn, this.secondaryEventBusArn] })],
          }),
        },
      });
    }

    const resource = new events.CfnEndpoint(this, 'Resource', {
      name: this.endpointName,
      description: props.description ?? `Global endpoint of bus ${this.eventBusName}: ${stack.region}, failing over to ${props.secondaryRegion}`,
      eventBuses: [{ eventBusArn: this.primaryEventBusArn }, { eventBusArn: this.secondaryEventBusArn }],
      routingConfig: {
        failoverConfig: {
          primary: { healthCheck: healthCheckArn(this, this.healthCheckId) },
          secondary: { route: props.secondaryRegion },
        },
      },
      replicationConfig: { state: replication ? 'ENABLED' : 'DISABLED' },
      roleArn: this.replicationRole?.roleArn,
    });
    // A new bus of this stack is created first without an explicit dependency: eventBuses names it
    // by its ARN attribute (cfn-lint W3005 refuses the dependency twice).
    this.endpointArn = resource.attrArn;
    this.endpointId = resource.attrEndpointId;
    this.endpointUrl = resource.attrEndpointUrl;
  }
}

/** `arn:<partition>:events:<region>:<account>:event-bus/<name>` in the scope's account. */
function busArn(scope: Construct, region: string, name: string): string {
  const stack = Stack.of(scope);
  // The partition of a literal region, so a bus in another region of the partition reads right.
  const partition = !Token.isUnresolved(region) ? partitionOf(region)?.id : undefined;
  return stack.formatArn({ service: 'events', region, resource: 'event-bus', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, partition });
}

/** The health check's ARN as AWS::Events::Endpoint takes it: `arn:<partition>:route53:::healthcheck/<id>`. */
function healthCheckArn(scope: Construct, id: string): string {
  return Stack.of(scope).formatArn({ service: 'route53', region: '', account: '', resource: 'healthcheck', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

