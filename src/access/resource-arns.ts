import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
import { secretReference } from '../contract';

// ARNs the connector's policies name. All go through Stack.formatArn, so the partition, region and
// account come from the stack (or the bus) and are never written as `aws`.

/** `connection/<prefix>*` in the bus's account and region: the connections the connector may manage. */
export function connectionsArn(scope: IConstruct, eventBus: events.IEventBus, prefix: string): string {
  return eventsResourcesArn(scope, eventBus, 'connection', prefix);
}

/** `api-destination/<prefix>*` in the bus's account and region. */
export function apiDestinationsArn(scope: IConstruct, eventBus: events.IEventBus, prefix: string): string {
  return eventsResourcesArn(scope, eventBus, 'api-destination', prefix);
}

/** `<resource>/<prefix>*` of EventBridge in the bus's account and region. */
function eventsResourcesArn(scope: IConstruct, eventBus: events.IEventBus, resource: 'connection' | 'api-destination', prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'events',
    region: eventBus.env.region,
    account: eventBus.env.account,
    resource,
    resourceName: `${prefix}*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The secrets EventBridge keeps for the connector's connections. EventBridge names them
 * `events!connection/<connection name>/<uuid>`, so the prefix pins them to the connector's
 * connections.
 */
export function connectionSecretsArn(scope: IConstruct, eventBus: events.IEventBus, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    region: eventBus.env.region,
    account: eventBus.env.account,
    resource: 'secret',
    resourceName: `events!connection/${prefix}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The service-linked role EventBridge creates on the first connection in an account. */
export function apiDestinationsServiceLinkedRoleArn(scope: IConstruct, eventBus: events.IEventBus): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    account: eventBus.env.account,
    resource: 'role',
    resourceName: 'aws-service-role/apidestinations.events.amazonaws.com/AWSServiceRoleForAmazonEventBridgeApiDestinations',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The path itself, `parameter<path>`: what SSM authorizes `GetParametersByPath` against (it checks
 * the requested path, not the parameters it returns).
 */
export function parameterPathArn(scope: IConstruct, path: string): string {
  return Stack.of(scope).formatArn({ service: 'ssm', resource: `parameter${path}`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/** Every parameter below the path, `parameter<path>/*`: what `GetParameter(s)` is authorized against. */
export function parametersUnderPathArn(scope: IConstruct, path: string): string {
  return Stack.of(scope).formatArn({ service: 'ssm', resource: `parameter${path}/*`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/**
 * The SSM name that resolves a Secrets Manager secret (`/aws/reference/secretsmanager/<name>`):
 * `GetParameter` is authorized against it, then SSM reads the secret with the caller's
 * credentials.
 */
export function secretReferenceParameterArn(scope: IConstruct, secretName: string): string {
  return Stack.of(scope).formatArn({
    service: 'ssm',
    resource: `parameter${secretReference(secretName)}`,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/**
 * A secret by name, any version suffix: Secrets Manager appends `-` and six characters to the
 * name in the ARN.
 */
export function secretByNameArn(scope: IConstruct, secretName: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretName}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Name of the secret that holds a static-mode connector's secret access key, derived from the
 * parameter path so that a stack importing the connector by path can find it:
 * `/eventbridge-connector/orders` gives `eventbridge-connector/orders/SecretKey`.
 */
export function staticSecretName(path: string): string | undefined {
  if (Token.isUnresolved(path)) return undefined;
  return `${path.slice(1)}/SecretKey`;
}
