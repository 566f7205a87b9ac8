import { ArnFormat, Duration, Names, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { registerClaim } from '../access/contract-overlap';
import { checkImportedBus } from '../access/placement';
import { secretReferenceParameterArn } from '../access/resource-arns';
import { connectorSlug, DEFAULT_API_KEY_HEADER, DEFAULT_RATE_LIMIT_PER_SECOND, ParameterKeys, secretReference } from '../contract';
import { generateApiKeySecret } from './api-key-secret';
import { createDeliveryAlarms } from './delivery-alarms';
import type { ConnectorReceiverProps } from './receiver-props';
import { writeReceivingParameters } from './receiving-parameters';
import { GENERATED_NAME_LENGTH, validateReceiverProps } from './validate';

const DEFAULT_RETRY_ATTEMPTS = 185;
/** EventBridge rule names: 1 to 64 characters. */
const MAX_NAME_LENGTH = 64;
const DEFAULT_MAX_EVENT_AGE = Duration.hours(24);

/**
 * Matches every event: every event has a `source` and every string starts with ''. A pattern on
 * `account` would miss events that other accounts put on the bus.
 */
const EVERY_EVENT: events.EventPattern = { source: events.Match.prefix('') };

/**
 * The receiving path of a connector: events on the bus that match a pattern are delivered to the
 * application's HTTPS endpoint by an EventBridge API destination, authenticated with an API key
 * kept in Secrets Manager; what cannot be delivered lands in a dead-letter queue and raises an
 * alarm.
 *
 * The application checks the key of each delivery (see `grantReadApiKey`), and finds the
 * names and the key's secret under `parameterPath` when one is given.
 */
export class ConnectorReceiver extends Construct {
  /** The EventBridge connection that adds the API key header to every delivery. */
  public readonly connection: events.Connection;
  /** The API destination that calls the application's endpoint. */
  public readonly apiDestination: events.ApiDestination;
  /** The rule on the bus that sends matching events to the API destination. */
  public readonly rule: events.Rule;
  /** Where events go that could not be delivered after every retry. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The secret whose value is the API key. */
  public readonly apiKeySecret: secretsmanager.ISecret;
  /** Name of the HTTP header that carries the API key. */
  public readonly apiKeyHeaderName: string;
  /** The application's receive URL. */
  public readonly endpoint: string;
  /** Path under which the receiving parameters are written, when they are. */
  public readonly parameterPath?: string;
  /** Alarms on undelivered events (dead letters, failed invocations); empty when `alarms` is false. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** Alarm on messages in the dead-letter queue, unless `alarms` is false. */
  public readonly deadLetterAlarm?: cloudwatch.IAlarm;
  /** Alarm on the rule's failed invocations, unless `alarms` is false. */
  public readonly failedInvocationsAlarm?: cloudwatch.IAlarm;

  public constructor(scope: Construct, id: string, props: ConnectorReceiverProps) {
    super(scope, id);
    validateReceiverProps(props);
    checkImportedBus(this, props.eventBus, true, 'a receiving rule');

    this.endpoint = props.endpoint;
    this.apiKeyHeaderName = props.apiKeyHeaderName ?? DEFAULT_API_KEY_HEADER;
    this.parameterPath = props.parameterPath;
    // Its parameters and generated names must not meet another connector's (or receiver's).
    registerClaim(this, { kind: 'receiver', parameterPath: props.parameterPath, resourceNamePrefix: props.resourceNamePrefix });
    this.apiKeySecret = props.apiKeySecret ?? this.generateApiKeySecret();
    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue();

    this.connection = new events.Connection(this, 'Connection', {
      connectionName: this.physicalName(props.resourceNamePrefix, 'conn'),
      description: 'API key authorization for deliveries to the application',
      // The full ARN names exactly one secret; a secret imported by name has only its name.
      authorization: events.Authorization.apiKey(
        this.apiKeyHeaderName,
        SecretValue.secretsManager(this.apiKeySecret.secretFullArn ?? this.apiKeySecret.secretName),
      ),
    });

    this.apiDestination = new events.ApiDestination(this, 'ApiDestination', {
      apiDestinationName: this.physicalName(props.resourceNamePrefix, 'dest'),
      description: 'The application endpoint that receives events from the connector bus',
      connection: this.connection,
      endpoint: props.endpoint,
      httpMethod: props.httpMethod ?? events.HttpMethod.POST,
      rateLimitPerSecond: props.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT_PER_SECOND,
    });

    const ruleName = this.physicalName(props.resourceNamePrefix, 'rule') ?? Names.uniqueResourceName(this, { maxLength: MAX_NAME_LENGTH, separator: '-' });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName,
      description: 'Delivers events from the connector bus to the application',
      eventBus: props.eventBus,
      eventPattern: props.eventPattern ?? EVERY_EVENT,
      targets: [
        new targets.ApiDestination(this.apiDestination, {
          eventRole: this.createEventsRole(props.eventBus, ruleName),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: props.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
          maxEventAge: props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE,
        }),
      ],
    });

    if (props.alarms ?? true) {
      const alarms = createDeliveryAlarms(this, this.rule, props.eventBus, this.deadLetterQueue);
      this.deadLetterAlarm = alarms.deadLetters;
      this.failedInvocationsAlarm = alarms.failedInvocations;
      this.alarms = [alarms.deadLetters, alarms.failedInvocations];
    } else {
      this.alarms = [];
    }

    if (props.parameterPath !== undefined) {
      writeReceivingParameters(new Construct(this, 'Parameters'), props.parameterPath, {
        [ParameterKeys.CONNECTION_NAME]: this.connection.connectionName,
        [ParameterKeys.CONNECTION_ARN]: this.connection.connectionArn,
        [ParameterKeys.API_DESTINATION_NAME]: this.apiDestination.apiDestinationName,
        [ParameterKeys.API_DESTINATION_ARN]: this.apiDestination.apiDestinationArn,
        [ParameterKeys.RECEIVE_ENDPOINT]: props.endpoint,
        [ParameterKeys.API_KEY_HEADER]: this.apiKeyHeaderName,
        // By name, as SSM documents its references and as grantReadApiKey authorizes them.
        [ParameterKeys.API_KEY_SECRET]: secretReference(this.apiKeySecret.secretName),
      });
    }
  }

  /**
   * Lets the application read the API key, to check the key of each delivery: from Secrets
   * Manager directly, or through the SSM reference that the `ApiKeySecret` parameter holds
   * (SSM authorizes `ssm:GetParameter` on the reference, then reads the secret as the caller).
   */
  public grantReadApiKey(grantee: iam.IGrantable): iam.Grant {
    const secret = this.apiKeySecret.grantRead(grantee);
    const reference = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: [secretReferenceParameterArn(this, this.apiKeySecret.secretName)],
    });
    return secret.combine(reference);
  }

  /**
   * The role EventBridge assumes to invoke the API destination, trusted only by this rule of this
   * account (`aws:SourceAccount`, `aws:SourceArn`): the confused-deputy conditions AWS
   * recommends. The rule's ARN is built from its name, so the role does not depend on the rule
   * that depends on it.
   */
  private createEventsRole(eventBus: events.IEventBus, ruleName: string): iam.IRole {
    const stack = Stack.of(this);
    const busName = eventBus.eventBusName;
    const ruleArn = stack.formatArn({
      service: 'events',
      resource: 'rule',
      // Rules on the default bus have no bus segment in their ARN.
      resourceName: !Token.isUnresolved(busName) && busName === 'default' ? ruleName : `${busName}/${ruleName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    return new iam.Role(this, 'EventsRole', {
      description: 'Lets the connector receiver rule invoke its API destination',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
    });
  }

  private generateApiKeySecret(): secretsmanager.ISecret {
    return generateApiKeySecret(this, { description: 'API key that EventBridge sends to the application with every delivery' });
  }

  private createDeadLetterQueue(): sqs.IQueue {
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      // SQS-managed keys: EventBridge can send to the queue without a KMS key policy.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the DeadLetterConfig of the EventBridge rule target points at it. ' +
        'cdk-nag only recognises dead-letter queues named in another queue\'s RedrivePolicy.',
    });
    return queue;
  }

  /**
   * `<prefix><receiver id in kebab case>-<kind>` (`orders.` and `Receiver` give
   * `orders.receiver-conn`), within EventBridge's 64 characters, or undefined (CloudFormation
   * names it) when there is no prefix. Unique in the app because prefixes are (see
   * `ConnectorParameters`) and a connector has one receiver; the kebab-case part has no `.`, so
   * the name starts with no other prefix (see `RESOURCE_NAME_DELIMITER`).
   */
  private physicalName(prefix: string | undefined, kind: string): string | undefined {
    if (prefix === undefined) return undefined;
    const suffix = `-${kind}`;
    const room = GENERATED_NAME_LENGTH - suffix.length;
    const base = (Token.isUnresolved(this.node.id) ? '' : connectorSlug(this.node.id)).slice(0, room).replace(/-+$/, '') || 'receiver';
    return `${prefix}${base}${suffix}`;
  }
}

