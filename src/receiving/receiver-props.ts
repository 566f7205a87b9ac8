import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * How events travel from a bus to the application over HTTPS: what `EventBridgeConnector.addReceiver`
 * takes (the connector supplies the bus, the parameter path and the name prefix).
 */
export interface ConnectorReceiverOptions {
  /**
   * The application's receive URL, called by the API destination for every matching event.
   *
   * Must be an `https://` URL: API destinations only call HTTPS endpoints.
   */
  readonly endpoint: string;

  /**
   * Which events of the bus are delivered.
   *
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
   * @default - every event on the bus (`{ "source": [{ "prefix": "" }] }`)
   */
  readonly eventPattern?: events.EventPattern;

  /**
   * Name of the HTTP header that carries the API key on every delivery.
   *
   * @default 'x-api-key'
   */
  readonly apiKeyHeaderName?: string;

  /**
   * Secret whose value (the whole `SecretString`, not a JSON field) is the API key.
   *
   * The connection copies the value when the stack is deployed; after changing the secret,
   * deploy again (or update the connection) so that deliveries carry the new key.
   *
   * @default - a generated secret holding a 64-character alphanumeric key
   */
  readonly apiKeySecret?: secretsmanager.ISecret;

  /**
   * Most invocations per second the API destination makes, from 1 to 300.
   *
   * Events above the rate are held and retried by EventBridge, not dropped.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-apidestination.html#cfn-events-apidestination-invocationratelimitpersecond
   * @default 50 - gentle enough for a single application instance, and explicit in the template
   * rather than EventBridge's implicit 300
   */
  readonly rateLimitPerSecond?: number;

  /**
   * HTTP method of each delivery.
   *
   * @default HttpMethod.POST
   */
  readonly httpMethod?: events.HttpMethod;

  /**
   * How many times EventBridge retries a failed delivery before the event goes to the
   * dead-letter queue, from 0 to 185.
   *
   * @default 185 - EventBridge's maximum, so an application that is down for a while still gets
   * its events
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps trying to deliver an event, from 60 seconds to 24 hours.
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Queue for events that could not be delivered. Must be a standard (not FIFO) queue.
   *
   * @default - a new queue, encrypted with SQS-managed keys, SSL only, keeping messages 14 days
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Create CloudWatch alarms on dead letters and on failed invocations of the rule.
   *
   * @default true
   */
  readonly alarms?: boolean;
}

/**
 * Properties of a {@link ConnectorReceiver}: the path on which events travel from the
 * connector's bus to the application over HTTPS.
 */
export interface ConnectorReceiverProps extends ConnectorReceiverOptions {
  /**
   * The bus whose events are delivered to the application.
   */
  readonly eventBus: events.IEventBus;

  /**
   * Write the receiving keys of the SSM contract as String parameters under this path.
   *
   * The keys are `ConnectionName`, `ConnectionArn`, `ApiDestinationName`, `ApiDestinationArn`,
   * `ReceiveEndpoint`, `ApiKeyHeader` and `ApiKeySecret`; the last holds a reference to the
   * secret (`/aws/reference/secretsmanager/<secret arn>`), never the key itself.
   *
   * @default - no parameters are written
   */
  readonly parameterPath?: string;

  /**
   * Prefix of the connection's and the API destination's physical names, so that a role scoped
   * to `connection/<prefix>*` and `api-destination/<prefix>*` can manage them.
   *
   * 1 to 39 letters, digits, `-` or `_` ended by one `.`, e.g. `orders.` (the names are then
   * `orders.<receiver id in kebab case>-conn`, `-dest` and `-rule`). The `.` occurs in no prefix
   * before its end, so these names never start with another connector's prefix. At most 40
   * characters, leaving 24 for the generated part within EventBridge's 64 (CreateConnection,
   * CreateApiDestination, PutRule). Synth fails on any other shape, naming the value.
   *
   * @default - CloudFormation generates the names
   */
  readonly resourceNamePrefix?: string;
}
